"""Forward-chained trial of a model design on the tuning part alone (README, "The model's
design"): each wave's tuning stories are scored by a model fitted on the dev set and the earlier
waves' tuning stories, its thresholds chosen out of fold on those as `feedbot train` does
(feedbot/curate/train.py); the held-out part is never read.

    .venv/bin/python tests/data/topics/forward.py [OPTION=VALUE,...]

Options (default: the shipped design): C, low, high (n-gram lengths), stack (scale of the
rules' scores and kept flags as extra features; 0 = none), rows=all (fit on every story, not only
where the rules saw evidence), words=1 (word unigrams too), title=1 (the title's n-grams once
more, as features of their own), nb (naive-Bayes scaling with this smoothing; 0 = none), waves
(colon-separated, default 10:…:20), beta (the F-beta the thresholds are chosen by), weights=none
(no class weighting: each story counts once, however rare its label), reasons (the rules'
reasons — term, zone, in a list or not — as extra features at this scale), l1=1 (an L1 penalty,
sparse weights, instead of L2), choice=neighbours1|neighbours2|bootstrap30 (thresholds by a
smoothed F1), combiner=1 (a learned combination of model and rules instead of the
thresholds), embed (sentence vectors from embed.py beside the n-grams, at this scale),
embonly=1 (those vectors instead of the n-grams), vectors (their file, default vectors.npz here),
fraction (fit on this
share of the earlier waves' events, for a learning curve; the dev set stays whole). A design
takes about 1.5 minutes (1,931 stories scored in eleven waves)."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(ROOT), str(HERE)]

from build_real import wave  # noqa: E402

from feedbot.config import Config  # noqa: E402
from feedbot.curate import model as M  # noqa: E402
from feedbot.curate import train as T  # noqa: E402
from feedbot.curate.classifier import classify, compile_topics  # noqa: E402
from feedbot.curate.evaluation import evaluate  # noqa: E402

OPT = dict(a.split("=", 1) for a in sys.argv[1].split(",")) if len(sys.argv) > 1 else {}
C = float(OPT.get("C", T.C))
LOW, HIGH = int(OPT.get("low", T.LOW)), int(OPT.get("high", T.HIGH))
STACK = float(OPT.get("stack", 0))
REASONS = float(OPT.get("reasons", 0))
ALL_ROWS = OPT.get("rows") == "all"
WORDS = OPT.get("words") == "1"
TITLE = OPT.get("title") == "1"
BETA = float(OPT.get("beta", 1))
NB = float(OPT.get("nb", 0))
WEIGHTS = OPT.get("weights", "balanced")
if WEIGHTS not in ("balanced", "none"):
    sys.exit(f"weights={WEIGHTS}: balanced or none")
FRACTION = float(OPT.get("fraction", 1))
L1 = float(OPT.get("l1", 0))
CHOICE = OPT.get("choice", "best")  # best, neighboursN or bootstrapN
COMBINER = OPT.get("combiner") == "1"
EMBED = float(OPT.get("embed", 0))
EMBED_ONLY = OPT.get("embonly") == "1"
VECTOR_FILE = Path(OPT.get("vectors", HERE / "vectors.npz"))
WAVES = [int(w) for w in OPT.get("waves", "10:11:12:13:14:15:16:17:18:19:20").split(":")]

RULES = compile_topics(Config().topics)
TOPICS = [r.id for r in RULES]
THRESHOLD = {r.id: r.threshold for r in RULES}


def load() -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate((ROOT / "tests/data/topics-dev.jsonl").open(encoding="utf-8")):
        item = json.loads(line)
        rows.append({**item, "id": item.get("id", f"dev:{number}"), "part": "dev", "wave": 0})
    for line in (ROOT / "tests/data/topics-real.jsonl").open(encoding="utf-8"):
        item = json.loads(line)
        if item["split"] == "tuning":  # the held-out part stays a fair test
            rows.append({**item, "part": "real", "wave": wave(item["id"].split("-")[1])})
    for row in rows:
        row["result"] = classify(RULES, row["title"], row["text"])
        text = M.story_text(row["title"], row["text"], None, T.CHARS)
        grams = M.ngrams(text, LOW, HIGH)
        row["grams"] = grams + ["_w" + w for w in text.split()] if WORDS else grams
        if TITLE:  # the headline says what a story is about: its n-grams apart from the rest
            row["grams"] = row["grams"] + [
                "_t" + g for g in M.ngrams(M.normalize(row["title"]), LOW, HIGH)
            ]
        row["group"] = str(row.get("group") or row.get("event") or row["id"])
    for row, grams in zip(rows, T.common_only([row["grams"] for row in rows]), strict=True):
        row["grams"] = grams
    return rows


ROWS = load()


def _vectors() -> np.ndarray:
    """Each row's sentence vector from embed.py's file, in ROWS' order."""
    try:
        stored = np.load(VECTOR_FILE)
    except OSError as error:
        sys.exit(f"{VECTOR_FILE}: {error.strerror or error} (tests/data/topics/embed.py writes it)")
    at = {str(key): i for i, key in enumerate(stored["ids"])}
    missing = [r["id"] for r in ROWS if r["id"] not in at]
    if missing:
        sys.exit(f"{VECTOR_FILE}: no vector for {missing[0]} (rerun embed.py)")
    return np.asarray(stored["vectors"][[at[r["id"]] for r in ROWS]])


