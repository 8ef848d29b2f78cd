"""Benchmark: a reproducible synthetic corpus, the I/O floor, and the build measured against it."""
