import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.text.mojibake import has_mojibake, repair_mojibake
from dispatch_corpus.models import DocumentFlag

FRENCH = "L’été sera chaud : « déjà 35 °C », a déclaré le maître d’hôtel — Noël au balcon."
RUSSIAN = "Президент заявил, что «всё идёт по плану» — переговоры продолжатся в пятницу."
ENGLISH = "The minister said: “It’s a deal” — talks resume on Tuesday, 5 °C, €3 bn."


def misread(text: str, codec: str, times: int = 1) -> str:
    """Text encoded as UTF-8 and read back through a single-byte codec, as browsers do."""
    for _ in range(times):
        text = "".join(
            bytes([byte]).decode(codec, "replace").replace("\ufffd", chr(byte))
            for byte in text.encode("utf-8")
        )
    return text


@pytest.mark.parametrize("codec", ["cp1252", "latin-1", "cp1251"])
@pytest.mark.parametrize("text", [FRENCH, RUSSIAN, ENGLISH])
@pytest.mark.parametrize("times", [1, 2, 3])
def test_mojibake_is_repaired_exactly(codec: str, text: str, times: int) -> None:
    mojibake = misread(text, codec, times)
    assert mojibake != text
    assert repair_mojibake(mojibake) == (text, DocumentFlag.MOJIBAKE_REPAIRED)


@pytest.mark.parametrize(
    ("mojibake", "text"),
    [
        ("cafÃ©", "café"),
        ("lâ€™homme", "l’homme"),
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"),
        ("РїСЂРёРІРµС‚", "привет"),
        ("ÃƒÂ©tÃƒÂ©", "été"),
        ("ï»¿Titre", "\ufeffTitre"),
        ("Emoji ðŸ˜€ here", "Emoji 😀 here"),
        ("Ã\x81frica", "África"),  # C1 control where cp1252 has no character
        ("Ð\x9fÑ\x80Ð¸Ð²ÐµÑ\x82", "Привет"),  # read through latin-1
        ("São Paulo: Ã©lu, mais «Ã©tÃ©» et cÃ´tÃ©.", "São Paulo: élu, mais «été» et côté."),
        ("Мир и Ð¼Ð¸Ñ€", "Мир и мир"),
    ],
)
def test_classic_mojibake_is_repaired(mojibake: str, text: str) -> None:
    assert repair_mojibake(mojibake) == (text, DocumentFlag.MOJIBAKE_REPAIRED)
    assert has_mojibake(mojibake)


@pytest.mark.parametrize(
    "text",
    [
        FRENCH,
        RUSSIAN,
        ENGLISH,
        "«СССР» её всё ещё; ТАСС» и РФ» в\u00a0«Газете»",
        "В\u00a02019 году: В\u00a0Москве. С\u00a0тех пор. Её ВЁДРО.",
        "5 км² и 10 м³, №\u00a05, 20 °C, т\u00a0— как",
        "«CAFÉ» ÉTÉ» ÇA’ Ä’ ALLÔ» Î»",
        "A informação sobre a situação das eleições não foi divulgada.",
        "Die »Größe« der Bürger, sagte er. „Zitat“ und ‚so‘.",
        "Ελληνικά νέα από την Αθήνα, 東京, 서울, עברית, عربي.",
        "Zażółć gęślą jaźń, Příliš žluťoučký kůň.",
        "Ã",
        "Ã and Â alone, Ð too",
    ],
)
def test_legitimate_text_is_not_flagged(text: str) -> None:
    assert repair_mojibake(text) == (text, None)
    assert not has_mojibake(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le cafÃ© est Ã©puisÃ©Ã, rien",  # a character cut short ("Ã" without its "©")
        "Ð¿Ñ€Ð¸Ð²ÐµÑ",  # the last letter lost its second byte
    ],
)
def test_mojibake_that_cannot_be_proven_is_only_suspected(text: str) -> None:
    assert repair_mojibake(text) == (text, DocumentFlag.MOJIBAKE_SUSPECTED)


def test_mojibake_next_to_broken_mojibake_is_not_half_repaired() -> None:
    text = "cafÃ© and Ã©Ã"
    repaired, flag = repair_mojibake(text)
    assert (repaired, flag) == (text, DocumentFlag.MOJIBAKE_SUSPECTED)


_LETTERS = st.text(
    st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzéèêàâçôûîïëüœæ’“”«»—–… "
        "абвгдежзийклмнопрстуфхцчшщъыьэюяёАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(text=_LETTERS, codec=st.sampled_from(["cp1252", "latin-1", "cp1251"]))
def test_any_misread_text_repairs_to_itself_or_is_left_alone(text: str, codec: str) -> None:
    mojibake = misread(text, codec)
    repaired, flag = repair_mojibake(mojibake)
    if flag is DocumentFlag.MOJIBAKE_REPAIRED:
        assert repaired == text
    else:
        assert repaired == mojibake


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_repair_is_deterministic_and_never_invents_text(text: str) -> None:
    repaired, flag = repair_mojibake(text)
    assert repair_mojibake(text) == (repaired, flag)
    if flag is DocumentFlag.MOJIBAKE_REPAIRED:
        assert len(repaired) < len(text)
    else:
        assert repaired == text
