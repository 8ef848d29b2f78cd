"""Execution engines running the pure core over a corpus: local processes, or Spark."""
