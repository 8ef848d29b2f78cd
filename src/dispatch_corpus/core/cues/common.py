"""What the cue tables of every language share: their model and language-independent words.

``LanguageCues`` is the shape of one language's table (``fr``, ``en``, ``ru``); the tables
here hold for any language: quote marks, dialogue dashes, news outlets, agencies. Data only,
no logic: the rules that read them live in ``dispatch_corpus.core.label``, their thresholds
in ``dispatch_corpus.settings.LabelerSettings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageCues:
    """Cue words of one language. Phrases are regex fragments matched case-insensitively.

    Speech is recognised in three ways: a ``speech_verbs`` form followed by reported content
    (a complementizer, a colon or a quotation), a ``claim_verbs`` form whatever follows (a
    demand, a stance, a parenthetical "a-t-il dit"), or an ``attributions`` phrase opening a
    sentence ("according to X,"). The source must not be a ``source_nouns`` entry (a medium,
    a document, data): a fact sourced to those is narrative, not speech.
    """

    months: Mapping[str, int]
    """Month names and abbreviations, lowercase -> month number (dates and datelines)."""
    weekdays: tuple[str, ...]
    """Weekday names, lowercase, that may open a date ("Tuesday, September 22, 2015")."""
    year_suffix: str
    """Regex of what may follow a year in a date ("года", "г."), empty when nothing does."""
    speech_verbs: tuple[str, ...]
    """Verb forms that report speech when reported content follows them."""
    bare_speech_verbs: tuple[str, ...]
    """Verb forms that report speech even when the complementizer is left out."""
    claim_verbs: tuple[str, ...]
    """Forms that carry a stance or demand of their subject whatever follows them."""
    speech_nouns: tuple[str, ...]
    """Nouns of utterances ("statement", "заявление") that introduce a quotation or a colon."""
    attributions: tuple[str, ...]
    """Phrases crediting what surrounds them to a source named right after them."""
    complementizers: tuple[str, ...]
    """Words that open reported content after a speech verb."""
    negations: tuple[str, ...]
    """Words that, just before a speech verb, deny that anything was said."""
    passive_auxiliaries: tuple[str, ...]
    """Auxiliaries that, right before a speech verb, make it passive ("was told to")."""
    determiners: tuple[str, ...]
    """Words that, just before a verb form, show it is a noun ("la critique", "the claims")."""
    pronouns: tuple[str, ...]
    """Personal pronouns: as the subject of a speech verb they name a speaker."""
    first_person: tuple[str, ...]
    """First and second person words, matched case-sensitively: narrative does not use
    them, so a paragraph that opens with them after a line ending in ``:`` is quoted."""
    source_nouns: tuple[str, ...]
    """Media, documents, data and scholarly groups: sources of facts rather than speakers."""
    speaker_nouns: tuple[str, ...]
    """People's functions: before a medium they name a speaker in it ("le directeur du site",
    "a source at the paper", "Источник РИА Новости")."""
    clause_breaks: tuple[str, ...]
    """Conjunctions and relative pronouns (after a comma) or marks that open a new clause."""
    abbreviations: tuple[str, ...]
    """Abbreviations whose final period does not end a sentence."""
    boilerplate_starts: tuple[str, ...]
    """Openings of lines that are not part of the story."""
    trailer_headings: tuple[str, ...]
    """Headings after which every line is apparatus (sources, links, references)."""
    caption_starts: tuple[str, ...]
    """Openings of image captions and media file lines."""
    media_notes: tuple[str, ...]
    """Phrases of short notes about attached video, audio or photographs."""
    name_connectors: tuple[str, ...]
    """Lowercase words allowed between the names of a name-only caption."""
    caption_prepositions: tuple[str, ...]
    """Prepositions that follow a name in a caption ("X at the summit", "X на съезде")."""
    agency_reports: tuple[str, ...]
    """Wire credits; ``{agency}`` stands for any agency name."""


ANY_LANGUAGE = "und"
"""Language code selecting the union of every cue table (language not known)."""

TERMINAL_PUNCTUATION = '.!?…;:»"”)'
"""A paragraph ending with one of these is a sentence, not a title."""
QUOTE_PAIRS: Mapping[str, str] = {"«": "»", "“": "”", "„": "“", '"': '"', "‹": "›"}
"""Opening quote mark -> closing quote mark (double quotes only: ``’`` is an apostrophe)."""
CLOSING_QUOTES = "»”›"
"""Quote marks that can only close a quotation."""
DASH_QUOTE_STARTS = ("— ", "– ", "- ")
"""A paragraph opening with one of these is reported dialogue (when not a list)."""
MEDIA_NAME_HEADS = (
    "News",
    "Times",
    "Post",
    "Herald",
    "Journal",
    "Gazette",
    "Tribune",
    "Telegraph",
    "Daily",
    "Magazine",
    "Weekly",
    "Press",
    "Chronicle",
    "Guardian",
    "BBC",
    "CNN",
    "Wikinews",
    "Викиновости",
    "Express",
    "Reporter",
    "Observer",
    "Independent",
    "Mirror",
    "Forbes",
    "Monde",
    "Figaro",
    "Libération",
    "Известия",
    "Коммерсантъ",
    "Ведомости",
)
"""Capitalised words that name a news outlet ("ABC News", "The Sydney Morning Herald")."""

AGENCIES: Mapping[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Франс Пресс", "Франс-Пресс"),
    "AP": ("AP", "Associated Press", "Ассошиэйтед Пресс"),
    "APA": ("APA",),
    "Reuters": ("Reuters", "Рейтер", "Рейтерс"),
    "TASS": ("ТАСС", "ИТАР-ТАСС", "TASS", "ITAR-TASS"),
    "Interfax": ("Интерфакс", "Interfax"),
    "RIA Novosti": ("РИА Новости", "RIA Novosti"),
    "Xinhua": ("Xinhua", "Синьхуа"),
    "dpa": ("dpa", "DPA"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Anadolu": ("Anadolu", "AA"),
    "UNIAN": ("UNIAN", "УНИАН"),
    "Belga": ("Belga",),
    "Kyodo": ("Kyodo",),
    "Trend": ("Trend",),
    "Bloomberg": ("Bloomberg",),
}
"""Canonical agency name -> the names it goes by in text."""
