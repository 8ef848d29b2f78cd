"""Command line: argument parsing and printing only.

Each command imports the modules it needs when it runs: ``--help`` and argument errors stay
instant, where pyarrow, pandas and Great Expectations take seconds to import.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from dispatch_corpus.errors import (
    EXIT_CANNOT_RUN,
    EXIT_OK,
    EXIT_REFUSED,
    CannotRunError,
    DispatchCorpusError,
    RefusedError,
)
from dispatch_corpus.settings import (
    DEFAULT_CV_FOLDS,
    DEFAULT_MAX_BYTES,
    DEFAULT_REPORT_DIR,
    ENGINES,
    LOCAL_MASTER,
    VALIDATION_ENGINES,
    BuildSettings,
    default_workers,
)
from dispatch_corpus.utils.numbers import count, counted
from dispatch_corpus.utils.values import printable

if TYPE_CHECKING:
    from dispatch_corpus.evaluation.cv import CrossValidation
    from dispatch_corpus.evaluation.score import Evaluation
    from dispatch_corpus.validation import CommandOutcome

DEFAULT_GOLD_CORPUS = Path("../shared/corpus")
"""Where evaluate and release --gold look for the gold documents' raw text by default."""
DEFAULT_BENCH_SOURCES = (Path("corpus"), DEFAULT_GOLD_CORPUS)
"""Corpus folders bench recombines by default, relative to the current folder like --corpus."""
NOTES_MAX_BYTES = 1024 * 1024
"""Release notes are a page of Markdown: anything larger is not what the maintainer meant."""
TRACEBACK_VARIABLE = "DISPATCH_CORPUS_TRACEBACK"
"""Environment variable that lets an unexpected error raise with its traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dispatch-corpus`` command line.

    Args:
        argv: Arguments without the program name (default: ``sys.argv[1:]``).

    Returns:
        The process exit code: 0 done, 1 checks failed, 2 could not run.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    prefix = f"dispatch-corpus {args.command}:"
    try:
        code: int = args.run(args)
    except RefusedError as error:
        # Caught before its base class: a refusal is an answer, printed without "error:".
        print(f"{prefix} {error}", file=sys.stderr)
        return error.exit_code
    except DispatchCorpusError as error:
        print(f"{prefix} error: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:
        # An OS error no module turned into one of ours (a full disk while writing).
        print(f"{prefix} error: {_one_line(error)}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        # No staging folder is left: each with block removed its own on the way out.
        print(f"{prefix} interrupted", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except Exception as error:
        # The last guard of the one-line promise: an error no module expected is a bug, but
        # the user still gets one line (the traceback on request) and exit 2.
        if os.environ.get(TRACEBACK_VARIABLE):
            raise
        print(
            f"{prefix} error: internal error ({type(error).__name__}: {_one_line(error)}); "
            f"set {TRACEBACK_VARIABLE}=1 for the traceback",
            file=sys.stderr,
        )
        return EXIT_CANNOT_RUN
    return code


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dispatch-corpus")
    except PackageNotFoundError:
        return "(not installed)"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE`` (``PROG`` names the subcommand) and exit 2."""
        self.exit(EXIT_CANNOT_RUN, f"{self.prog}: error: {message} (see --help)\n")


def _folds(text: str) -> int:
    """A number of cross-validation folds: an integer of at least 2 (one fold scores nothing)."""
    value = _count(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"{value} folds: cross-validation needs at least 2")
    return value


