"""Topic classification: pure, explainable, Korean-aware. No I/O.

How a story scores for a topic:
- every term occurrence earns `weight × zone factor` (title 3, lead 2, body 1); repeats of one
  term in one zone earn less each time (1, ½, ¼) so a word repeated ten times is not ten stories;
- Latin terms match as words: `AI` matches `AI를`, `생성AI`, `오픈AI` (Hangul or a digit may
  touch it: `HBM4`) but not `AIA`, `RAID` or `OpenAIR` (no Latin letter may);
- a space in a term matches any or no whitespace (`생성형 AI` = `생성형AI`);
- `exclude` spans are compound traps: a term inside one does not count (`코인` in `코인노래방`,
  written with or without spaces);
- a negative rule that fires switches terms off (avian-flu vocabulary turns `AI` off) and/or
  subtracts its weight;
- the topic is kept when the score reaches its threshold, so one passing mention deep in the
  body does not count.
Text is NFKC-normalised first, so full-width `ＡＩ` is `AI`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from feedbot.curate.model import TopicModel, second_opinion
from feedbot.models import Classification, TopicSpec

ZONES = (("title", 3.0), ("lead", 2.0), ("body", 1.0))
REPEAT_DECAY = 0.5
MAX_REPEATS = 3
_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class _Term:
    label: str
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True, slots=True)
class _Negative:
    label: str
    pattern: re.Pattern[str]
    suppress: frozenset[str]  # term labels switched off; empty = every term of the topic
    weight: float


@dataclass(frozen=True, slots=True)
class TopicRule:
    id: str
    threshold: float
    terms: tuple[_Term, ...]
    exclude: re.Pattern[str] | None
    negatives: tuple[_Negative, ...]
    model: TopicModel | None = None  # the learned second opinion (curate/model.py), when loaded


def term_pattern(text: str) -> str:
    """Regex for one configured term: `re:` prefix = raw regex; otherwise literal text where a
    space matches optional whitespace and Latin edges get word boundaries."""
    if text.startswith("re:"):
        return text[3:]
    text = unicodedata.normalize("NFKC", text).strip()
    body = r"\s*".join(re.escape(part) for part in text.split())
    # Only letters make a longer word: `HBM4`, `GPT-5` and `5G` still contain their terms.
    if _LATIN.match(text[0]):
        body = r"(?<![A-Za-z])" + body
    if _LATIN.match(text[-1]):
        body += r"(?![A-Za-z])"
    return body


def trap_pattern(text: str) -> str:
    """Exclude patterns tolerate whitespace between any two characters: a compound trap is
    written both ways (`코인노래방`, `코인 노래방`)."""
    if text.startswith("re:"):
        return text[3:]
    chars = [c for c in unicodedata.normalize("NFKC", text) if not c.isspace()]
    return r"\s*".join(re.escape(c) for c in chars)


def compile_topic(spec: TopicSpec, model: TopicModel | None = None) -> TopicRule:
    """Compile a validated TopicSpec (curate/spec.py checked that every pattern compiles);
    `model` is attached when it has weights for this topic."""
    flags = re.IGNORECASE
    terms = tuple(_Term(t, re.compile(term_pattern(t), flags), w) for t, w in spec.terms)
    exclude = (
        re.compile("|".join(f"(?:{trap_pattern(e)})" for e in spec.exclude), flags)
        if spec.exclude
        else None
    )
    negatives = tuple(
        _Negative(
            n.pattern, re.compile(term_pattern(n.pattern), flags), frozenset(n.suppress), n.weight
        )
        for n in spec.negatives
    )
    learned = model if model is not None and spec.id in model.topics else None
    return TopicRule(spec.id, spec.threshold, terms, exclude, negatives, learned)


def compile_topics(
    specs: tuple[TopicSpec, ...], model: TopicModel | None = None
) -> tuple[TopicRule, ...]:
    return tuple(compile_topic(spec, model) for spec in specs)


def fingerprint(specs: tuple[TopicSpec, ...], model: TopicModel | None = None) -> str:
    """Changes whenever anything that can change a label changes (terms, weights, thresholds,
    traps, negatives, the scoring constants, the model's weight file); titles and subtitles do
    not count."""
    material = [
        (
            s.id,
            s.threshold,
            s.terms,
            s.exclude,
            [(n.pattern, n.suppress, n.weight) for n in s.negatives],
        )
        for s in specs
    ]
    material.append(("scoring", ZONES, REPEAT_DECAY, MAX_REPEATS))  # type: ignore[arg-type]
    if model is not None:  # without one, the fingerprint stays what it was before models
        material.append(("model", model.sha256))  # type: ignore[arg-type]
    return hashlib.sha256(json.dumps(material, ensure_ascii=False).encode()).hexdigest()


def split_zones(title: str, text: str, lead: str | None = None) -> dict[str, str]:
    """Title, lead (the description, else the first paragraph) and the rest of the body."""
    text = text.strip()
    if lead is None:
        lead, _, body = text.partition("\n\n")
    else:
        body = text
    return {
        "title": unicodedata.normalize("NFKC", title),
        "lead": unicodedata.normalize("NFKC", lead),
        "body": unicodedata.normalize("NFKC", body),
    }


def _score_topic(rule: TopicRule, zones: dict[str, str]) -> tuple[float, list[str]]:
    whole = "\n".join(zones.values())
    suppressed: set[str] = set()
    why: list[str] = []
    penalty = 0.0
    for negative in rule.negatives:
        found = negative.pattern.search(whole)
        if found is None:
            continue
        suppressed |= negative.suppress or {t.label for t in rule.terms}
        penalty += negative.weight
        off = ", ".join(sorted(negative.suppress)) or "all terms"
        why.append(
            f"negative context '{found.group(0)}': {off} off"
            + (f", -{negative.weight:g}" if negative.weight else "")
        )
    score = 0.0 - penalty  # not -penalty: that writes -0.0
    for zone, factor in ZONES:
        text = zones[zone]
        if not text:
            continue
        traps = [m.span() for m in rule.exclude.finditer(text)] if rule.exclude else []
        for term in rule.terms:
            if term.label in suppressed:
                continue
            count = 0
            for match in term.pattern.finditer(text):
                start, end = match.span()
                if any(s <= start < e or s < end <= e for s, e in traps):
                    continue
                count += 1
            if not count:
                continue
            repeats = min(count, MAX_REPEATS)
            points = term.weight * factor * sum(REPEAT_DECAY**i for i in range(repeats))
            score += points
            why.append(f"{zone}: '{term.label}' ×{count} +{points:g}")
    return round(score, 2), why


def classify(
    rules: tuple[TopicRule, ...], title: str, text: str, lead: str | None = None
) -> Classification:
    """Labels, a score per topic and the reasons, for one story."""
    zones = split_zones(title, text, lead)
    labels: list[str] = []
    scores: dict[str, float] = {}
    why: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        score, reasons = _score_topic(rule, zones)
        scores[rule.id] = score
        kept = score >= rule.threshold
        verdict = f"score {score:g} {'>=' if kept else '<'} threshold {rule.threshold:g}"
        why[rule.id] = (*reasons, verdict)
        if kept:
            labels.append(rule.id)
    return _second_opinion(rules, Classification(tuple(labels), scores, why), title, text, lead)


def _second_opinion(
    rules: tuple[TopicRule, ...], result: Classification, title: str, text: str, lead: str | None
) -> Classification:
    """The learned model's verdict on top of the rules' (issue 16 §3), when one is loaded."""
    model = next((rule.model for rule in rules if rule.model is not None), None)
    if model is None:
        return result
    thresholds = {rule.id: rule.threshold for rule in rules if rule.model is not None}
    return second_opinion(model, thresholds, result, title, text, lead)
