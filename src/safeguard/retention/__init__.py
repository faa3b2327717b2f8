"""Retention of closed cases, legal holds, and the subject access export (issue 9: no lost data, privacy)."""
