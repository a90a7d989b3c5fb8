"""The learned second opinion, scored in pure Python: a linear model over character n-grams.

`feedbot train` (curate/train.py, the only scikit-learn user) fits one logistic regression per
topic on TF-IDF weights of character 2–4-grams and writes them to a weight file; this module
reads that file and scores a story with nothing but the standard library, so `feedbot run`
never imports scikit-learn. Both sides cut the text into n-grams with `ngrams` below (training
hands it to scikit-learn as the analyzer), so what was learned and what is scored are the same
features by construction.

The weight file (format version 1) is UTF-8 text: one header line of JSON
`{"format": "feedbot-topic-model", "version": 1, "bytes": N, "sha256": "..."}`, then a JSON
payload of exactly N bytes whose SHA-256 the header gives. A missing, truncated, altered or
foreign file is refused with one line naming it (ConfigError: exit 2), before anything is
labelled.

How a story is scored: the title, the lead and the start of the body, `chars` characters in all
(the corpus it learned from is headline + lead, 150–400 characters), NFKC-normalised, lowercased,
whitespace runs made one space; each n-gram in the vocabulary counts `1 + ln(count)` × its idf;
the vector is scaled to unit length (scikit-learn's `sublinear_tf`, `norm="l2"`); a topic's
probability is `sigmoid(bias + Σ weight × value)`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import compress, repeat
from operator import is_not, itemgetter, mul, truediv
from pathlib import Path
from typing import NamedTuple, cast

from feedbot.errors import ConfigError
from feedbot.models import Classification

FORMAT = "feedbot-topic-model"
VERSION = 1
# the weight file shipped in the package, the default of `[curate] model` (config/load.py reads it)
SHIPPED_MODEL = Path(__file__).with_name("model.json")
_SPACES = re.compile(r"\s+")
SHOWN_GRAMS = 3  # n-grams named on each side of a verdict: enough to see a coincidental match


@dataclass(frozen=True, slots=True)
class TopicWeights:
    """One topic's binary model and the two probabilities where it overrules the rules."""

    bias: float
    # aligned with TopicModel.grams; read as an array of doubles (below)
    weights: Sequence[float] = field(hash=False)
    add: float  # at or above: adds the topic when the rules saw evidence below their threshold
    drop: float  # at or below: drops a topic the rules kept…
    cap: float  # …while the rules' score is under `cap` thresholds (strong evidence stands)


@dataclass(frozen=True, slots=True)
class TopicModel:
    source: str  # the file it was read from, for messages
    sha256: str  # of the payload: the topics fingerprint changes with the weights
    low: int  # n-gram lengths, inclusive
    high: int
    chars: int  # how much of a story is scored
    grams: tuple[str, ...]
    idf: Sequence[float] = field(hash=False)
    topics: dict[str, TopicWeights] = field(hash=False)
    index: dict[str, int] = field(hash=False)


@dataclass(frozen=True, slots=True)
class Verdict:
    probability: float
    bias: float  # the topic's base logit: what a story with no known n-gram scores
    grams: float  # what all of the story's n-grams added to it (logit = bias + grams)
    pro: tuple[tuple[str, float], ...]  # the n-grams that pushed up most, and by how much
    contra: tuple[tuple[str, float], ...]  # the n-grams that pushed down most

    def describe(self, on_topic: float, off_topic: float) -> str:
        """`0.93 on topic (+'인공지능' 0.41, +'llm' 0.22; against -'폰' 0.05; base -1.20,
        n-grams +3.80)`: the n-grams behind the verdict first, then the strongest on the other
        side, then the logit's two terms (many small n-grams can outweigh the ones shown)."""

        def grams(parts: tuple[tuple[str, float], ...]) -> str:
            return ", ".join(f"{'+' if w > 0 else '-'}{g!r} {abs(w):.2f}" for g, w in parts)

        if self.probability >= on_topic:
            stance = "on topic"
        elif self.probability <= off_topic:
            stance = "off topic"
        else:
            stance = "undecided"
        pro, contra = grams(self.pro), grams(self.contra)
        if stance == "off topic":
            sides = [contra, f"for {pro}" if pro else ""]
        else:
            sides = [pro, f"against {contra}" if contra else ""]
        shown = "; ".join(side for side in sides if side)
        return (
            f"{self.probability:.2f} {stance} ({shown or 'no known n-grams'}; "
            f"base {self.bias:+.2f}, n-grams {self.grams:+.2f})"
        )


