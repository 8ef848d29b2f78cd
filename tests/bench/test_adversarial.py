"""The adversarial battery: every case named once, sized as asked, laid out as named."""

from __future__ import annotations

import pytest

from dispatch_corpus.bench.adversarial import (
    LAYOUTS,
    SHORT_PATTERNS,
    SINGLE_CHARACTERS,
    AdversarialCase,
    adversarial_cases,
    find_case,
)


def test_every_unit_comes_in_every_layout_under_a_unique_name() -> None:
    cases = list(adversarial_cases())
    units = [*SINGLE_CHARACTERS, *SHORT_PATTERNS]
    assert len(set(units)) == len(units)
    assert len(cases) == len(units) * len(LAYOUTS)
    assert len({case.name for case in cases}) == len(cases)


@pytest.mark.parametrize("name", ["line:.", "titled:=", "lines:U00A0", "paragraphs:said "])
def test_a_case_is_found_by_its_name(name: str) -> None:
    assert find_case(name).name == name


def test_an_unknown_name_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        find_case("line:no such unit")


@pytest.mark.parametrize("size", [64, 1000, 4096])
@pytest.mark.parametrize("unit", ["a", "é", "中", "\U0001f600", "said "])
def test_texts_fill_the_size_with_whole_units(size: int, unit: str) -> None:
    for layout in LAYOUTS:
        text = AdversarialCase(unit, layout).text(size)
        piece = len((unit + "\n\n").encode())
        assert size - 2 * piece < len(text.encode()) <= size


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_size_below_one_unit_still_gives_one(layout: str) -> None:
    assert AdversarialCase("said ", layout).text(1).count("said ") == 1


def test_layouts_repeat_the_unit_as_named() -> None:
    assert AdversarialCase("ab", "line").text(6) == "ababab"
    assert AdversarialCase("ab", "lines").text(6) == "ab\nab\n"
    assert AdversarialCase("ab", "paragraphs").text(8) == "ab\n\nab\n\n"
    titled = AdversarialCase("ab", "titled").text(100)
    assert titled.splitlines()[0] == "A headline above the run"
    assert set(titled.splitlines()[1].split("ab")) == {""}