def _count(text: str) -> int:
    """A count given on the command line: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a count of at least 1")
    return value


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:500]


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dispatch-corpus",
        description="Build, validate and release a labeled corpus of news dispatches.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build a dataset folder from a corpus folder")
    build.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder")
    build.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        help="dataset folder: new, empty, or an earlier build (anything else is refused)",
    )
    build.add_argument(
        "--max-bytes",
        type=_count,
        default=DEFAULT_MAX_BYTES,
        help="quarantine inputs larger than this (default 5 MB)",
    )
    build.add_argument(
        "--workers",
        type=_count,
        default=default_workers(),
        help="worker processes (default: all cores; 1 runs in-process)",
    )
    _add_engine_arguments(
        build,
        ENGINES,
        "local worker processes, or Spark (needs the spark extra); same output. The build "
        "is validated on the same engine: Arrow compute for local, Spark for spark",
    )
    build.add_argument(
        "--splits-from",
        type=Path,
        metavar="DIR",
        help="an earlier release or build: each of its documents keeps its split",
    )
    build.add_argument(
        "--no-validate",
        dest="validate",
        action="store_false",
        help="skip validating the dataset (default: validate, report in OUT/reports/validation)",
    )
    build.set_defaults(run=_run_build)

    validate = commands.add_parser("validate", help="check a built dataset or a release")
    validate.add_argument("dataset", type=Path, help="dataset folder (a build or a release)")
    validate.add_argument(
        "--report-dir",
        type=Path,
        default=None,
        help="where results.json and index.html go (default: DATASET/reports/validation for "
        "a build; no report file for a release, which is read-only)",
    )
    validate.add_argument(
        "--suites",
        type=Path,
        help="suite folder (default: the package's copy of schemas/expectations)",
    )
    validate.add_argument("--workers", type=_count, help="worker processes (default: one per core)")
    validate.add_argument("--all", action="store_true", help="list passing checks too")
    _add_engine_arguments(
        validate,
        VALIDATION_ENGINES,
        "run the expectation suites with Arrow compute (local, default), Great Expectations' "
        "pandas engine (ge) or its Spark engine (spark); same verdicts",
    )
    validate.set_defaults(run=_run_validate)

    stats = commands.add_parser("stats", help="print the statistics of a build or a release")
    stats.add_argument("dataset", type=Path, help="dataset folder (a build or a release)")
    stats.set_defaults(run=_run_stats)

    bench = commands.add_parser(
        "bench", help="benchmark the build against the I/O floor on generated dispatches"
    )
    bench.add_argument("--docs", type=_count, required=True, help="dispatches to generate")
    bench.add_argument("--workers", type=_count, default=default_workers(), help="build workers")
    bench.add_argument(
        "--sources",
        type=Path,
        nargs="+",
        default=list(DEFAULT_BENCH_SOURCES),
        help="corpus folders whose dispatches are recombined (default: corpus ../shared/corpus)",
    )
    bench.add_argument("--json", action="store_true", help="end with one JSON line")
    bench.set_defaults(run=_run_bench)

    evaluate = commands.add_parser("evaluate", help="score the labeler against gold files")
    evaluate.add_argument("--gold", type=Path, required=True, help="folder of *.expected.json")
    evaluate.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_GOLD_CORPUS,
        help="corpus folder holding the gold documents",
    )
    evaluate.add_argument(
        "--cv",
        type=_folds,
        nargs="?",
        const=DEFAULT_CV_FOLDS,
        metavar="K",
        help="K-fold cross-validation by document, folds stratified by collection "
        f"(K defaults to {DEFAULT_CV_FOLDS}): every document is scored with a calibration "
        "fitted without it",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument("--plot", type=Path, help="also write the role confusion matrix as a PNG")
    evaluate.set_defaults(run=_run_evaluate)

    release = commands.add_parser("release", help="cut an immutable, versioned release")
    release.add_argument("version", help="release version, MAJOR.MINOR.PATCH")
    release.add_argument(
        "--from", dest="build", type=Path, required=True, help="build folder to release"
    )
    release.add_argument(
        "--releases-dir", type=Path, default=Path("releases"), help="folder of releases"
    )
    release.add_argument("--repo-id", help="Hub dataset repository ORG/NAME named in the card")
    release.add_argument(
        "--report-dir",
        type=Path,
        help="validation report folder (default: BUILD/reports/validation)",
    )
    release.add_argument(
        "--gold",
        type=Path,
        help="cross-validate the labeler on this gold folder and show it on the card",
    )
    release.add_argument(
        "--notes",
        type=Path,
        help="Markdown file of the maintainer's notes, put at the top of the changelog",
    )
    release.add_argument(
        "--cv",
        type=_folds,
        default=DEFAULT_CV_FOLDS,
        metavar="K",
        help=f"cross-validation folds for --gold (default {DEFAULT_CV_FOLDS})",
    )
    release.add_argument(
        "--gold-corpus",
        type=Path,
        default=DEFAULT_GOLD_CORPUS,
        help="corpus folder holding the gold documents",
    )
    release.set_defaults(run=_run_release)

    verify = commands.add_parser("verify", help="recheck a release against its MANIFEST.json")
    verify.add_argument("release_dir", type=Path, help="release folder, e.g. releases/1.0.0")
    verify.set_defaults(run=_run_verify)

    diff = commands.add_parser("diff", help="compare two releases, or a release and a build")
    diff.add_argument("old", type=Path, help="earlier release or build folder")
    diff.add_argument("new", type=Path, help="later release or build folder")
    diff.set_defaults(run=_run_diff)

    publish = commands.add_parser("publish", help="push a release to the Hugging Face Hub")
    publish.add_argument("version", help="release version, MAJOR.MINOR.PATCH")
    publish.add_argument("--repo-id", required=True, help="Hub dataset repository ORG/NAME")
    publish.add_argument(
        "--releases-dir", type=Path, default=Path("releases"), help="folder of releases"
    )
    publish.add_argument(
        "--dry-run", action="store_true", help="print the exact operations, send nothing"
    )
    publish.set_defaults(run=_run_publish)
    return parser


def _add_engine_arguments(
    parser: argparse.ArgumentParser, engines: Sequence[str], engine_help: str
) -> None:
    parser.add_argument("--engine", choices=engines, default="local", help=engine_help)
    parser.add_argument(
        "--spark-master",
        default=LOCAL_MASTER,
        help=f"Spark master URL for --engine spark (default {LOCAL_MASTER})",
    )


def _run_build(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from dispatch_corpus.build.driver import build_dataset
    from dispatch_corpus.dataset.pins import NO_PINS, read_pins
    from dispatch_corpus.validation import validate_command

    # Read before the build starts: an unusable folder stops it with nothing written.
    pins = read_pins(args.splits_from) if args.splits_from is not None else NO_PINS
    # disable=None: a bar only when stderr is a terminal, none in logs and pipes.
    with tqdm(unit="doc", desc="build", disable=None, leave=False) as bar:
        summary = build_dataset(
            args.corpus,
            args.out,
            BuildSettings(
                max_bytes=args.max_bytes,
                workers=args.workers,
                engine=args.engine,
                spark_master=args.spark_master,
            ),
            on_progress=bar.update,
            on_total=lambda total: setattr(bar, "total", total),
            pins=pins,
        )
    for note in summary.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"built {args.out}: {summary.line()}")
    if not args.validate:
        return EXIT_OK
    with _validation_progress() as on_progress:
        outcome = validate_command(
            args.out, engine=args.engine, spark_master=args.spark_master, on_progress=on_progress
        )
    if outcome.exit_code != EXIT_REFUSED:
        return _print_outcome(outcome)
    print(outcome.stdout)
    report = args.out / DEFAULT_REPORT_DIR / "index.html"
    print(f"dispatch-corpus build: validation failed, see {report}", file=sys.stderr)
    return EXIT_REFUSED


def _run_validate(args: argparse.Namespace) -> int:
    from dispatch_corpus.validation import validate_command

    with _validation_progress() as on_progress:
        outcome = validate_command(
            args.dataset,
            args.report_dir,
            suites_dir=args.suites,
            workers=args.workers,
            every_check=args.all,
            engine=args.engine,
            spark_master=args.spark_master,
            on_progress=on_progress,
        )
    return _print_outcome(outcome)


@contextmanager
def _validation_progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar of the ranges validated, on standard error when it is a terminal."""
    from tqdm import tqdm

    with tqdm(unit="range", desc="validate", disable=None, leave=False) as bar:

        def update(done: int, total: int) -> None:
            bar.total = total
            # Validation reports the ranges done so far; tqdm counts increments.
            bar.update(done - bar.n)
            # tqdm redraws at most every 0.1 s: ranges that finish faster would never
            # show. Ranges are few and coarse, so each one is drawn.
            bar.refresh()

        yield update


