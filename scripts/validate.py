"""Validate a dataset folder: the maintainers' script, the same code as `dispatch-corpus validate`.

Usage: python scripts/validate.py DATASET [--report-dir DIR] [--suites DIR] [--workers N] [--all]
       [--engine local|ge|spark] [--spark-master URL]
"""

from __future__ import annotations

import sys

from dispatch_corpus.cli import main

if __name__ == "__main__":
    sys.exit(main(["validate", *sys.argv[1:]]))
