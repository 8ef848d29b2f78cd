"""Per-language cue tables: data only, no logic.

A new language is a new module here holding its ``LanguageCues`` (``common.LanguageCues``)
and an entry in ``CUES``, never a code branch. Every entry is linguistic (speech verbs,
attribution phrases, month names, boilerplate phrases); none names a document, a title or a
sentence of any corpus. Word tables that hold for every language live in ``common``.
"""

from __future__ import annotations

from collections.abc import Mapping

from dispatch_corpus.core.cues.common import LanguageCues
from dispatch_corpus.core.cues.en import ENGLISH
from dispatch_corpus.core.cues.fr import FRENCH
from dispatch_corpus.core.cues.ru import RUSSIAN

CUES: Mapping[str, LanguageCues] = {"fr": FRENCH, "en": ENGLISH, "ru": RUSSIAN}
"""Language code -> cue table."""