def _print_outcome(outcome: CommandOutcome) -> int:
    if outcome.stdout:
        print(outcome.stdout)
    if outcome.stderr:
        print(outcome.stderr, file=sys.stderr)
    return outcome.exit_code


def _run_stats(args: argparse.Namespace) -> int:
    from dispatch_corpus.dataset.stats import compute_stats, summarize_lengths

    stats = compute_stats(args.dataset)
    print(
        f"{args.dataset}: {count(stats.documents)} documents, {count(stats.paragraphs)} "
        f"paragraphs, {count(stats.sections)} sections"
    )
    groups = {
        "documents per language": stats.languages,
        "documents per collection": stats.collections,
        "documents per license": stats.licenses,
        "paragraphs per role": stats.roles,
        "sections per label": stats.labels,
        "document flags": stats.document_flags,
        "paragraph flags": stats.paragraph_flags,
    }
    for title, counts in groups.items():
        print(f"{title}:")
        for name, n in counts.items():
            print(f"  {printable(str(name)):<28} {count(n):>9}")
    for unit, values in (("paragraph", stats.paragraph_chars), ("document", stats.document_chars)):
        if values:
            lengths = summarize_lengths(values)
            print(
                f"{unit} length: min {count(lengths.minimum)}, median {count(lengths.median)}, "
                f"max {count(lengths.maximum)}, mean {lengths.mean:,.1f}"
            )
    return EXIT_OK


