"""The dialog engine: persisted state, global words, choice matching and dispatch to flows."""
