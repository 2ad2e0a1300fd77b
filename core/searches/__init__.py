"""Finding homes: what a buyer typed as a place, and what they already have going on each home."""
