"""Running Safeguard for real: health checks, JSON request logs, Prometheus metrics, the replica router."""
