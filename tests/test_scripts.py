"""Maintainer scripts are thin wrappers over the package: they run and exit like the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from dispatch_corpus.build.driver import build_dataset

REPO_ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=REPO_ROOT, check=False
    )


def test_validate_script_validates_a_build(tmp_path: Path) -> None:
    build_dataset(REPO_ROOT / "corpus", tmp_path / "build")
    done = _run("scripts/validate.py", str(tmp_path / "build"), "--report-dir", str(tmp_path / "r"))
    assert done.returncode == 0, done.stderr
    assert "all checks pass" in done.stdout
    assert (tmp_path / "r" / "index.html").is_file()


def test_validate_script_exits_two_with_one_line_on_a_missing_folder(tmp_path: Path) -> None:
    done = _run("scripts/validate.py", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_adversarial_survey_prints_cpu_and_memory_per_case(tmp_path: Path) -> None:
    report = tmp_path / "survey.json"
    done = _run(
        "scripts/adversarial.py",
        "--bytes",
        "20000",
        "--case",
        "titled:U2026",
        "--growth",
        "--json",
        str(report),
    )
    assert done.returncode == 0, done.stderr
    first, summary = done.stdout.strip().splitlines()
    assert "titled:U2026" in first and "2 paragraphs" in first and "peak" in first
    assert summary.startswith("1 cases in") and "0 not finished" in summary
    (result,) = json.loads(report.read_text(encoding="utf-8"))
    assert result["bytes"] <= 20000 and result["cpu_s"] >= 0 and result["growth"] > 0


def test_validation_bench_catches_every_planted_defect(tmp_path: Path) -> None:
    build_dataset(REPO_ROOT / "corpus", tmp_path / "source")
    done = _run(
        "scripts/bench_validate.py",
        "--source",
        str(tmp_path / "source"),
        "--rows",
        "20000",
        "--workers",
        "2",
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    lines = done.stdout.splitlines()
    (header,) = [i for i, line in enumerate(lines) if line.startswith("defect ")]
    table = [line.split(" | ") for line in lines[header + 1 : -1]]
    assert len(table) >= 11
    checks = {check.strip() for _, check, _ in table}
    assert {"paragraphs.records", "documents.schema", "paragraphs.doc_id_in_documents"} <= checks
    assert {"documents.share_starts_lowercase.max", "sections.tile_paragraphs"} <= checks
    assert [caught for _, _, caught in table] == ["yes"] * len(table)
    assert lines[-1] == f"caught {len(table)} of {len(table)} planted defects"


def test_screenshot_script_renders_a_report_with_a_planted_failure_in_chromium(
    tmp_path: Path,
) -> None:
    import shutil as shell

    import pyarrow.parquet as pq
    from PIL import Image

    if not any(shell.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        pytest.skip("no Chromium on PATH (apt-get install chromium): the screenshot is not taken")
    build_dataset(REPO_ROOT / "corpus", tmp_path / "build")
    (shard,) = sorted((tmp_path / "build" / "data" / "sections").glob("*.parquet"))
    table = pq.read_table(shard)
    names = table["label_name"].to_pylist()
    names[1] = "list" if names[1] != "list" else "body"
    position = table.schema.get_field_index("label_name")
    field = table.schema.field("label_name")
    pq.write_table(table.set_column(position, field, pa.array(names)).cast(table.schema), shard)
    report = tmp_path / "report"
    assert _run("scripts/validate.py", str(tmp_path / "build"), "--report-dir", str(report))
    png, dom = tmp_path / "report.png", tmp_path / "dom.html"
    done = _run(
        "scripts/screenshot_report.py",
        str(report / "index.html"),
        "--out",
        str(png),
        "--width",
        "1200",
        "--height",
        "1600",
        "--dom",
        str(dom),
    )
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 30_000
    with Image.open(png) as image:
        assert image.size == (1200, 1600)
        pixels = image.convert("RGB")
        colours = pixels.getcolors(maxcolors=1 << 16) or []
        top = pixels.crop((0, 0, 1200, 200))
        # The red "1 of N checks fail" badge (#fbe4e4) is drawn near the top of the page.
        badge = sum(
            n for n, rgb in (top.getcolors(maxcolors=1 << 16) or []) if rgb == (251, 228, 228)
        )
    assert len(colours) > 50, "text, badges and tables, not a blank page"
    assert badge > 500
    rendered = dom.read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", rendered).split())
    assert re.search(r"1 of [0-9]+ checks fail", text)
    assert "Summary" in text and "Failures" in text
    assert (
        "label_name 'list' is not label 'body'" in text or "label_name 'body' is not label" in text
    )
    assert text.index("Summary") < text.index("sections.records") < text.index("schema (1 pass)")


def test_screenshot_script_exits_two_with_one_line_without_a_report(tmp_path: Path) -> None:
    done = _run("scripts/screenshot_report.py", str(tmp_path / "missing.html"), "--out", "x.png")
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("screenshot_report: error: ")


def test_neardup_bench_prints_recall_per_edit_kind(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "news"
    corpus.mkdir(parents=True)
    seed = (REPO_ROOT / "corpus").glob("*/*.txt")
    for path in seed:
        (corpus / path.name).write_bytes(path.read_bytes())
    for i in range(6):
        (corpus / f"extra{i}.txt").write_text(
            f"Story {i}\n\n" + " ".join(f"word{i}x{j}" for j in range(80)) + ".\n\n"
            f"Second paragraph of story {i}, with its own words {i * 3} and {i * 5}.",
            encoding="utf-8",
        )
    done = _run("scripts/bench_neardup.py", "--corpus", str(tmp_path / "corpus"), "--limit", "4")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "documents 7, threshold 0.8"
    table = {line.split(" | ")[0]: line.split(" | ") for line in lines[2:7]}
    assert list(table) == ["rewrap", "headline", "words10", "reorder", "sentence"]
    assert all(row[1] == "4" for row in table.values())
    assert table["rewrap"][2:5] == ["4", "4", "1.000"]
    assert lines[-1] == "false positives 0"
