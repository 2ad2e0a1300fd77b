"""Doorstep: chat-first property platform."""
