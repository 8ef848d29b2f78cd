"""Tests of the pure labeling core (dispatch_corpus.core.label)."""