VECTORS = _vectors() if EMBED or EMBED_ONLY else None
GOLD = {t: np.array([t in r["labels"] for r in ROWS]) for t in TOPICS}
EVIDENCE = {t: np.array([r["result"].scores[t] > 0 for r in ROWS]) for t in TOPICS}
SCORES = {t: np.array([r["result"].scores[t] / THRESHOLD[t] for r in ROWS]) for t in TOPICS}
KEPT = {t: np.array([t in r["result"].labels for r in ROWS]) for t in TOPICS}
PARTS = np.array([r["part"] for r in ROWS])
STACKED = STACK * np.array(
    [
        [v for t in TOPICS for v in (np.log1p(max(SCORES[t][i], 0)), float(KEPT[t][i]))]
        for i in range(len(ROWS))
    ]
)


_REASON = re.compile(r"^(\w+): '(.+?)' ×\d+( in a list)? [+]")


def _reasons(row: dict[str, Any]) -> set[str]:
    """The rules' reasons as tokens: each term by topic, zone and whether it sat in a list, the
    same without the term, and each negative context that fired."""
    tokens = set()
    for t in TOPICS:
        for line in row["result"].why[t]:
            if found := _REASON.match(line):
                listed = ":list" if found.group(3) else ""
                tokens |= {
                    f"{t}:{found.group(1)}:{found.group(2)}{listed}",
                    f"{t}:{found.group(1)}{listed}",
                }
            elif line.startswith("negative context "):
                tokens.add(f"{t}:negative")
    return tokens


def _reason_matrix() -> Any:
    vocabulary: dict[str, int] = {}
    cells = [
        (i, vocabulary.setdefault(tok, len(vocabulary)))
        for i, row in enumerate(ROWS)
        for tok in sorted(_reasons(row))
    ]
    rows, columns = zip(*cells, strict=True) if cells else ((), ())
    return sp.csr_matrix(
        (np.full(len(cells), REASONS), (rows, columns)), shape=(len(ROWS), max(len(vocabulary), 1))
    )


REASON_MATRIX = _reason_matrix() if REASONS else None


