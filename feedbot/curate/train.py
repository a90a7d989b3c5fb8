"""`feedbot train`: fit the second-opinion model on the labelled corpus and choose where it may
overrule the rules. The only scikit-learn user; `feedbot run` never imports this module
(tests/test_layering.py checks both), so scikit-learn is a development dependency (the `test`
extra) and the run path scores the exported weights in pure Python (curate/model.py).

Reproducible: the folds are drawn with a fixed seed, liblinear is deterministic for a fixed
seed, the exported numbers are rounded and the file is written with sorted keys, so training
twice on the same corpus gives the same bytes.

What it learns from: every labelled line of the corpus files except those marked
`"split": "held-out"`, which are dropped before anything else happens (never fitted, never used
to choose a threshold or a setting), so that part stays a fair test.

How the thresholds are chosen (tuning data only): the stories are cut into folds by event (the
same story from two outlets stays in one fold); each fold is scored by a model fitted on the
others (vectoriser included), which gives every training story an out-of-fold probability per
topic, a fair stand-in for a story the model has never seen. Combined with the rules' own scores
on the same stories, every pair (add, drop) on a grid is tried and the pair with the best F1 of
rules + model wins, provided no part of the corpus (a file, or a file's split) loses more than
PART_SLACK of its own F1; ties go to the pair that overrules the rules least (highest add, lowest
drop), and a topic where no pair beats the rules alone gets add = 1, drop = 0 (the model off).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath as Path
from typing import NamedTuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from feedbot.curate.classifier import TopicRule, classify
from feedbot.curate.evaluation import evaluate
from feedbot.curate.model import TopicWeights, dump_model, ngrams, story_text
from feedbot.errors import ConfigError

SEED = 16  # issue 16: any fixed number; it picks the folds
LOW, HIGH = 2, 4  # character n-gram lengths
CHARS = 600  # characters of a story scored: title + lead (the corpus is 150–400 characters)
MIN_DF = 3  # an n-gram seen in one or two stories only is theirs, not the topic's (forward-chained
# by wave on the tuning part: no worse than 2, and half the weight file)
# the vocabulary's cap, the most frequent n-grams kept: it holds the weight file under issue 16's
# 3 MB (2.8 MB) however the corpus grows; forward-chained by wave on the tuning part (waves 4–14),
# a cap of 75,000 or 85,000 scored exactly what no cap did, MIN_DF 4 instead 0.002 less
MAX_FEATURES = 85_000
C = 10.0  # inverse regularisation of each logistic regression
FOLDS = 5
ADD_GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))  # 0.50 … 0.95
DROP_GRID = tuple(round(0.05 * i, 2) for i in range(11))  # 0.00 … 0.50
# the model may drop a kept topic only while the rules' score is under this many thresholds:
# a weak model (a few hundred stories) must not veto a story that names its topic throughout
CAP_GRID = (1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
PART_SLACK = 0.02  # F1 a part may lose to the model: one story of about fifty positives


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    group: str  # the event: stories of one event stay in one fold
    title: str
    text: str
    labels: frozenset[str]
    part: str  # the file and its split, for the report: "topics-real.jsonl tuning"


@dataclass(frozen=True, slots=True)
class TopicReport:
    topic: str
    add: float
    drop: float
    cap: float
    rules_f1: float  # rules alone, on the training stories
    combined_f1: float  # rules + the out-of-fold model at the chosen thresholds


@dataclass(frozen=True, slots=True)
class Trained:
    data: bytes  # the weight file
    stories: int
    held_out_skipped: int
    features: int
    reports: tuple[TopicReport, ...]
    oof: dict[str, tuple[float, ...]]  # per topic, one out-of-fold probability per story
    rules_labels: tuple[tuple[str, ...], ...]  # per story: the rules alone
    combined_labels: tuple[tuple[str, ...], ...]  # per story: rules + out-of-fold model


def read_corpus(files: Sequence[tuple[str, Iterable[str]]]) -> tuple[list[Story], int]:
    """The labelled stories of the corpus files, held-out lines left out (and counted). A line
    that is not a labelled story is an error naming the file and the line."""
    stories: list[Story] = []
    skipped = 0
    seen: set[str] = set()
    for name, lines in files:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{name} line {number}"
            try:
                item = json.loads(line)
            except ValueError as exc:
                raise ConfigError(f"{where}: not JSON ({exc})") from exc
            if not isinstance(item, dict):
                raise ConfigError(f"{where}: not a JSON object")
            title, text, labels = item.get("title"), item.get("text"), item.get("labels")
            if not isinstance(title, str) or not isinstance(text, str):
                raise ConfigError(f'{where}: needs string fields "title" and "text"')
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise ConfigError(f'{where}: needs "labels", a list of strings')
            if item.get("split") == "held-out":
                skipped += 1
                continue
            story_id = str(item.get("id", f"{name}:{number}"))
            if story_id in seen:
                raise ConfigError(f"{where}: id {story_id!r} appears twice")
            seen.add(story_id)
            group = item.get("group") or item.get("event") or story_id
            split = item.get("split")
            part = f"{Path(name).name} {split}" if isinstance(split, str) else Path(name).name
            stories.append(Story(story_id, str(group), title, text, frozenset(labels), part))
    if not stories:
        raise ConfigError("the corpus holds no labelled stories outside the held-out part")
    return stories, skipped


def analysed(texts: Sequence[str]) -> list[list[str]]:
    """Each text's n-grams, less the rare ones (`common_only`)."""
    return common_only([ngrams(text, LOW, HIGH) for text in texts])


