"""Jinja2 message templates, one folder per locale."""
