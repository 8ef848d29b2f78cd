"""Find and undo mojibake: UTF-8 bytes that were read as cp1252, latin-1 or cp1251 upstream.

UTF-8 writes every non-ASCII character as a lead byte (0xC2-0xF4) followed by continuation
bytes (0x80-0xBF). Read through a single-byte codec, each such character becomes a run of two
to four non-ASCII characters, "é" -> "Ã©", "’" -> "â€™", "п" -> "Ð¿" or "Рї". A run undoes
when it maps back to bytes that are strict UTF-8 spelling letters or punctuation of a real
alphabet; legitimate text rarely does ("«СССР»" holds the pair "Р»" but is not UTF-8 as a
whole; "É»" is UTF-8 but spells the IPA letter "ɻ"), and when it does, the pair is one that
text forms ("В" before a no-break space, "Её"). So a text holds mojibake only when a run that
undoes holds a strong pair, one that text never forms ("Ã©", "â€", "Р°"); then its runs are
undone, and the repair is kept only when each maps back to exactly the characters it
replaced and nothing half undone is left.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from dispatch_corpus.models import DocumentFlag

MOJIBAKE_MAX_ROUNDS = 3
"""Mojibake is undone at most this many times over (text encoded as UTF-8 and misread up to
three times); each round shortens the text, so the bound keeps repair linear."""

# 0xC0 and 0xC1 only start overlong forms, 0xF5 and up no valid sequence: strict UTF-8 never leads
# with them.
_LEAD_BYTES = range(0xC2, 0xF5)
# Lead bytes of sequences of three or four bytes: their second continuation byte may be the strong
# one.
_TRIPLE_LEAD_BYTES = range(0xE0, 0xF5)
_CONTINUATION_BYTES = range(0x80, 0xC0)
_CONTINUATION_BYTE_VALUES = bytes(_CONTINUATION_BYTES)
# What mojibake is undone into: Latin, Greek and Cyrillic letters, the spaces, punctuation,
# symbols and emoji of a dispatch, the byte order mark and U+FFFD. Legitimate text that
# happens to be UTF-8 shaped spells something else: C1 controls, combining marks, the
# alphabets from Armenian to Arabic ("ALLÔ»" spells an Armenian letter), bidi embeddings
# ("в" before a no-break space and "«" spells U+202B), CJK and Hangul (a Russian
# word ending before a no-break space and a dash spells a Hangul syllable).
_UNFIT = re.compile(
    "[^\u00a0-\u02ff\u0370-\u052f\u1e00-\u1eff\u2000-\u2029\u202f-\u2064"
    "\u20a0-\u20cf\u2100-\u23ff\u2460-\u27bf\ufeff\ufffd\U0001f000-\U0001faff]"
)
# Once a text is known to hold mojibake, its other runs may undo into any script ("×‘×™×ª"
# into Hebrew, "ä¸‰" into Chinese); only controls, IPA, lone combining marks, private use
# and noncharacters still mark an accident.
_UNFIT_IN_MOJIBAKE = re.compile(
    "[\x00-\x9f\u0250-\u02af\u0300-\u036f\ue000-\uf8ff\ufff0-\ufffc\ufffe\uffff"
    "\U000f0000-\U0010ffff]"
)


@dataclass(frozen=True)
class _Codec:
    """A single-byte codec as a bijection between bytes 0x80-0xFF and 128 characters.

    A byte the codec leaves undefined reads as the latin-1 control of the same value, as
    browsers and lenient decoders do; that keeps the mapping one-to-one, so a repair can be
    proven by mapping the repaired characters back.
    """

    chars: frozenset[str]
    to_latin1: dict[int, int]
    from_latin1: dict[int, int]

    @classmethod
    def of(cls, name: str) -> _Codec:
        chars = [bytes([byte]).decode(name, "replace") for byte in range(0x80, 0x100)]
        chars = [c if c != "\ufffd" else chr(0x80 + i) for i, c in enumerate(chars)]
        return cls(
            chars=frozenset(chars),
            to_latin1={ord(c): 0x80 + i for i, c in enumerate(chars)},
            from_latin1={0x80 + i: ord(c) for i, c in enumerate(chars)},
        )

    def char(self, byte: int) -> str:
        return chr(self.from_latin1[byte])

    def encode(self, run: str) -> bytes:
        """The bytes this codec reads as ``run`` (every character must be in ``chars``)."""
        return run.translate(self.to_latin1).encode("latin-1")

    def decode(self, raw: bytes) -> str:
        """The characters this codec reads bytes 0x80-0xFF as."""
        return raw.decode("latin-1").translate(self.from_latin1)


_CODECS = {name: _Codec.of(name) for name in ("cp1252", "latin-1", "cp1251")}
# Text misread twice is undone in two rounds, and the first leaves the characters of the
# inner misreading, among them C1 controls where the codec had no character ("Ã\x90Â\x9f"
# undoes into "Ð\x9f", then into "П"). A C1 control left in the final text makes the repair
# unproven.
_ALPHABET = re.escape("".join(sorted(set().union(*(c.chars for c in _CODECS.values())))))
_INNER_C1 = re.compile(f"(?<=[{_ALPHABET}])[\u0080-\u009f]")
_C1 = re.compile("[\u0080-\u009f]")


def _fits(fixed: str, unfit: re.Pattern[str]) -> bool:
    return unfit.search(_INNER_C1.sub("", fixed)) is None


# What legitimate text puts right after a letter: letters ("Её"), closing quotes (also “ ‘ «
# in the „…“ and »…« styles), dashes, the ellipsis and no-break or soft spaces. A run whose
# pairs all end in one of these ("В" and a no-break space: a preposition, or a misread
# no-break space) proves nothing; symbols, opening quotes and an uppercase letter after a
# lowercase one ("вЂ”", a dash misread as cp1251) do.
_WEAK_FOLLOWERS = frozenset("»”’›“‘«–—…\u00a0\u00ad")


@dataclass(frozen=True)
class _Repair:
    start: int
    end: int
    text: str

    @classmethod
    def within(cls, match: re.Match[str], start: int, end: int, text: str) -> _Repair:
        return cls(match.start() + start, match.start() + end, text)


def _is_word_letter(char: str) -> bool:
    """A Latin or Cyrillic letter ("ё", "š"), not a sign that is a letter ("ª", "µ")."""
    return char.isalpha() and unicodedata.name(char).startswith(("LATIN", "CYRILLIC"))


@dataclass(frozen=True)
class _Family:
    """Codecs searched together: their runs, and the pairs only mojibake makes.

    cp1252 and latin-1 share their letters (a run maps back through the first codec that
    holds all its characters); cp1251 shares almost none with them.
    """

    codecs: tuple[_Codec, ...]
    members: re.Pattern[str]
    member_runs: re.Pattern[str]
    run: re.Pattern[str]
    strong: re.Pattern[str]

    @classmethod
    def of(cls, *names: str) -> _Family:
        codecs = tuple(_CODECS[name] for name in names)
        members = {c for codec in codecs for c in codec.chars}
        leads = {codec.char(b) for codec in codecs for b in _LEAD_BYTES}
        triple_leads = {codec.char(b) for codec in codecs for b in _TRIPLE_LEAD_BYTES}
        conts = {codec.char(b) for codec in codecs for b in _CONTINUATION_BYTES}
        strong_conts = {c for c in conts if not _is_word_letter(c) and c not in _WEAK_FOLLOWERS}
        lower_leads = {c for c in leads if c.islower()}
        upper_conts = {c for c in conts if c.isupper()}
        run, lead, triple, cont, strong, lower, upper = (
            re.escape("".join(sorted(chars)))
            for chars in (
                members,
                leads,
                triple_leads,
                conts,
                strong_conts,
                lower_leads,
                upper_conts,
            )
        )
        return cls(
            codecs=codecs,
            members=re.compile(f"[{run}]*"),
            member_runs=re.compile(f"[{run}]+"),
            # The look-behind anchors a match at the start of a run and the lazy prefix tries
            # each position once, so the search is linear in the run however long it is.
            run=re.compile(f"(?<![{run}])[{run}]*?[{lead}][{cont}][{run}]*"),
            # Starting from the rare strong character lets the search skip ordinary text fast.
            strong=re.compile(
                f"[{strong}{upper}](?:(?<=[{lead}][{strong}])|(?<=[{triple}][{cont}][{strong}])"
                f"|(?<=[{lower}][{upper}]))"
            ),
        )

    def undo(self, run: str, unfit: re.Pattern[str] = _UNFIT) -> tuple[int, int, str] | None:
        """The repair of a run: where it starts and ends in the run, and its text.

        The run is strict UTF-8 of fitting characters that maps back to exactly the run, or
        it is once signs without a letter are trimmed from its ends: they cannot begin or
        end a sequence, so they are text typed next to the mojibake ("«Ã©»").
        """
        codec = next((c for c in self.codecs if c.chars.issuperset(run)), None)
        if codec is None:
            return None
        raw = codec.encode(run)
        start = len(raw) - len(raw.lstrip(_CONTINUATION_BYTE_VALUES))
        try:
            raw[start:].decode("utf-8")
            end = len(raw)
        except UnicodeDecodeError as error:
            end = start + error.start
            if raw[end:].decode("utf-8", "replace").strip("\ufffd"):
                return None
        if any(c.isalpha() for c in run[:start] + run[end:]) or start >= end:
            return None
        fixed = raw[start:end].decode("utf-8")
        # The proof: the repair maps back to exactly the characters it replaces.
        if _fits(fixed, unfit) and codec.decode(fixed.encode("utf-8")) == run[start:end]:
            return start, end, fixed
        return None

    def is_broken(self, run: str, sequences: int = 1) -> bool:
        """Whether a run that does not undo still holds UTF-8 sequences: half mojibake.

        Counted are sequences that decode to fitting characters; two of them beside a strong
        pair in one run are mojibake that lost a byte ("Ð¿Ñ€Ð¸Ð²ÐµÑ"), not chance.
        """
        codec = next((c for c in self.codecs if c.chars.issuperset(run)), None)
        if codec is None:
            return False
        rest = codec.encode(run).decode("utf-8", "replace").replace("\ufffd", "")
        return len(rest) >= sequences and (sequences == 1 or _fits(rest, _UNFIT))

    def undoes_all(self, text: str, spans: list[tuple[int, int]]) -> bool:
        """Whether every run of this family inside the spans undoes once more.

        The spans a round repaired hold words that do not undo when the text was misread
        once; when all of them undo, the text may be misread once more with nothing strong
        to prove it ("Г–" is "Ö" misread as cp1251), and the repair is not proven.
        """
        found = False
        for start, end in spans:
            for match in self.member_runs.finditer(text, start, end):
                if self.undo(match.group(), _UNFIT_IN_MOJIBAKE) is None:
                    return False
                found = True
        return found

    def is_present(self, text: str) -> bool:
        """Whether a run holding a strong pair undoes: the text holds this family's mojibake.

        Only the runs around the rare strong characters are tried, each once: a run is
        measured forward from the hit and backward on the reversed text.
        """
        reversed_text = ""
        examined_to = 0
        for hit in self.strong.finditer(text):
            if hit.start() < examined_to:
                continue
            reversed_text = reversed_text or text[::-1]
            before = self.members.match(reversed_text, len(text) - hit.start())
            start = hit.start() - (before.end() - before.start()) if before else hit.start()
            after = self.members.match(text, hit.start())
            examined_to = after.end() if after else hit.end()
            run = text[start:examined_to]
            if self.undo(run) is not None or self.is_broken(run, 2):
                return True
        return False


_FAMILIES = (_Family.of("cp1252", "latin-1"), _Family.of("cp1251"))


def repair_mojibake(text: str) -> tuple[str, DocumentFlag | None]:
    """Detect mojibake and undo it when the repair provably round-trips.

    Runs that map back to strict UTF-8 are decoded, round after round for text misread
    several times over (at most ``MOJIBAKE_MAX_ROUNDS``). The repair is kept only when every
    run maps back to exactly the text it replaced and nothing is left to undo. The text is
    returned unchanged and only flagged when a run of a family holding mojibake is half
    UTF-8 (a truncated or partly replaced character), when two families claim overlapping
    runs, when evidence survives the last round, when a C1 control of an inner misreading
    is left, or when the repaired spans could all be undone once more without a strong pair.

    Args:
        text: Decoded text of one dispatch.

    Returns:
        The text (repaired or unchanged) and ``mojibake_repaired``, ``mojibake_suspected``
        or ``None`` when there is no evidence of mojibake.
    """
    if text.isascii():
        return text, None
    repaired = text
    spans: list[tuple[int, int]] = []
    # One round more than the repairs allowed: the last one only proves that nothing is left to undo
    # (evidence found there leaves the text unrepaired, suspected).
    for rounds in range(MOJIBAKE_MAX_ROUNDS + 1):
        repairs = _find_repairs(repaired)
        if repairs is None:
            break
        if repairs:
            repaired, spans = _apply(repaired, repairs)
        elif not rounds:
            return text, None
        elif _count(_C1, repaired) > _count(_C1, text):
            break  # an intermediate step of text misread twice was left half undone
        elif any(family.undoes_all(repaired, spans) for family in _FAMILIES):
            break  # the repaired spans could be misread once more ("Г–" is "Ö" misread)
        else:
            return repaired, DocumentFlag.MOJIBAKE_REPAIRED
    return text, DocumentFlag.MOJIBAKE_SUSPECTED


def has_mojibake(text: str) -> bool:
    """Whether the text holds mojibake: a run with a strong pair that undoes into UTF-8."""
    return not text.isascii() and any(family.is_present(text) for family in _FAMILIES)


def _find_repairs(text: str) -> list[_Repair] | None:
    """The runs to decode, in order; ``None`` when the evidence is not consistent.

    A family's runs count only when one of them is strong evidence: a lead character followed
    by a continuation character that legitimate text never puts after a letter ("©", "°",
    "€", an opening quote, an uppercase letter after a lowercase one), right after it or as
    the second continuation of a three-byte sequence. Weak runs alone ("Её", "В" before a
    no-break space) are text, and are repaired only beside strong ones.
    """
    repairs: list[_Repair] = []
    for family in _FAMILIES:
        if not family.is_present(text):
            continue
        for match in family.run.finditer(text):
            undone = family.undo(match.group(), _UNFIT_IN_MOJIBAKE)
            if undone is not None:
                repairs.append(_Repair.within(match, *undone))
            elif family.is_broken(match.group()):
                return None
    # Sorted across both families, so that runs two families claim sit side by side: overlapping
    # claims are contradictory evidence.
    repairs.sort(key=lambda r: r.start)
    if any(a.end > b.start for a, b in itertools.pairwise(repairs)):
        return None
    return repairs


def _count(pattern: re.Pattern[str], text: str) -> int:
    return pattern.subn("", text)[1]


def _apply(text: str, repairs: list[_Repair]) -> tuple[str, list[tuple[int, int]]]:
    """The text with each run replaced by its repair, and where the repairs now stand."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    last = 0
    length = 0
    for repair in repairs:
        before = text[last : repair.start]
        pieces += [before, repair.text]
        length += len(before)
        spans.append((length, length + len(repair.text)))
        length += len(repair.text)
        last = repair.end
    pieces.append(text[last:])
    return "".join(pieces), spans