def common_only(documents: Sequence[list[str]]) -> list[list[str]]:
    """The documents less the features in fewer than MIN_DF of them: such a feature is in
    fewer than MIN_DF of every fold's documents too, where min_df would drop it, so every fit
    learns exactly what it learnt from the whole documents. Dropped once here, they no longer
    fill scikit-learn's vocabulary six times over (training took 26 s, 19 of them counting and
    sorting millions of grams seen once or twice)."""
    frequency = Counter(feature for document in documents for feature in set(document))
    return [
        [feature for feature in document if frequency[feature] >= MIN_DF] for document in documents
    ]


def _identity(document: list[str]) -> list[str]:
    return document


def _fit(
    documents: list[list[str]], targets: dict[str, np.ndarray], evidence: dict[str, np.ndarray]
) -> tuple[TfidfVectorizer, dict[str, LogisticRegression]]:
    """One model per topic, fit on the stories where the rules saw evidence for it: the only
    stories it is ever asked about (curate/model.second_opinion). Fit on every story, it learnt
    that the topic's own words mean the topic, which the rules know already; fit on these, the
    words are on both sides, and what it learns is the context that tells a subject from a
    mention (cross-validated on the tuning part: ai F1 0.872 -> 0.927, macro 0.928 -> 0.941)."""
    vectorizer = TfidfVectorizer(
        analyzer=_identity,  # `documents` are analysed already
        sublinear_tf=True,
        min_df=MIN_DF,
        max_features=MAX_FEATURES,
        norm="l2",
        dtype=np.float64,
    )
    matrix = vectorizer.fit_transform(documents)
    models = {}
    for topic, y in targets.items():
        rows = evidence[topic]
        if y[rows].all() or not y[rows].any():
            rows = np.ones(len(y), dtype=bool)  # one class only: nothing to tell apart there
        # balanced: positives are a third of the stories or fewer, and an unweighted fit keeps
        # nearly every probability under 0.5, which leaves the thresholds nothing to choose
        model = LogisticRegression(
            C=C, solver="liblinear", random_state=SEED, max_iter=1000, class_weight="balanced"
        )
        model.fit(matrix[rows], y[rows])
        models[topic] = model
    return vectorizer, models


def folds(
    labels: Sequence[frozenset[str]], groups: Sequence[str], topics: Sequence[str]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit, score) positions of each of FOLDS folds, cut by event (`groups`: one event's
    stories stay in one fold) and stratified by label set, with the fixed seed."""
    strata = ["+".join(sorted(found & set(topics))) or "-" for found in labels]
    # a label set rarer than the folds (ai+sme: a handful) is stratified with its first topic
    rare = {k for k, n in Counter(strata).items() if n < FOLDS}
    strata = [k.split("+")[0] if k in rare else k for k in strata]
    cut = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return list(cut.split(np.zeros(len(strata)), strata, groups))


def _f1(gold: np.ndarray, predicted: np.ndarray, beta: float = 1.0) -> float:
    """F1, or F-beta (a beta under 1 weighs precision more: forward.py beta= tries it)."""
    tp = int(np.sum(gold & predicted))
    fp = int(np.sum(~gold & predicted))
    fn = int(np.sum(gold & ~predicted))
    b2 = beta * beta
    return (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else (1.0 if fp + fn == 0 else 0.0)


def combine(
    scores: np.ndarray,
    kept: np.ndarray,
    probability: np.ndarray,
    add: float,
    drop: float,
    cap: float,
) -> np.ndarray:
    """The decision of curate/model.second_opinion, vectorised over stories; `scores` are
    the rules' scores in thresholds (score ÷ threshold)."""
    added = ~kept & (scores > 0) & (probability >= add)
    dropped = kept & (scores < cap) & (probability <= drop)
    return (kept & ~dropped) | added


