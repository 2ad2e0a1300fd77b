"""Finding a home: search, results and a listing's details."""
