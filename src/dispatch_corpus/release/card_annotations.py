"""The Annotations section of a release card: how roles are assigned, by whom, how well."""

from __future__ import annotations

from dispatch_corpus.evaluation.score import CONFIDENT, FREQUENT_ROLE_MIN_SUPPORT
from dispatch_corpus.release.card_sections import ReleaseCardContext
from dispatch_corpus.utils.numbers import count, counted


def render_annotations(context: ReleaseCardContext) -> str:
    """Return the Annotations section: how roles are assigned, by whom, and how well."""
    version = f" (labeler version {context.labeler_version})" if context.labeler_version else ""
    result = context.evaluation
    checked = (
        f"Its rules were written and are scored against "
        f"{counted(result.documents, 'hand-labeled document')} (the project's gold, kept "
        "outside the data); their cross-validated scores follow."
        if result is not None
        else "This release was cut without gold documents: its labels were not scored."
    )
    lines = [
        "### Annotations\n",
        "#### Annotation process\n",
        f"Roles and section labels are assigned by the rule-based labeler of dispatch-corpus"
        f"{version}: ordered rules over each paragraph's position, length, punctuation, list "
        "markers, quotation marks and reporting verbs of its language decide its role (see the "
        "label guide), and runs of consecutive paragraphs form the sections. Each paragraph "
        "records in `role_confidence` the measured accuracy of the rule that decided it.\n",
        "#### Who are the annotators?\n",
        f"No person annotated the released rows: the labeler did. {checked}\n",
    ]
    quality = render_label_quality(context)
    return "\n".join(lines) + ("\n" + quality if quality else "")


def render_label_quality(context: ReleaseCardContext) -> str:
    """Return the labeler's cross-validated scores, reliability table and confident subset."""
    result = context.evaluation
    if result is None:
        return ""
    confident = f"{CONFIDENT:.1f}"
    lines = [
        "#### Label quality\n",
        f"Measured when this release was cut by {context.folds}-fold cross-validation by "
        f"document (folds stratified by collection) on "
        f"{counted(result.documents, 'hand-labeled document')} "
        f"({counted(result.paragraphs, 'paragraph')}, {'/'.join(result.per_language)}): "
        "role accuracy "
        f"{result.role_accuracy:.3f}, macro-F1 over roles with at least "
        f"{FREQUENT_ROLE_MIN_SUPPORT} paragraphs {result.macro_f1_frequent:.3f}, sections "
        f"exact {result.sections_exact:.3f}, segmentation exact "
        f"{result.segmentation_exact:.3f}. Only the confidence calibration is fitted, inside "
        "the folds; the role rules themselves were written while reading this gold, so these "
        "are development figures: expect lower accuracy on dispatches unlike it.\n",
        "| language | documents | role accuracy | macro-F1 | sections exact |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {lang} | {count(sub.documents)} | {sub.role_accuracy:.3f} | "
            f"{sub.macro_f1_frequent:.3f} | {sub.sections_exact:.3f} |"
            for lang, sub in result.per_language.items()
        ),
        "",
        "| role | precision | recall | F1 | paragraphs |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {role} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {count(s.support)} |"
            for role, s in result.per_role.items()
            if s.support
        ),
        "",
        "##### Confidence",
        "",
        "Every paragraph has `role_confidence`: the measured accuracy of the rule that chose "
        "its role. Reliability in cross-validation (a calibrated confidence has accuracy close "
        f"to its mean confidence; expected calibration error {result.calibration_error:.3f}):\n",
        "| confidence | paragraphs | mean confidence | accuracy |",
        "|---|---:|---:|---:|",
        *(
            f"| {b.low:.1f}-{b.high:.1f} | {count(b.count)} | {b.mean_confidence:.3f} | "
            f"{b.accuracy:.3f} |"
            for b in result.reliability
            if b.count
        ),
        "",
        f"Paragraphs with `role_confidence >= {confident}` are "
        f"{result.confident_coverage:.1%} of the gold, at role accuracy "
        f"{result.confident_accuracy:.3f}. To keep only confident labels:\n",
        "```python",
        f'confident = paragraphs.filter(lambda row: row["role_confidence"] >= {confident})',
        "```",
        "",
    ]
    if context.confusion_image is not None:
        lines += [f"![Confusion matrix of paragraph roles]({context.confusion_image})", ""]
    return "\n".join(lines)