def _run_bench(args: argparse.Namespace) -> int:
    from dispatch_corpus.bench.run import run_benchmark
    from dispatch_corpus.validation import run_validation

    def validate(dataset: Path) -> None:
        report = run_validation(dataset, dataset.parent / "validation")
        if not report.success:
            print(f"bench: validation of the generated dataset failed ({dataset})", file=sys.stderr)

    result = run_benchmark(args.docs, args.workers, args.sources, validate=validate)
    figures = result.as_dict()
    print(
        f"bench: {count(result.docs)} docs, {result.raw_mb:,.1f} MB raw, "
        f"{count(result.paragraphs)} paragraphs, {count(result.workers)} workers"
    )
    for name, value in figures.items():
        if name != "docs_per_s":
            # Thousands separated, at the precision the JSON line gives.
            print(f"  {name:<15} {'-' if value is None else format(value, ',')}")
    print(f"  build_s/floor_s {result.build_s / result.floor_s:,.2f}")
    if result.validate_s is not None:
        print(f"  validated paragraph rows/s {result.paragraphs / result.validate_s:,.0f}")
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    return EXIT_OK


def _run_evaluate(args: argparse.Namespace) -> int:
    from dispatch_corpus.evaluation.gold import evaluate_gold
    from dispatch_corpus.evaluation.plots import write_confusion_matrix

    if args.cv is not None:
        return _run_cross_validation(args)
    result = evaluate_gold(args.gold, args.corpus)
    if args.plot is not None:
        write_confusion_matrix(result, args.plot)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, sort_keys=True))
    else:
        print(_format_evaluation(result))
    return EXIT_OK


def _run_cross_validation(args: argparse.Namespace) -> int:
    from dispatch_corpus.evaluation.cv import FITTED_PARTS
    from dispatch_corpus.evaluation.plots import write_confusion_matrix

    result = _cross_validate(args.gold, args.corpus, args.cv)
    if args.plot is not None:
        write_confusion_matrix(result.evaluation, args.plot)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, sort_keys=True))
        return EXIT_OK
    folds = ", ".join(f"{a:.3f}" for a in result.fold_accuracy)
    print(
        f"{result.folds}-fold cross-validation by document (stratified by collection); "
        f"fitted inside the folds: {FITTED_PARTS}; the role rules have no fitted parameter"
    )
    print(f"role accuracy per fold: {folds}")
    print(_format_evaluation(result.evaluation))
    return EXIT_OK


