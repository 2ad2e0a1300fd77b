"""Flows about the person: onboarding, proving a phone, language and settings."""