class Fitted:
    def __init__(self, index: np.ndarray) -> None:
        self.vectorizer = TfidfVectorizer(
            analyzer=lambda grams: grams,
            sublinear_tf=True,
            min_df=T.MIN_DF,
            max_features=T.MAX_FEATURES,
            norm="l2",
        )
        matrix = self.features(index, fit=True)
        self.models: dict[str, tuple[LogisticRegression, Any]] = {}
        for t in TOPICS:
            rows = np.ones(len(index), bool) if ALL_ROWS else EVIDENCE[t][index]
            y = GOLD[t][index]
            if y[rows].all() or not y[rows].any():
                rows = np.ones(len(index), bool)
            x, y = matrix[rows], y[rows]
            scale = None
            if NB:  # log-count ratio of each feature between the two classes
                pos = np.asarray(x[y].sum(axis=0)).ravel() + NB
                neg = np.asarray(x[~y].sum(axis=0)).ravel() + NB
                scale = sp.diags(np.log((pos / pos.sum()) / (neg / neg.sum())))
                x = x @ scale
            model = LogisticRegression(
                C=C,
                solver="liblinear",
                random_state=T.SEED,
                max_iter=1000,
                class_weight=None if WEIGHTS == "none" else "balanced",
                l1_ratio=L1,
            )
            self.models[t] = (model.fit(x, y), scale)

    def features(self, index: np.ndarray, fit: bool = False) -> Any:
        grams = [ROWS[i]["grams"] for i in index]
        matrix = self.vectorizer.fit_transform(grams) if fit else self.vectorizer.transform(grams)
        if REASONS:
            matrix = sp.hstack([matrix, REASON_MATRIX[index]]).tocsr()
        if VECTORS is not None:  # a reader of meaning beside (or instead of) the n-grams
            dense = sp.csr_matrix(VECTORS[index] * (EMBED or 1))
            matrix = dense if EMBED_ONLY else sp.hstack([matrix, dense]).tocsr()
        return sp.hstack([matrix, sp.csr_matrix(STACKED[index])]).tocsr() if STACK else matrix

    def predict(self, index: np.ndarray) -> dict[str, np.ndarray]:
        matrix = self.features(index)
        return {
            t: model.predict_proba(matrix @ scale if scale is not None else matrix)[:, 1]
            for t, (model, scale) in self.models.items()
        }


def _smoothed_choice(
    gold: np.ndarray,
    scores: np.ndarray,
    kept: np.ndarray,
    probability: np.ndarray,
    parts: np.ndarray,
    beta: float = 1.0,
) -> tuple[float, float, float, float, float]:
    """train.choose_thresholds judged by a smoothed F1: the mean over each grid point's
    neighbours (`neighboursN`: N steps of add and drop, one of cap) or over bootstrap
    resamples of the stories (`bootstrapN`); the same grid, part floors and tie order, and a
    point must still beat the rules alone on its own F1."""
    rules_f1, points = T.threshold_grid(gold, scores, kept, probability, parts, beta)
    if CHOICE.startswith("bootstrap"):
        rng = np.random.default_rng(0)
        draws = [
            rng.integers(0, len(gold), len(gold))
            for _ in range(int(CHOICE.removeprefix("bootstrap")))
        ]
        merit = [np.mean([T._f1(gold[d], p.decided[d], beta) for d in draws]) for p in points]
        return T.best_point(rules_f1, points, merit)
    reach = int(CHOICE.removeprefix("neighbours"))
    f1 = np.array([p.f1 for p in points]).reshape(
        len(T.ADD_GRID), len(T.DROP_GRID), len(T.CAP_GRID)
    )
    smooth = np.zeros_like(f1)
    for i, j, k in np.ndindex(*f1.shape):
        smooth[i, j, k] = f1[
            max(0, i - reach) : i + reach + 1,
            max(0, j - reach) : j + reach + 1,
            max(0, k - 1) : k + 2,
        ].mean()
    return T.best_point(rules_f1, points, list(smooth.ravel()))


def _combiner_features(t: str, index: np.ndarray, probability: np.ndarray) -> np.ndarray:
    score = SCORES[t][index]
    p = np.clip(probability, 1e-4, 1 - 1e-4)
    return np.column_stack(
        [
            np.log(p / (1 - p)),
            np.log1p(np.maximum(score, 0)),
            KEPT[t][index].astype(float),
            (score >= 1).astype(float),
            (score >= 2).astype(float),
        ]
    )


