"""Rules: to be written."""
