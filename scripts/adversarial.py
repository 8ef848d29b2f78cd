"""Survey the build on adversarial dispatches: CPU seconds and peak RSS per case.

Every case of ``dispatch_corpus.bench.adversarial`` (a character or a short pattern repeated
on one line, after a headline, one per line, one per paragraph) is written as one file of
``--bytes`` (default: the build's ``--max-bytes``) and built alone with one worker, as
``dispatch-corpus build --workers 1 --no-validate`` does, in a process forked after the
imports. Printed per case: the CPU seconds of the build (start-up excluded), its peak RSS,
the RSS before it, and what became of the file. With ``--growth`` each case is also built
at a quarter of the size and the CPU ratio is printed (about 4 when linear).

    uv run --frozen python scripts/adversarial.py [--bytes N] [--timeout S] [--only TEXT]
        [--case NAME] [--growth] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from dispatch_corpus.bench.adversarial import AdversarialCase, adversarial_cases
from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset.corpus import DEFAULT_MAX_BYTES
from dispatch_corpus.settings import BuildSettings

_FORK = multiprocessing.get_context("fork")


def run_child(case: AdversarialCase, size: int) -> dict[str, Any]:
    """Build one case in this process and return its measures."""
    with tempfile.TemporaryDirectory(prefix="adversarial-") as tmp:
        corpus = Path(tmp) / "corpus"
        (corpus / "c").mkdir(parents=True)
        data = case.text(size).encode("utf-8", "surrogatepass")
        (corpus / "c" / "doc.txt").write_bytes(data)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.process_time()
        summary = build_dataset(
            corpus, Path(tmp) / "out", BuildSettings(max_bytes=max(size, DEFAULT_MAX_BYTES))
        )
        cpu = time.process_time() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reasons = dict(summary.quarantine_reasons)
    outcome = f"{summary.paragraphs} paragraphs" if summary.accepted else ",".join(reasons)
    return {
        "case": case.name,
        "bytes": len(data),
        "cpu_s": round(cpu, 3),
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_before_mb": round(rss_before / 1024, 1),
        "outcome": outcome,
    }


def warm_up() -> None:
    """Build a one-line corpus once, so that forked builds find every module imported."""
    with tempfile.TemporaryDirectory(prefix="adversarial-") as tmp:
        (Path(tmp) / "corpus" / "c").mkdir(parents=True)
        (Path(tmp) / "corpus" / "c" / "doc.txt").write_text("Title\nBody.\n", encoding="utf-8")
        build_dataset(Path(tmp) / "corpus", Path(tmp) / "out")


def _child(case: AdversarialCase, size: int, sender: Connection) -> None:
    try:
        sender.send(run_child(case, size))
    except BaseException as error:
        sender.send({"case": case.name, "bytes": size, "cpu_s": None, "outcome": repr(error)})


def measure(case: AdversarialCase, size: int, timeout: float) -> dict[str, Any]:
    """Build one case in a forked process (start-up already paid), or report a time-out."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = _FORK.Process(target=_child, args=(case, size, sender))
    child.start()
    sender.close()
    if receiver.poll(timeout):
        result: dict[str, Any] = receiver.recv()
        child.join()
        return result
    child.kill()
    child.join()
    return {"case": case.name, "bytes": size, "cpu_s": None, "outcome": f"> {timeout:g} s"}


def survey(case: AdversarialCase, args: argparse.Namespace) -> dict[str, Any]:
    """Measure one case at full size (and a quarter of it with ``--growth``)."""
    result = measure(case, args.bytes, args.timeout)
    if args.growth:
        small = measure(case, args.bytes // 4, args.timeout)
        result["cpu_quarter_s"] = small["cpu_s"]
        if small["cpu_s"] is not None and result["cpu_s"] is not None:
            result["growth"] = round(result["cpu_s"] / max(small["cpu_s"], 0.01), 1)
    return result


def show(result: dict[str, Any]) -> str:
    """One line per case."""
    cpu = "-" if result["cpu_s"] is None else f"{result['cpu_s']:.2f}"
    rss = result.get("peak_rss_mb", "-")
    before = result.get("rss_before_mb", "-")
    growth = f"  x{result['growth']}" if "growth" in result else ""
    return (
        f"{result['case']!r:34} {result['bytes']:>9} B  cpu {cpu:>7} s  "
        f"peak {rss:>7} MB (before {before:>6})  {result['outcome']}{growth}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--bytes", type=int, default=DEFAULT_MAX_BYTES, help="size of each file")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per build")
    parser.add_argument("--only", action="append", default=[], help="cases whose name has TEXT")
    parser.add_argument("--case", action="append", default=[], help="the case of this exact name")
    parser.add_argument("--growth", action="store_true", help="also build at a quarter size")
    parser.add_argument("--json", type=Path, help="write every result to this JSON file")
    args = parser.parse_args()
    chosen = args.only or args.case
    cases = [
        case
        for case in adversarial_cases()
        if not chosen or case.name in args.case or any(text in case.name for text in args.only)
    ]
    warm_up()
    started = time.perf_counter()
    results = []
    for case in cases:
        result = survey(case, args)
        print(show(result), flush=True)
        results.append(result)
    timings = [r["cpu_s"] for r in results if r["cpu_s"] is not None]
    failed = [r["case"] for r in results if r["cpu_s"] is None]
    print(
        f"{len(results)} cases in {time.perf_counter() - started:.0f} s; "
        f"slowest {max(timings, default=0):.2f} CPU s; "
        f"peak RSS {max((r.get('peak_rss_mb', 0) for r in results), default=0):.0f} MB; "
        f"{len(failed)} not finished: {failed}"
    )
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
