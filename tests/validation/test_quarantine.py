from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from dispatch_corpus.build.driver import QUARANTINE_REPORT, build_dataset
from dispatch_corpus.validation import format_report, run_validation, validate_command
from dispatch_corpus.validation.quarantine import read_quarantine

DISPATCH = (
    "Harbour {i} reopens after storm\n\n"
    "BREST, 3 March - The harbour number {i} reopened on Monday, officials said.\n\n"
    '"We are back at sea," said captain {i}.\n\nBoats {i} left by noon.'
)


@pytest.fixture
def quarantined_build(
    make_corpus: Callable[[Mapping[str, bytes | str]], Path], tmp_path: Path
) -> Path:
    """A build of four good dispatches and four rejected inputs (two of them empty)."""
    files: dict[str, bytes | str] = {f"news/d{i}.txt": DISPATCH.format(i=i) for i in range(4)}
    files["news/blank.txt"] = b""
    files["news/hollow.txt"] = b""
    files["news/image.txt"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    files["news/z_copy.txt"] = DISPATCH.format(i=0)
    out = tmp_path / "dataset"
    build_dataset(make_corpus(files), out)
    return out


def test_quarantined_inputs_are_listed_by_reason_and_do_not_fail(
    quarantined_build: Path, tmp_path: Path
) -> None:
    report = run_validation(quarantined_build, tmp_path / "report", workers=1)
    assert report.success, [(c.check, c.samples) for c in report.failures]
    data = json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8"))
    quarantine = data["quarantine"]
    assert quarantine["total"] == 4
    assert quarantine["by_reason"] == {"binary": 1, "duplicate_text": 1, "empty": 2}
    inputs = {i["source_path"]: i["reason_code"] for i in quarantine["inputs"]}
    assert inputs == {
        "news/blank.txt": "empty",
        "news/hollow.txt": "empty",
        "news/image.txt": "binary",
        "news/z_copy.txt": "duplicate_text",
    }
    assert all(i["message"] for i in quarantine["inputs"])
    check = next(c for c in data["checks"] if c["check"] == "quarantine.records")
    assert (check["success"], check["element_count"]) == (True, 4)

    text = format_report(report)
    assert "quarantined inputs: 4 (binary=1, duplicate_text=1, empty=2)" in text.splitlines()

    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    section = page[page.index(">Quarantined inputs</h2>") :]
    assert section.index("<code>binary</code>: 1") < section.index("news/image.txt")
    empty = section.index("<code>empty</code>: 2")
    assert empty < section.index("news/blank.txt") < section.index("news/hollow.txt")


def test_a_malformed_quarantine_line_is_a_failed_check_not_a_crash(
    quarantined_build: Path, tmp_path: Path
) -> None:
    path = quarantined_build / QUARANTINE_REPORT
    good = path.read_text(encoding="utf-8").splitlines()
    wrong_reason = json.loads(good[0]) | {"reason_code": "felt_like_it"}
    lines = [good[0], "{not json", json.dumps(wrong_reason), *good[1:], "[]"]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe\n")
    outcome = validate_command(quarantined_build, tmp_path / "report", workers=1)
    assert outcome.exit_code == 1
    data = json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8"))
    assert data["failed_checks"] == ["quarantine.records"]
    check = next(c for c in data["checks"] if c["check"] == "quarantine.records")
    assert (check["unexpected_count"], check["element_count"]) == (4, 8)
    assert check["samples"][0].startswith("line 2: malformed JSON")
    assert check["samples"][1].startswith("line 3: reason_code = 'felt_like_it': ")
    assert check["samples"][2].startswith("line 7: line = '[]': ")
    assert check["samples"][3].startswith("line 8: not valid UTF-8 (byte 0x")
    wrong = check["details"]["failures"][1]
    assert (wrong["row"], wrong["column"], wrong["actual"]) == (
        "line 3",
        "reason_code",
        "felt_like_it",
    )
    assert "empty" in wrong["expected"], "the message lists the reason codes"
    assert data["quarantine"]["total"] == 4
    assert "quarantined inputs: 4 (" in outcome.stdout


def test_without_a_quarantine_report_there_is_no_quarantine_section(
    quarantined_build: Path, tmp_path: Path
) -> None:
    (quarantined_build / QUARANTINE_REPORT).unlink()
    assert read_quarantine(quarantined_build) is None
    report = run_validation(quarantined_build, tmp_path / "report", workers=1)
    assert report.success
    assert "quarantine.records" not in {c.check for c in report.checks}
    data = json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8"))
    assert data["quarantine"] is None
    assert "quarantined inputs" not in format_report(report)


def test_an_empty_quarantine_report_says_zero(quarantined_build: Path, tmp_path: Path) -> None:
    (quarantined_build / QUARANTINE_REPORT).write_text("", encoding="utf-8")
    shutil.rmtree(quarantined_build / "reports" / "validation", ignore_errors=True)
    report = run_validation(quarantined_build, tmp_path / "report", workers=1)
    assert report.quarantine is not None
    assert report.quarantine.line() == "quarantined inputs: 0"
    assert "quarantined inputs: 0" in format_report(report).splitlines()