def normalize(text: str) -> str:
    """The text both training and scoring cut into n-grams."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def ngrams(text: str, low: int = 2, high: int = 4) -> list[str]:
    """Character n-grams of already normalised text, shortest first (spaces included: a gram
    that spans a word boundary says something the words alone do not)."""
    return [text[i : i + n] for n in range(low, high + 1) for i in range(len(text) - n + 1)]


def story_text(title: str, text: str, lead: str | None, chars: int) -> str:
    """Title, lead and the start of the body: the part of a story the corpus paraphrases."""
    parts = [title, lead, text] if lead else [title, text]
    # cut before normalising (a long body costs nothing), with room for what NFKC and the
    # whitespace runs shrink away, then exactly
    return normalize("\n".join(parts)[: 2 * chars + 64])[:chars]


def _tf(most: int) -> tuple[float, ...]:
    """Sublinear TF, 1 + ln(count), for the counts 0…`most`: looked up, not computed."""
    return tuple(1.0 + math.log(count) if count else 0.0 for count in range(most + 1))


_TF = _tf(63)  # the counts a story's n-grams have (most have 1; a longer table when one has more)
_KNOWN = partial(is_not, None)


class Features(NamedTuple):
    """A story's known n-grams as the model sees them: vocabulary indices in the order the
    n-grams first occur, and their TF-IDF values scaled to unit length, aligned."""

    indices: tuple[int, ...]
    values: tuple[float, ...]


def vector(model: TopicModel, text: str) -> Features:
    """Sublinear TF-IDF of the story's known n-grams, scaled to unit length."""
    counts = Counter(ngrams(text, model.low, model.high))
    # every step is a C-level map over the story's ~1,500 distinct n-grams (a Python loop over
    # them was most of what the model cost), in first-occurrence order, so the sums below add
    # the same floats in the same order as a loop would
    found = list(map(model.index.get, counts))
    known = list(map(_KNOWN, found))
    indices = cast(tuple[int, ...], tuple(compress(found, known)))  # the Nones left out
    tallies = list(compress(counts.values(), known))
    table = _TF if not tallies or max(tallies) < len(_TF) else _tf(max(tallies))
    values = list(map(mul, map(table.__getitem__, tallies), map(model.idf.__getitem__, indices)))
    norm = math.sqrt(sum(map(mul, values, values)))
    if not norm:
        return Features((), ())
    return Features(indices, tuple(map(truediv, values, repeat(norm))))


def judge(model: TopicModel, topic: str, features: Features) -> Verdict:
    weights = model.topics[topic]
    indices, values = features
    # the weights gathered and multiplied in C; one sort of positions by contribution gives both
    # ends, ties in the order the n-grams first occur in the story
    gathered = (
        [weights.weights[i] for i in indices]
        if len(indices) < 2
        else itemgetter(*indices)(weights.weights)
    )
    parts = list(map(mul, values, gathered))
    logit = weights.bias + sum(parts)
    # a logit past ±700 overflows exp(); the probability is 0 or 1 there anyway
    probability = 1.0 / (1.0 + math.exp(-max(-700.0, min(700.0, logit))))
    ranked = sorted(range(len(parts)), key=parts.__getitem__)
    grams = model.grams
    pro = tuple(
        (grams[indices[k]], parts[k]) for k in reversed(ranked[-SHOWN_GRAMS:]) if parts[k] > 0
    )
    contra = tuple((grams[indices[k]], parts[k]) for k in ranked[:SHOWN_GRAMS] if parts[k] < 0)
    return Verdict(probability, weights.bias, logit - weights.bias, pro, contra)


def second_opinion(
    model: TopicModel,
    thresholds: dict[str, float],
    result: Classification,
    title: str,
    text: str,
    lead: str | None,
) -> Classification:
    """The rules' result with the model's verdict for each topic the rules saw evidence for
    (score > 0): it adds a topic below the threshold when confident the story is on it, drops
    a kept topic when confident the story is not (unless the rules' score is `cap` thresholds
    or more), and otherwise leaves the rules standing. A
    topic without evidence is never added: the model alone cannot make a story on-topic (its
    training set is small, and a label no rule explains could not be corrected by a curator)."""
    judged = [
        topic for topic, score in result.scores.items() if score > 0 and topic in model.topics
    ]
    if not judged:
        return result
    features = vector(model, story_text(title, text, lead, model.chars))
    labels = list(result.labels)
    why = dict(result.why)
    for topic in judged:
        weights = model.topics[topic]
        verdict = judge(model, topic, features)
        kept = topic in labels
        strong = result.scores[topic] >= weights.cap * thresholds[topic]
        if kept and verdict.probability <= weights.drop and not strong:
            labels.remove(topic)
            action = f"dropped (at or below {weights.drop:g})"
        elif not kept and verdict.probability >= weights.add:
            labels.append(topic)
            # not the base threshold: a story with no evidence in its title or first sentence
            # needed CONTEXT_NEEDS times that, and the rules' line above says which it fell
            # short of
            action = f"added (rule score {result.scores[topic]:g} fell short)"
        elif kept and verdict.probability <= weights.drop:
            action = f"rules stand (score {result.scores[topic]:g} is {weights.cap:g}× threshold or more)"
        else:
            action = "rules stand"
        line = f"model: {verdict.describe(weights.add, weights.drop)}: {action}"
        why[topic] = (*why.get(topic, ()), line)
    order = list(result.scores)
    return Classification(tuple(sorted(labels, key=order.index)), result.scores, why)


