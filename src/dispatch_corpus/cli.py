"""Command line: argument parsing and printing only."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from dispatch_corpus.build import BuildError, build_dataset
from dispatch_corpus.corpus import DEFAULT_MAX_BYTES, CorpusError
from dispatch_corpus.engines.local import default_workers
from dispatch_corpus.evaluation import Evaluation
from dispatch_corpus.gold import evaluate_gold

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CANNOT_RUN = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dispatch-corpus`` command line.

    Args:
        argv: Arguments without the program name (default: ``sys.argv[1:]``).

    Returns:
        The process exit code: 0 done, 1 checks failed, 2 could not run.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except (CorpusError, BuildError, OSError) as error:
        print(f"dispatch-corpus {args.command}: error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        print(f"dispatch-corpus {args.command}: interrupted", file=sys.stderr)
        return EXIT_CANNOT_RUN
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dispatch-corpus",
        description="Build, validate and release a labeled corpus of news dispatches.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build a dataset folder from a corpus folder")
    build.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder")
    build.add_argument("--out", type=Path, default=Path("build"), help="dataset folder")
    build.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help="quarantine inputs larger than this (default 5 MB)",
    )
    build.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="worker processes (default: all cores; 1 runs in-process)",
    )
    build.set_defaults(run=_run_build)

    bench = commands.add_parser(
        "bench", help="benchmark the build against the I/O floor on generated dispatches"
    )
    bench.add_argument("--docs", type=int, required=True, help="dispatches to generate")
    bench.add_argument("--workers", type=int, default=default_workers(), help="build workers")
    bench.add_argument("--json", action="store_true", help="end with one JSON line")
    bench.set_defaults(run=_run_bench)

    evaluate = commands.add_parser("evaluate", help="score the labeler against gold files")
    evaluate.add_argument("--gold", type=Path, required=True, help="folder of *.expected.json")
    evaluate.add_argument(
        "--corpus",
        type=Path,
        default=Path("../shared/corpus"),
        help="corpus folder holding the gold documents",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(run=_run_evaluate)
    return parser


def _run_build(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    with tqdm(unit="doc", desc="build", disable=None, leave=False) as bar:
        summary = build_dataset(
            args.corpus,
            args.out,
            max_bytes=args.max_bytes,
            workers=args.workers,
            on_progress=bar.update,
            on_total=lambda total: setattr(bar, "total", total),
        )
    for note in summary.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"built {args.out}: {summary.line()}")
    return EXIT_OK


def _run_bench(args: argparse.Namespace) -> int:
    from dispatch_corpus.bench.run import run_benchmark

    result = run_benchmark(args.docs, args.workers)
    figures = result.as_dict()
    print(
        f"bench: {result.docs} docs, {result.raw_mb:.1f} MB raw, {result.paragraphs} paragraphs, "
        f"{result.workers} workers"
    )
    for name, value in figures.items():
        if name != "docs_per_s":
            print(f"  {name:<13} {'-' if value is None else value}")
    print(f"  build_s/floor_s {result.build_s / result.floor_s:.2f}")
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    return EXIT_OK


def _run_evaluate(args: argparse.Namespace) -> int:
    result = evaluate_gold(args.gold, args.corpus)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, sort_keys=True))
    else:
        print(_format_evaluation(result))
    return EXIT_OK


def _format_evaluation(result: Evaluation) -> str:
    lines = [
        f"documents {result.documents}, paragraphs {result.paragraphs}"
        + (
            f", missing {len(result.missing)}: {', '.join(result.missing)}"
            if result.missing
            else ""
        ),
        f"segmentation exact  {result.segmentation_exact:.3f}",
        f"role accuracy       {result.role_accuracy:.3f}",
        f"macro-F1            {result.macro_f1:.3f}",
        f"sections exact      {result.sections_exact:.3f}",
        "",
        f"{'role':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>7}",
    ]
    for role, score in result.per_role.items():
        lines.append(
            f"{role:<12} {score.precision:>9.3f} {score.recall:>7.3f} "
            f"{score.f1:>6.3f} {score.support:>7}"
        )
    if result.per_language:
        lines += [
            "",
            f"{'language':<9} {'docs':>5} {'accuracy':>8} {'macro-F1':>8} "
            f"{'segm.':>6} {'sections':>8}",
        ]
        for lang, sub in result.per_language.items():
            lines.append(
                f"{lang:<9} {sub.documents:>5} {sub.role_accuracy:>8.3f} "
                f"{sub.macro_f1:>8.3f} {sub.segmentation_exact:>6.3f} "
                f"{sub.sections_exact:>8.3f}"
            )
    lines += ["", "most frequent confusions (gold -> predicted):"]
    lines += [f"  {g:<12} -> {p:<14} {n}" for g, p, n in result.confusions[:10]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
