"""``python -m dispatch_corpus``: the same command line as ``dispatch-corpus``."""

import sys

from dispatch_corpus.cli import main

sys.exit(main())