class GridPoint(NamedTuple):
    """One (add, drop, cap) of the threshold grid, judged on the training stories."""

    add: float
    drop: float
    cap: float
    decided: np.ndarray  # the labels rules + model give at this point
    f1: float  # over all training stories
    allowed: bool  # no part of the corpus loses more than PART_SLACK of its own F1


def threshold_grid(
    gold: np.ndarray,
    scores: np.ndarray,
    kept: np.ndarray,
    probability: np.ndarray,
    parts: np.ndarray,
    beta: float = 1.0,
) -> tuple[float, list[GridPoint]]:
    """The rules' own F1, and every point of the grid in the order ties go by: the point
    that overrules the rules least first (highest add, then lowest drop, then lowest cap)."""
    rules_f1 = _f1(gold, kept, beta)
    floors = {
        p: _f1(gold[parts == p], kept[parts == p], beta) - PART_SLACK for p in sorted(set(parts))
    }
    points = []
    for add in sorted(ADD_GRID, reverse=True):
        for drop in DROP_GRID:
            for cap in CAP_GRID:
                decided = combine(scores, kept, probability, add, drop, cap)
                allowed = all(
                    _f1(gold[parts == p], decided[parts == p], beta) >= f for p, f in floors.items()
                )
                points.append(GridPoint(add, drop, cap, decided, _f1(gold, decided, beta), allowed))
    return rules_f1, points


def best_point(
    rules_f1: float, points: Sequence[GridPoint], merit: Sequence[float]
) -> tuple[float, float, float, float, float]:
    """(add, drop, cap, rules F1, combined F1) of the allowed point of highest `merit` among
    those whose F1 beats the rules alone, the first in the grid's order on a tie; (1, 0, 1),
    the model off, when none does."""
    chosen: tuple[float, float, float, float, float] = (1.0, 0.0, 1.0, rules_f1, rules_f1)
    top = -math.inf
    for point, value in zip(points, merit, strict=True):
        if point.allowed and point.f1 > rules_f1 + 1e-9 and value > top + 1e-9:
            top = value
            chosen = (point.add, point.drop, point.cap, rules_f1, point.f1)
    return chosen


def choose_thresholds(
    gold: np.ndarray,
    scores: np.ndarray,
    kept: np.ndarray,
    probability: np.ndarray,
    parts: np.ndarray,
    beta: float = 1.0,
) -> tuple[float, float, float, float, float]:
    """(add, drop, cap, rules F1, combined F1): the grid point with the best F1 over all
    training stories among those that cost no part of the corpus more than PART_SLACK of its
    own F1 (the 201-item set must not get worse, issue 16 §5); ties go to the point that
    overrules the rules least (highest add, then lowest drop, then lowest cap); (1, 0, 1), the
    model off, when nothing beats the rules alone."""
    rules_f1, points = threshold_grid(gold, scores, kept, probability, parts, beta)
    return best_point(rules_f1, points, [point.f1 for point in points])