def _learned_combination(
    t: str, fit: np.ndarray, test: np.ndarray, oof: np.ndarray, probability: np.ndarray
) -> np.ndarray:
    """Instead of the add / drop / cap grid: a logistic regression over the model's log-odds
    (out of fold), the rules' score and whether they kept the topic, fitted on the stories
    with rule evidence, with the cut of best F1 on those; no evidence, no topic, as shipped."""
    evidence = SCORES[t][fit] > 0
    x, y = _combiner_features(t, fit, oof)[evidence], GOLD[t][fit][evidence]
    combiner = LogisticRegression(solver="liblinear", random_state=T.SEED).fit(x, y)
    fitted = combiner.predict_proba(x)[:, 1]
    best, cut = -1.0, 0.5
    for threshold in np.arange(0.2, 0.81, 0.05):
        predicted = np.zeros(len(fit), bool)
        predicted[evidence] = fitted >= threshold
        if (f1 := T._f1(GOLD[t][fit], predicted)) > best + 1e-9:
            best, cut = f1, threshold
    decided = np.zeros(len(test), bool)
    judged = SCORES[t][test] > 0
    if judged.any():
        features = _combiner_features(t, test, probability)[judged]
        decided[judged] = combiner.predict_proba(features)[:, 1] >= cut
    return decided


def scored(fit: np.ndarray, test: np.ndarray) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    oof = {t: np.zeros(len(fit)) for t in TOPICS}
    found = [frozenset(ROWS[i]["labels"]) for i in fit]
    for a, b in T.folds(found, [ROWS[i]["group"] for i in fit], TOPICS):
        for t, p in Fitted(fit[a]).predict(fit[b]).items():
            oof[t][b] = p
    probability = Fitted(fit).predict(test)
    labels: list[set[str]] = [set() for _ in test]
    for t in TOPICS:
        choose = T.choose_thresholds if CHOICE == "best" else _smoothed_choice
        add, drop, cap, _, _ = choose(
            GOLD[t][fit], SCORES[t][fit], KEPT[t][fit], oof[t], PARTS[fit], BETA
        )
        if COMBINER:
            decided = _learned_combination(t, fit, test, oof[t], probability[t])
        else:
            decided = T.combine(SCORES[t][test], KEPT[t][test], probability[t], add, drop, cap)
        for j in np.nonzero(decided)[0]:
            labels[j].add(t)
    return [
        (ROWS[i]["id"], frozenset(ROWS[i]["labels"]), frozenset(found))
        for i, found in zip(test, labels, strict=True)
    ]


def _share(i: int) -> float:
    """Where a story's event falls in [0, 1): fixed by its slug, so that one event's stories
    are kept or left out together and a smaller fraction is a subset of a larger one."""
    return hashlib.sha256(ROWS[i]["group"].encode()).digest()[0] / 256


def main() -> None:
    waves = np.array([r["wave"] for r in ROWS])
    combined, alone, per_wave = [], [], []
    for w in WAVES:
        test = np.nonzero(waves == w)[0]
        fit = np.nonzero(waves < w)[0]
        if FRACTION < 1:  # a learning curve: the same share of each earlier wave's events
            kept = [i for i in fit if ROWS[i]["part"] == "dev" or _share(i) < FRACTION]
            fit = np.array(kept, dtype=int)
        out = scored(fit, test)
        per_wave.append(f"w{w} {evaluate(TOPICS, out).macro_f1:.3f}")
        combined += out
        alone += [
            (o[0], o[1], frozenset(ROWS[i]["result"].labels))
            for o, i in zip(out, test, strict=True)
        ]
    for name, results in (("rules + model", combined), ("rules alone", alone)):
        e = evaluate(TOPICS, results)
        cells = " ".join(f"{t.topic} P {t.precision:.3f} R {t.recall:.3f}" for t in e.topics)
        print(
            f"{sys.argv[1] if len(sys.argv) > 1 else 'shipped'} {name}: {cells}, "
            f"macro-F1 {e.macro_f1:.3f}"
        )
    print(" ".join(per_wave))


if __name__ == "__main__":
    main()
