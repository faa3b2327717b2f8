"""The REST API (/api/v1/), its tokens, and outbound domain events (outbox and webhooks)."""