def train(
    stories: list[Story], rules: tuple[TopicRule, ...], corpus: list[str], skipped: int
) -> Trained:
    """Fit, choose thresholds out of fold, and export the weight file's bytes. `rules` are the
    topic rules without a model: the rules alone, which the model is to second."""
    topics = [rule.id for rule in rules]
    documents = analysed([story_text(s.title, s.text, None, CHARS) for s in stories])
    targets = {t: np.array([t in s.labels for s in stories]) for t in topics}
    results = [classify(rules, s.title, s.text) for s in stories]
    evidence = {t: np.array([r.scores[t] > 0 for r in results]) for t in topics}
    oof = {t: np.zeros(len(stories)) for t in topics}
    for fit_index, score_index in folds(
        [s.labels for s in stories], [s.group for s in stories], topics
    ):
        vectorizer, models = _fit(
            [documents[i] for i in fit_index],
            {t: y[fit_index] for t, y in targets.items()},
            {t: e[fit_index] for t, e in evidence.items()},
        )
        matrix = vectorizer.transform([documents[i] for i in score_index])
        for topic, model in models.items():
            oof[topic][score_index] = model.predict_proba(matrix)[:, 1]
    parts = np.array([s.part for s in stories])
    reports = []
    combined = {}
    for rule in rules:
        topic = rule.id
        scores = np.array([r.scores[topic] / rule.threshold for r in results])
        kept = np.array([topic in r.labels for r in results])
        add, drop, cap, rules_f1, combined_f1 = choose_thresholds(
            targets[topic], scores, kept, oof[topic], parts
        )
        reports.append(TopicReport(topic, add, drop, cap, rules_f1, combined_f1))
        combined[topic] = combine(scores, kept, oof[topic], add, drop, cap)
    vectorizer, models = _fit(documents, targets, evidence)
    grams = [str(g) for g in vectorizer.get_feature_names_out()]
    weights = {
        r.topic: TopicWeights(
            float(models[r.topic].intercept_[0]),
            tuple(float(v) for v in models[r.topic].coef_[0]),
            r.add,
            r.drop,
            r.cap,
        )
        for r in reports
    }
    data = dump_model(
        grams,
        [float(v) for v in vectorizer.idf_],
        weights,
        low=LOW,
        high=HIGH,
        chars=CHARS,
        trained={
            "corpus": corpus,
            "stories": len(stories),
            "held_out_skipped": skipped,
            "seed": SEED,
            "min_df": MIN_DF,
            "max_features": MAX_FEATURES,
            "C": C,
            "folds": FOLDS,
        },
    )
    return Trained(
        data,
        len(stories),
        skipped,
        len(grams),
        tuple(reports),
        {t: tuple(float(v) for v in p) for t, p in oof.items()},
        tuple(r.labels for r in results),
        tuple(tuple(t for t in topics if combined[t][i]) for i in range(len(stories))),
    )


def format_report(trained: Trained, stories: list[Story], topics: list[str]) -> str:
    """What `feedbot train` prints: the chosen thresholds, then, for each part of the corpus,
    precision / recall / F1 of the rules alone and of rules + model, the model's probabilities
    out of fold. The thresholds were chosen on these same out-of-fold numbers, so the combined
    columns flatter the model a little; only the held-out part is a fair test."""
    lines = [
        f"trained on {trained.stories} stories ({trained.held_out_skipped} held-out lines left "
        f"out), {trained.features} n-grams, {len(trained.data):,} bytes",
        f"{'topic':<10}{'add at':>8}{'drop at':>9}{'drop under':>12}{'F1 rules':>10}"
        f"{'F1 +model':>11}",
    ]
    for r in trained.reports:
        lines.append(
            f"{r.topic:<10}{r.add:>8.2f}{r.drop:>9.2f}{r.cap:>9g} × t{r.rules_f1:>10.3f}"
            f"{r.combined_f1:>11.3f}"
        )
    for part in sorted({s.part for s in stories}):
        chosen = [i for i, s in enumerate(stories) if s.part == part]
        lines.append(f"== {part}: {len(chosen)} stories, out of fold ==")
        lines.append(f"{'topic':<10}{'rules P / R / F1':>22}{'rules + model P / R / F1':>30}")
        alone = evaluate(
            topics, [(stories[i].id, stories[i].labels, trained.rules_labels[i]) for i in chosen]
        )
        both = evaluate(
            topics,
            [(stories[i].id, stories[i].labels, trained.combined_labels[i]) for i in chosen],
        )
        for a, b in zip(alone.topics, both.topics, strict=True):
            lines.append(
                f"{a.topic:<10}{a.precision:>10.3f}{a.recall:>6.3f}{a.f1:>6.3f}"
                f"{b.precision:>18.3f}{b.recall:>6.3f}{b.f1:>6.3f}"
            )
        lines.append(f"{'macro-F1':<10}{alone.macro_f1:>22.3f}{both.macro_f1:>30.3f}")
    return "\n".join(lines)
