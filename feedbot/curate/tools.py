"""The curator's tools as pure functions: classify JSON Lines, score them against gold labels,
explain one story. The CLI reads and writes; everything here takes and returns values."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from feedbot.curate.classifier import TopicRule, classify
from feedbot.curate.evaluation import Evaluation, evaluate
from feedbot.models import Classification


@dataclass(frozen=True, slots=True)
class LineResult:
    number: int  # 1-based line number in the input
    output: dict[str, object]  # what `classify` writes for this line
    gold: tuple[str, ...] | None  # the line's own labels, when it has them
    error: str | None = None
    split: str = ""  # the corpus part the line belongs to ("tuning", "held-out"), if it says


def classify_lines(lines: Iterable[str], rules: tuple[TopicRule, ...]) -> Iterator[LineResult]:
    """One result per non-blank input line, in order; a malformed line gives an error result
    naming its line number and the rest go on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("not a JSON object")
            title, text = item.get("title"), item.get("text")
            if not isinstance(title, str) or not isinstance(text, str):
                raise ValueError('needs string fields "title" and "text"')
            gold = item.get("labels")
            if gold is not None and not (
                isinstance(gold, list) and all(isinstance(g, str) for g in gold)
            ):
                raise ValueError('"labels" must be a list of strings')
        except ValueError as exc:
            message = f"line {number}: {exc}"
            yield LineResult(number, {"line": number, "error": message}, None, message)
            continue
        result = classify(rules, title, text)
        split = item.get("split")
        yield LineResult(
            number,
            {"id": item.get("id", number), **result.to_dict()},
            tuple(gold) if gold is not None else None,
            split=split if isinstance(split, str) else "",
        )


def evaluate_results(results: Iterable[LineResult], topics: list[str]) -> Evaluation:
    rows = []
    for result in results:
        if result.error is None and result.gold is not None:
            predicted = result.output.get("labels")
            assert isinstance(predicted, list)
            rows.append((str(result.output["id"]), result.gold, tuple(predicted)))
    return evaluate(topics, rows)


def format_evaluations(results: list[LineResult], topics: list[str]) -> str:
    """One evaluation per corpus part (tuning and held-out are never mixed), then the whole."""
    parts = sorted({r.split for r in results if r.split})
    blocks = []
    for part in parts:
        chosen = [r for r in results if r.split == part]
        blocks.append(
            f"== {part} ==\n" + format_evaluation(evaluate_results(chosen, topics), len(chosen))
        )
    whole = format_evaluation(evaluate_results(results, topics), len(results))
    blocks.append(("== all parts ==\n" if parts else "") + whole)
    return "\n\n".join(blocks)


def format_evaluation(evaluation: Evaluation, count: int) -> str:
    lines = [f"{'topic':<12}{'precision':>10}{'recall':>8}{'F1':>8}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for t in evaluation.topics:
        lines.append(
            f"{t.topic:<12}{t.precision:>10.3f}{t.recall:>8.3f}{t.f1:>8.3f}"
            f"{t.tp:>5}{t.fp:>5}{t.fn:>5}"
        )
    lines.append(f"macro-F1 {evaluation.macro_f1:.3f} over {count} labelled items")
    lines.append(f"misclassified: {len(evaluation.misclassified)}")
    for item_id, gold, predicted in evaluation.misclassified:
        lines.append(f"  {item_id}: gold [{', '.join(gold)}] predicted [{', '.join(predicted)}]")
    return "\n".join(lines)


def explain(
    title: str, topics: Classification, rules: tuple[TopicRule, ...], stored: Classification
) -> str:
    """Why a story was kept or dropped, topic by topic."""
    lines = [f"kept for: {', '.join(topics.labels) or 'nothing (dropped)'}"]
    if stored.labels != topics.labels:
        lines.append(
            f"stored labels: {', '.join(stored.labels) or 'none'} (from an earlier topic "
            "configuration; the next run re-labels stored articles)"
        )
    for rule in rules:
        verdict = "kept" if rule.id in topics.labels else "dropped"
        lines.append(f"{rule.id}: {verdict}")
        lines.extend(f"  {reason}" for reason in topics.why.get(rule.id, ()))
    return f"{title}\n" + "\n".join(lines)
