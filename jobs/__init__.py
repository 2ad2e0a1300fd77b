"""RQ entry points: each job takes ids, re-reads state, and calls one function of bots or core."""
