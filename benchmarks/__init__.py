"""Benchmarks and stress tests; run each from the repository root as `.venv/bin/python -m benchmarks.NAME`."""
