from pathlib import Path

import pytest

from dispatch_corpus.core.text.plausibility import implausibility

FRENCH = "Le café de l'été coûte déjà cher à Paris, a déclaré le maître d'hôtel à Noël."
RUSSIAN = "Президент заявил, что переговоры продолжатся в пятницу в Москве, сообщает ТАСС."
RUSSIAN_CAPS = "ПРЕЗИДЕНТ ЗАЯВИЛ, ЧТО ПЕРЕГОВОРЫ ПРОДОЛЖАТСЯ В ПЯТНИЦУ В МОСКВЕ."
UKRAINIAN = "Президент України заявив, що переговори тривають у Києві. Їхні позиції відомі."
BULGARIAN = "Президентът заяви, че преговорите ще продължат в петък в София."


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Plain ASCII text.",
        FRENCH,
        RUSSIAN,
        RUSSIAN_CAPS,
        UKRAINIAN,
        BULGARIAN,
        "Die Größe der Bürger, sagte der Minister in München.",
        "A informação sobre a situação das eleições não foi divulgada.",
        "ООО «Газпром» и АО «АрмРосГазпром», впервые за 17 лет.",
        "елейВпервые за 17 лет у входа на Храмову гору",
        "Щука",
    ],
)
def test_real_text_is_plausible(text: str) -> None:
    assert implausibility(text) <= 1.0


@pytest.mark.parametrize(
    ("text", "codec", "wrong"),
    [
        (FRENCH, "cp1252", "koi8_r"),  # box drawing among letters
        (FRENCH, "cp1252", "cp1251"),  # Cyrillic letters inside Latin words
        (RUSSIAN, "cp1251", "cp1252"),  # runs of accented letters
        (RUSSIAN, "koi8_r", "latin-1"),
        (RUSSIAN * 5, "cp1251", "koi8_r"),  # cases swapped inside words
        (RUSSIAN * 5, "koi8_r", "cp1251"),
        (RUSSIAN, "mac_cyrillic", "koi8_r"),  # capitals turned into box drawing
        ("Zażółć gęślą jaźń, powiedział minister w środę.", "iso8859_2", "cp1252"),
    ],
)
def test_a_wrong_codec_reading_is_implausible(text: str, codec: str, wrong: str) -> None:
    reading = text.encode(codec).decode(wrong)
    assert reading != text
    assert implausibility(reading) > 1.0


@pytest.mark.parametrize(
    "text",
    [
        "ЪЪЪЪЪЪЪЪЪЪ",  # one high byte repeated
        "иииииииииииииииииииииииииииииииииииииииии",
        "text with \x81 controls \x8d and \x90 more \x9d",
        "┐НЯДСЛЮ ОКЮМХПСЕР",  # MacCyrillic capitals read as KOI8-R
        "cafй au lait, йtй",
    ],
)
def test_garbling_marks_make_text_implausible(text: str) -> None:
    assert implausibility(text) > 1.0


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


_SIBLING_CASES = [
    (text, codec, sibling)
    for text in (RUSSIAN, RUSSIAN_CAPS, "года встретит в космосе своё 60-летие, и", BULGARIAN)
    for codec, sibling in (("cp1251", "koi8_r"), ("koi8_r", "cp1251"))
    if _encodable(text, codec)
]


@pytest.mark.parametrize(("text", "codec", "sibling"), _SIBLING_CASES)
def test_the_right_reading_scores_below_its_sibling(text: str, codec: str, sibling: str) -> None:
    raw = text.encode(codec)
    assert implausibility(raw.decode(codec)) < implausibility(raw.decode(sibling))


def test_every_shared_document_is_plausible(shared_corpus: Path) -> None:
    for path in sorted(shared_corpus.glob("*/*.txt")):
        assert implausibility(path.read_text(encoding="utf-8")) <= 1.0, path.name
