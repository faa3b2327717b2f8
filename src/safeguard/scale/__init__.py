"""National scale: bulk loading of synthetic data, the benchmark, and running the service for real."""
