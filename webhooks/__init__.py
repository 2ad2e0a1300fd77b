"""HTTP entry points: provider webhooks (verify, parse, dedupe, hand over) and health and metrics."""
