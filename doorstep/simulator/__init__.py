"""Local simulators (fake Telegram Bot API) used by the demo and the tests."""