# -- the weight file ----------------------------------------------------------------------------


def dump_model(
    grams: list[str],
    idf: list[float],
    topics: dict[str, TopicWeights],
    *,
    low: int,
    high: int,
    chars: int,
    trained: dict[str, object],
) -> bytes:
    """The weight file's bytes: deterministic for the same inputs (sorted keys, fixed float
    formatting), so a retrain on the same corpus is byte-identical. Weights and idf keep 3
    decimals: on the whole corpus (4,563 stories) not one label differs from 4 decimals, nor did
    4 from 5, and each decimal dropped makes the file about 8 % smaller."""
    payload = {
        "ngrams": {"low": low, "high": high, "chars": chars, "tf": "sublinear", "norm": "l2"},
        "grams": grams,
        "idf": [round(v, 3) for v in idf],
        "topics": {
            topic: {
                "bias": round(w.bias, 6),
                "add": w.add,
                "drop": w.drop,
                "cap": w.cap,
                "weights": [round(v, 3) for v in w.weights],
            }
            for topic, w in sorted(topics.items())
        },
        "trained": trained,
    }
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = (body + "\n").encode("utf-8")
    header = {
        "format": FORMAT,
        "version": VERSION,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return (json.dumps(header, sort_keys=True) + "\n").encode("utf-8") + data


def parse_model(data: bytes, source: str) -> TopicModel:
    """Read a weight file's bytes; any flaw is one ConfigError naming `source`."""

    def bad(reason: str) -> ConfigError:
        return ConfigError(f"curate.model: {source}: {reason}")

    first, newline, rest = data.partition(b"\n")
    try:
        header = json.loads(first.decode("utf-8")) if newline else None
    except (UnicodeDecodeError, ValueError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise bad("not a feedbot topic model (no feedbot-topic-model header line)")
    if header.get("version") != VERSION:
        raise bad(
            f"weight file format version {header.get('version')!r}; this feedbot reads "
            f"version {VERSION} (retrain with feedbot train)"
        )
    if header.get("bytes") != len(rest):
        raise bad(
            f"truncated or padded: {len(rest)} payload bytes, the header says "
            f"{header.get('bytes')!r}"
        )
    digest = hashlib.sha256(rest).hexdigest()
    if header.get("sha256") != digest:
        raise bad("checksum mismatch: the file was altered or damaged (retrain or reinstall)")
    try:
        payload = json.loads(rest.decode("utf-8"))
        return _build(payload, source, digest)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError, OverflowError) as exc:
        raise bad(f"payload does not read as a topic model ({type(exc).__name__}: {exc})") from exc


def _build(payload: dict[str, object], source: str, digest: str) -> TopicModel:
    settings = payload["ngrams"]
    grams = payload["grams"]
    idf = payload["idf"]
    topics = payload["topics"]
    if not (
        isinstance(settings, dict)
        and isinstance(grams, list)
        and isinstance(idf, list)
        and isinstance(topics, dict)
        and len(grams) == len(idf)
    ):
        raise ValueError("ngrams, grams, idf or topics malformed")
    low, high, chars = int(settings["low"]), int(settings["high"]), int(settings["chars"])
    if not 1 <= low <= high <= 8 or chars < 1:
        raise ValueError(f"n-gram settings out of range: {low}-{high}, {chars} chars")
    weights = {}
    for topic, table in topics.items():
        # arrays of doubles, not tuples of float objects: a story's ~1,200 known n-grams are
        # gathered from contiguous memory (a fifth faster, and 2 MB less a topic), the same values
        values = array("d", table["weights"])  # a number that is no number: TypeError
        if len(values) != len(grams):
            raise ValueError(f"topic {topic}: {len(values)} weights for {len(grams)} n-grams")
        add, drop, cap = float(table["add"]), float(table["drop"]), float(table["cap"])
        if not 0.0 <= drop <= add <= 1.0 or not cap >= 0.0:
            raise ValueError(f"topic {topic}: thresholds drop {drop} / add {add} out of order")
        weights[str(topic)] = TopicWeights(float(table["bias"]), values, add, drop, cap)
    names = tuple(str(g) for g in grams)
    return TopicModel(
        source=source,
        sha256=digest,
        low=low,
        high=high,
        chars=chars,
        grams=names,
        idf=array("d", idf),
        topics=weights,
        index={g: i for i, g in enumerate(names)},
    )
