"""dispatch_corpus."""
