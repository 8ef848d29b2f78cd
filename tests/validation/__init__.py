"""Tests of validation (dispatch_corpus.validation)."""
