"""Precision, recall and F1 per topic for gold-labelled stories. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TopicScore:
    topic: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Evaluation:
    topics: tuple[TopicScore, ...]
    misclassified: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # id, gold, predicted

    @property
    def macro_f1(self) -> float:
        return sum(t.f1 for t in self.topics) / len(self.topics) if self.topics else 0.0


def evaluate(
    topics: Sequence[str],
    rows: Iterable[tuple[str, Iterable[str], Iterable[str]]],
) -> Evaluation:
    """`rows` are (id, gold labels, predicted labels)."""
    counts = {t: [0, 0, 0] for t in topics}
    wrong = []
    for item_id, gold_labels, predicted_labels in rows:
        gold, predicted = set(gold_labels), set(predicted_labels)
        for topic in topics:
            if topic in predicted and topic in gold:
                counts[topic][0] += 1
            elif topic in predicted:
                counts[topic][1] += 1
            elif topic in gold:
                counts[topic][2] += 1
        if gold & set(topics) != predicted & set(topics):
            wrong.append((item_id, tuple(sorted(gold)), tuple(sorted(predicted))))
    return Evaluation(tuple(TopicScore(t, *counts[t]) for t in topics), tuple(wrong))