def _read_notes(path: Path) -> str:
    """Read the release notes file: a regular UTF-8 text file of at most 1 MB."""
    from dispatch_corpus.dataset.jsonfile import read_regular_file

    data = read_regular_file(path, error=CannotRunError, max_bytes=NOTES_MAX_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CannotRunError(f"{path}: not UTF-8 text (byte {error.start})") from error


def _cross_validate(gold: Path, corpus: Path, folds: int) -> CrossValidation:
    """Cross-validate the labeler on a gold folder, for ``evaluate --cv`` and ``release --gold``."""
    from dispatch_corpus.dataset.corpus import CorpusError
    from dispatch_corpus.evaluation.cv import cross_validate
    from dispatch_corpus.evaluation.gold import build_gold_labels, load_gold

    items = build_gold_labels(load_gold(gold), corpus)
    try:
        return cross_validate(items, folds)
    except ValueError as error:
        # More folds than gold documents: known only once the gold is read.
        raise CorpusError(f"--cv {folds}: {error}") from error


def _run_release(args: argparse.Namespace) -> int:
    from dispatch_corpus.dataset.folders import check_report_dir
    from dispatch_corpus.release.cut import cut_release, suite_validator

    # Refused before anything runs: cut_release validates (and writes the report) last, and
    # a report among the releases would leave that folder holding more than releases.
    if args.report_dir is not None:
        check_report_dir(args.report_dir, releases_dir=args.releases_dir)
    outcome = cut_release(
        args.version,
        args.build,
        args.releases_dir,
        validate=suite_validator(args.report_dir),
        repo_id=args.repo_id,
        notes=_read_notes(args.notes) if args.notes is not None else None,
        evaluation=_cross_validate(args.gold, args.gold_corpus, args.cv) if args.gold else None,
    )
    rows = {table: delta.new_rows for table, delta in outcome.diff.tables.items()}
    since = (
        f"{outcome.diff.needed_bump.name} change since {outcome.previous}"
        if outcome.previous is not None
        else "first release"
    )
    print(
        f"released {outcome.version} at {outcome.path}: {counted(rows['documents'], 'document')}, "
        f"{counted(rows['paragraphs'], 'paragraph')}, {counted(rows['sections'], 'section')} "
        f"({since})"
    )
    return EXIT_OK


def _run_verify(args: argparse.Namespace) -> int:
    from dispatch_corpus.release.verify import verify_release

    result = verify_release(args.release_dir)
    for problem in result.problems:
        print(f"{args.release_dir}: {problem}")
    if not result.ok:
        print(
            f"dispatch-corpus verify: {args.release_dir}: "
            f"{counted(len(result.problems), 'problem')}",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    print(f"verified {args.release_dir}: {counted(result.files, 'file')} match MANIFEST.json")
    return EXIT_OK


def _run_diff(args: argparse.Namespace) -> int:
    from dispatch_corpus.release.changelog import render_changelog
    from dispatch_corpus.release.diff import diff_datasets

    diff = diff_datasets(args.old, args.new)
    title = f"Changes from {args.old} to {args.new}"
    print(render_changelog(diff, title, str(args.old)), end="")
    return EXIT_OK


def _run_publish(args: argparse.Namespace) -> int:
    from dispatch_corpus.release.hub import plan_publish, publish_release

    plan = plan_publish(args.version, args.repo_id, args.releases_dir)
    if args.dry_run:
        print(f"dry run: publish {plan.release_dir} to {plan.repo_id} as {plan.version.tag}")
        for line in plan.describe():
            print(line)
        return EXIT_OK
    commit = publish_release(plan)
    print(
        f"published {plan.version} to https://huggingface.co/datasets/{plan.repo_id} "
        f"(tag {plan.version.tag}, commit {commit})"
    )
    return EXIT_OK


def _format_evaluation(result: Evaluation) -> str:
    from dispatch_corpus.evaluation.score import CONFIDENT, FREQUENT_ROLE_MIN_SUPPORT

    lines = [
        f"documents {count(result.documents)}, paragraphs {count(result.paragraphs)}"
        + (
            f", missing {len(result.missing)}: {', '.join(result.missing)}"
            if result.missing
            else ""
        ),
        f"segmentation exact  {result.segmentation_exact:.3f}",
        f"role accuracy       {result.role_accuracy:.3f}",
        f"macro-F1            {result.macro_f1:.3f}",
        f"macro-F1 (n >= {FREQUENT_ROLE_MIN_SUPPORT})   {result.macro_f1_frequent:.3f}",
        f"sections exact      {result.sections_exact:.3f}",
        f"calibration error   {result.calibration_error:.3f} (ECE, {len(result.reliability)} bins)",
        f"confidence >= {CONFIDENT}: coverage {result.confident_coverage:.3f}, "
        f"accuracy {result.confident_accuracy:.3f}",
        "",
        f"{'role':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>7}",
    ]
    for role, score in result.per_role.items():
        lines.append(
            f"{role:<12} {score.precision:>9.3f} {score.recall:>7.3f} "
            f"{score.f1:>6.3f} {count(score.support):>7}"
        )
    lines += ["", f"{'confidence':<11} {'paragraphs':>10} {'mean conf.':>10} {'accuracy':>8}"]
    for b in result.reliability:
        if b.count:
            lines.append(
                f"{b.low:.1f}-{b.high:.1f}    {count(b.count):>10} {b.mean_confidence:>10.3f} "
                f"{b.accuracy:>8.3f}"
            )
    if result.per_language:
        lines += [
            "",
            f"{'language':<9} {'docs':>5} {'accuracy':>8} {'macro-F1':>8} "
            f"{'segm.':>6} {'sections':>8}",
        ]
        for lang, sub in result.per_language.items():
            lines.append(
                f"{lang:<9} {count(sub.documents):>5} {sub.role_accuracy:>8.3f} "
                f"{sub.macro_f1:>8.3f} {sub.segmentation_exact:>6.3f} "
                f"{sub.sections_exact:>8.3f}"
            )
    lines += ["", "most frequent confusions (gold -> predicted):"]
    lines += [f"  {g:<12} -> {p:<14} {count(n)}" for g, p, n in result.confusions[:10]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
