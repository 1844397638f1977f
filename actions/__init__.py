"""Rasa SDK adapters: they read the tracker, call the pure packages and send what those decide."""
