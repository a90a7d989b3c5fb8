"""Topic classification: pure, explainable, Korean-aware. No I/O.

How a story scores for a topic:
- every term occurrence earns `weight × zone factor` (title 3, first sentence 2, the rest of the
  lead 1.5, body 1); repeats of one term earn less each time (1, ½, ¼, in reading order, at most
  three counted) so a word repeated ten times is not ten stories;
- a term inside an enumeration ("AI·바이오·반도체 등", "A, B, C 같은", a list of fields or sectors)
  is a passing mention and earns a fifth;
- subject: a topic with no evidence in the title or the first sentence (outside enumerations) is
  context, not subject: it is kept only when its evidence is strong (twice the threshold); so a
  second topic mentioned in the body of a story another topic holds is dropped (dominance);
- Latin terms match as words: `AI` matches `AI를`, `생성AI`, `오픈AI` but not `AIA`, `RAID` or
  `OpenAIR` (no Latin letter may touch it); an acronym with digits glued before it, or a one-
  or two-letter acronym with digits after it, is a code, not the term (`3AI`, `AI3`); a
  generation number after a longer name is still the name (`HBM4`, `GPT4`);
- Korean compounds match with or without their inner spaces (`데이터센터` = `데이터 센터`), and a
  space in a term matches any or no whitespace (`생성형 AI` = `생성형AI`);
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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from feedbot.curate.model import TopicModel, second_opinion
from feedbot.curate.patterns import Pattern, PatternTimeout, curated, literal
from feedbot.models import Classification, TopicSpec

ZONES = (("title", 3.0), ("first", 2.0), ("lead", 1.5), ("body", 1.0))
SUBJECT_ZONES = ("title", "first")
REPEAT_DECAY = 0.5
MAX_REPEATS = 3
LIST_FACTOR = 0.2  # what a term inside an enumeration earns, against the same term as a subject
CONTEXT_NEEDS = 2.0  # a topic with no subject evidence is kept at this many times its threshold
# bumped when what scoring means changes without a constant changing (2: a negative with a
# weight and no terms named only subtracts; 3: an unclosed list's last item is one word; 4: a
# list keeps one separator; 5: a term that names a coordination is not an item of it, and every
# middle dot is ·), so the fingerprint re-labels the store; the enumeration pattern itself is
# part of the fingerprint too
SCORING_REVISION = 5
_LATIN = re.compile(r"[A-Za-z0-9]")
_HANGUL = re.compile(r"[가-힣]")
# NFKC makes the Hangul middle dot ㆍ (U+318D) a conjoining vowel (U+119E) that no pattern
# expects; it and the other middle dots a page may use for ·, the list separator of Korean
# headlines, become ·: "중소ㆍ중견기업" and "AIㆍ바이오ㆍ반도체 등" read as they do with ·
_DOTS = "\u119e\u30fb\u2027\u2219\u22c5"
_MIDDLE_DOTS = str.maketrans(dict.fromkeys(_DOTS, "·"))


def _nfkc(text: str) -> str:
    """The form zones, terms and traps are compared in."""
    text = unicodedata.normalize("NFKC", text)
    # translate() looks every character up (a tenth of an article-length story's time); the
    # dots are rare, and `in` finds that out at C speed
    return text.translate(_MIDDLE_DOTS) if any(dot in text for dot in _DOTS) else text


# An enumeration: three or more short items joined by one kind of separator, or two or more
# such items closed by 등 / 같은 / 및 / 분야 / 산업 … ; items are short (a word or two), which
# keeps ordinary sentences with commas out of it.
# - One list keeps one separator: in "개정 상가임대차법, 계약갱신 10년·권리금 보호기간" the comma
#   closes the headline's subject and the dot joins two changes; read as one list of three, the
#   law's name became a passing mention. A comma list's items may be pairs joined by a dot
#   ("AI·반도체, 바이오·헬스, 이차전지·미래차 등"): the dot binds tighter than the comma; such a
#   list starts with a pair.
# - The last item of an unclosed list is one word: the word after it is the noun the list
#   qualifies ("예비·초기·도약 창업기업", "AI·바이오·반도체 스타트업"), the story's subject.
# - A closed list is tried first, so that its two-word last item ("생성형 AI 등") stays in it.
# possessive quantifiers (Python 3.11): an item never gives characters back, which halves the
# cost of the search and keeps a suffix like 산업 from matching inside a longer word
_SEPARATORS = "·ㆍ/,、"  # what joins a list's items (ㆍ is also read as ·: _nfkc)
_WORD = rf"[^\s{_SEPARATORS}]{{1,12}}+"
_ITEM = rf"{_WORD}(?:\s[^\s{_SEPARATORS}]{{1,8}}+)?"
# (a comma before a digit is a thousands separator: "3,000억" is one number, not two items)
_DOT, _COMMA, _SLASH = r"\s*[·ㆍ]\s*", r"\s*[,、](?!\d)\s*", r"\s*/\s*"
_PAIR = rf"{_ITEM}(?:{_DOT}{_ITEM})*"  # a comma list's item: one item or a dotted group
# a closer ends its word, or only particles follow it: "AI·바이오 분야에", "A, B 등을" close a
# list, but in "공정위, 하도급업체 기술유용" the 기술 of 기술유용 (misappropriation) began a
# new word, and the headline's subject and object had been read as a list of two
_PARTICLES = (
    "은|는|이|가|을|를|에|의|로|으로|과|와|도|만|서|별|까지|부터|이다|이며|이나|에게|에선|엔|다|나|며|"
    "라|보다|처럼|마다|지"  # (지: 등지)
)
_CLOSER = rf"\s*(?:등|같은|및|분야|산업|업종|기술)(?=[^가-힣]|$|(?:{_PARTICLES})+(?![가-힣]))"
# every kind of list starts with an item: matched once, then the kinds are tried on what follows
# (six alternatives each starting over with an item cost twice as much on article-length text)
_ENUMERATION = re.compile(
    # a list starts where a word starts: tried inside words too, it cost twice as much, and an
    # item is a word of at most 12 characters anyway
    rf"(?<![^\s·ㆍ/,、]){_ITEM}(?:"
    + "|".join(
        [
            rf"(?:{_DOT}{_ITEM})+{_CLOSER}",
            # a list of pairs starts with a pair: in "중기부, 딥테크·바이오 분야" the comma
            # closes the subject, and only the pair is a list
            rf"(?:{_DOT}{_ITEM})+(?:{_COMMA}{_PAIR})+{_CLOSER}",
            rf"(?:{_COMMA}{_ITEM})+{_CLOSER}",
            rf"(?:{_SLASH}{_ITEM})+{_CLOSER}",
            rf"(?:{_DOT}{_ITEM})+{_DOT}{_WORD}",
            rf"(?:{_DOT}{_ITEM})+(?:{_COMMA}{_PAIR})+{_COMMA}{_WORD}(?:{_DOT}{_WORD})*",
            rf"(?:{_COMMA}{_ITEM})+{_COMMA}{_WORD}",
            rf"(?:{_SLASH}{_ITEM})+{_SLASH}{_WORD}",
        ]
    )
    + ")"
)
# a term whose match holds a list separator names that coordination itself (중소·중견기업: the
# SMEs and the mid-sized firms): the list is the term, not a passing mention (see _listed)
_SEPARATOR = re.compile(f"[{_SEPARATORS}]")
_ITEM_GOES_ON = re.compile(rf"[^\s{_SEPARATORS}]*\s*[{_SEPARATORS}]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|(?<=다\.)|\n")


@dataclass(frozen=True, slots=True)
class _Term:
    label: str
    pattern: Pattern
    weight: float
    # the first text the pattern needs when one string alone is it ("" otherwise): most terms
    # appear in no zone of a story, and one `in` rules that out far more cheaply than running
    # the pattern, or even a call to check all it needs (`_lacks`); `rest` is the rest of it
    key: str = ""
    rest: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class _Negative:
    label: str
    pattern: Pattern
    suppress: frozenset[str]  # term labels switched off; empty = every term (if no weight)
    weight: float
    # found in the title, it keeps the rule from firing: searched in the title alone, where a
    # lookahead in the pattern would try every name at every position (ten times the cost)
    unless: Pattern | None


@dataclass(frozen=True, slots=True)
class TopicRule:
    id: str
    threshold: float
    terms: tuple[_Term, ...]
    exclude: tuple[Pattern, ...]
    negatives: tuple[_Negative, ...]
    model: TopicModel | None = None  # the learned second opinion (curate/model.py), when loaded


def term_pattern(text: str) -> str:
    """Regex for one configured term: `re:` prefix = raw regex; otherwise literal text where a
    space matches optional whitespace, Korean compounds match with or without inner spaces,
    and Latin edges get word boundaries (digits glued on make a code)."""
    if text.startswith("re:"):
        return text[3:]
    text = _nfkc(text).strip()
    words = []
    for part in text.split():
        if _spaced(part):
            words.append(r"\s?".join(re.escape(c) for c in part))  # 데이터센터 = 데이터 센터
        else:
            words.append(re.escape(part))
    body = r"\s*".join(words)
    if _LATIN.match(text[0]):
        body = r"(?<![A-Za-z0-9])" + body
    if _LATIN.match(text[-1]):
        # a generation number after a name is still the name (HBM4, GPT4); digits after a one-
        # or two-letter acronym make a code (AI3, A1), and so do digits after a hyphen (AI-171,
        # a flight)
        code = len(text) <= 2 and not text[-1].isdigit()
        body += r"(?![A-Za-z0-9]|-\d)" if code else r"(?![A-Za-z])"
    return body


def trap_pattern(text: str) -> str:
    """Exclude patterns tolerate whitespace between any two characters: a compound trap is
    written both ways (`코인노래방`, `코인 노래방`)."""
    if text.startswith("re:"):
        return text[3:]
    chars = [c for c in _nfkc(text) if not c.isspace()]
    return r"\s*".join(re.escape(c) for c in chars)


def pattern(source: str, expression: str) -> Pattern:
    """A curator's `re:` pattern is matched with a timeout; our own escaped literals are not."""
    if source.startswith("re:"):
        return curated(source, expression)  # spec.py checked it compiles, and is fast
    return literal(source, expression)


def compile_topic(spec: TopicSpec, model: TopicModel | None = None) -> TopicRule:
    """Compile a validated TopicSpec (curate/spec.py checked that every pattern compiles);
    `model` is attached when it has weights for this topic."""
    terms = tuple(_term(t, pattern(t, term_pattern(t)), w) for t, w in spec.terms)
    # each trap compiled alone: joined, two traps could clash (a group name, an inline flag)
    exclude = tuple(pattern(e, trap_pattern(e)) for e in spec.exclude)
    negatives = tuple(
        _Negative(
            n.pattern,
            pattern(n.pattern, term_pattern(n.pattern)),
            frozenset(n.suppress),
            n.weight,
            pattern(n.unless, term_pattern(n.unless)) if n.unless else None,
        )
        for n in spec.negatives
    )
    learned = model if model is not None and spec.id in model.topics else None
    return TopicRule(spec.id, spec.threshold, terms, exclude, negatives, learned)


def _spaced(word: str) -> bool:
    """Whether a word of a term matches with or without spaces between its syllables: a Hangul
    compound of three or more (term_pattern builds the pattern so)."""
    return len(word) >= 3 and all(_HANGUL.match(c) for c in word)


def _term(label: str, compiled: Pattern, weight: float) -> _Term:
    """A term, with what its pattern needs split into the first key and the rest."""
    needs = compiled.needs
    if needs and len(needs[0]) == 1:
        return _Term(label, compiled, weight, needs[0][0], needs[1:])
    return _Term(label, compiled, weight, "", needs)


def _lacks(needs: tuple[tuple[str, ...], ...], lowered: str) -> bool:
    """Whether a lower-cased text lacks what a pattern needs (patterns.needs), so that the
    pattern cannot match in it."""
    for group in needs:
        if len(group) == 1:
            if group[0] not in lowered:
                return True
        elif not any(text in lowered for text in group):
            return True
    return False


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
            [(n.pattern, n.suppress, n.weight, n.unless) for n in s.negatives],
        )
        for s in specs
    ]
    material.append(
        (
            "scoring",
            SCORING_REVISION,
            ZONES,
            REPEAT_DECAY,
            MAX_REPEATS,
            LIST_FACTOR,
            CONTEXT_NEEDS,
            _ENUMERATION.pattern,
        )  # type: ignore[arg-type]
    )
    if model is not None:  # without one, the fingerprint stays what it was before models
        material.append(("model", model.sha256))  # type: ignore[arg-type]
    return hashlib.sha256(json.dumps(material, ensure_ascii=False).encode()).hexdigest()


def split_zones(title: str, text: str, lead: str | None = None) -> dict[str, str]:
    """Title, the first sentence of the lead, the rest of the lead (the description, else the
    first paragraph) and the rest of the body."""
    text = text.strip()
    if lead is None:
        lead, _, body = text.partition("\n\n")
    else:
        body = text
    lead = _nfkc(lead).strip()
    parts = _SENTENCE_END.split(lead, maxsplit=1)
    first, rest = (parts[0], parts[1]) if len(parts) == 2 else (lead, "")
    return {
        "title": _nfkc(title),
        "first": first,
        "lead": rest,
        "body": _nfkc(body),
    }


def _score_topic(
    rule: TopicRule,
    zones: dict[str, str],
    whole: str,
    lowered: dict[str, str],
    enumerations: dict[str, _Spans],
) -> tuple[float, list[str], bool]:
    """(score, reasons, whether any evidence sits in the title or first sentence).
    `whole` is the zones joined, what a negative rule is searched in; `lowered` is each zone
    lower-cased once per story (and "whole", all of them), for what the patterns need
    (`_lacks`); `enumerations` caches each zone's enumeration spans for all topics of one
    story: finding them is the costly part of scoring, and only a zone where some term
    matched needs them."""
    suppressed: set[str] = set()
    why: list[str] = []
    penalty = 0.0
    labels: set[str] | None = None  # every term's label, built when a negative first fires
    for negative in rule.negatives:
        if _lacks(negative.pattern.needs, lowered["whole"]):
            continue
        try:
            matched = negative.pattern.search(whole)
            excused = (
                matched is not None
                and negative.unless is not None
                and not _lacks(negative.unless.needs, lowered["title"])
                and negative.unless.search(zones["title"]) is not None
            )
        except PatternTimeout:
            why.append(f"negative context '{negative.label}' took too long on this story: skipped")
            continue
        if matched is None or excused:
            continue
        if labels is None:
            labels = {t.label for t in rule.terms}
        # a negative switches off the terms it names; one that names none switches off all of
        # them, unless it has a weight: then it only subtracts (a weight on top of "all off"
        # would be meaningless, and "subtracts" is what a curator who gives a weight means)
        off = set(negative.suppress)
        if not off and not negative.weight:
            off = labels
        suppressed |= off
        penalty += negative.weight
        parts = [f"{'every term' if off == labels else ', '.join(sorted(off))} off"] if off else []
        parts += [f"-{negative.weight:g}"] if negative.weight else []
        why.append(f"negative context '{matched}': {', '.join(parts)}")
    score = 0.0 - penalty  # not -penalty: that writes -0.0
    subject = False
    seen: dict[str, int] = {}  # term -> occurrences counted so far, in reading order
    for zone, factor in ZONES:
        text = zones[zone]
        if not text:
            continue
        low = lowered[zone]
        traps: _Spans | None = None  # found when a term first matches in the zone
        for term in rule.terms:
            if term.label in suppressed:
                continue
            # the first key rules out most terms; _lacks only for the rest
            if (term.key and term.key not in low) or (term.rest and _lacks(term.rest, low)):
                continue
            count = listed = 0
            try:
                matches = list(term.pattern.finditer(text))
            except PatternTimeout:
                why.append(f"{zone}: '{term.label}' took too long on this story: skipped")
                continue
            for start, end, matched in matches:
                if traps is None:
                    traps = _spans(rule.exclude, text, low, why)
                if _inside((start, end), traps):
                    continue
                if zone not in enumerations:
                    enumerations[zone] = _merged([m.span() for m in _ENUMERATION.finditer(text)])
                if _listed(text, (start, end), enumerations[zone], matched):
                    listed += 1
                else:
                    count += 1
            before = seen.get(term.label, 0)
            seen[term.label] = before + count + listed
            if count:
                subject = subject or zone in SUBJECT_ZONES
                points = term.weight * factor * _repeats(before, count)
                score += points
                why.append(f"{zone}: '{term.label}' ×{count} +{points:g}")
            if listed:
                points = term.weight * factor * LIST_FACTOR * _repeats(before + count, listed)
                score += points
                why.append(f"{zone}: '{term.label}' ×{listed} in a list +{points:g}")
    return round(score, 2), why, subject


class _Spans(NamedTuple):
    """Stretches of a zone (traps, lists), merged where they overlap or touch and sorted, so
    that a match is looked up by bisection: scanning every span for every match made a long
    story with many matches quadratic (a 50k-character page of one phrase took seconds)."""

    starts: list[int]
    ends: list[int]


def _merged(spans: list[tuple[int, int]]) -> _Spans:
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if starts and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return _Spans(starts, ends)


def _spans(patterns: tuple[Pattern, ...], text: str, lowered: str, why: list[str]) -> _Spans:
    """Where the traps are in `text` (`lowered`, lower-cased); a trap too slow for this story
    is skipped, and said."""
    spans = []
    for trap in patterns:
        if _lacks(trap.needs, lowered):
            continue
        try:
            spans += [(start, end) for start, end, _ in trap.finditer(text)]
        except PatternTimeout:
            why.append(f"trap '{trap.source}' took too long on this story: skipped")
    return _merged(spans)


def _listed(text: str, span: tuple[int, int], lists: _Spans, matched: str) -> bool:
    """Whether a match is an item of an enumeration. A match that holds a separator names the
    coordination (중소·중견기업): it is an item only when the list goes on past it, with a
    separator before it (대기업·중소·중견 등) or right after its word (중소·중견기업·대학)."""
    i = _stretch(span, lists)
    if i < 0:
        return False
    start, end = span
    if start < lists.starts[i] or end > lists.ends[i]:
        # a match that runs across a list's edge is no item of it: in "공정위, 하도급업체 기술
        # 유용" the term 기술 유용 (misappropriation) starts at what had looked like the list's
        # closer, and it is the headline's object, not a passing mention
        return False
    if not _SEPARATOR.search(matched):
        return True
    return bool(_SEPARATOR.search(text[lists.starts[i] : start]) or _ITEM_GOES_ON.match(text, end))


def _inside(span: tuple[int, int], spans: _Spans) -> bool:
    return _stretch(span, spans) >= 0


def _stretch(span: tuple[int, int], spans: _Spans) -> int:
    """The stretch the match starts or ends inside ([s, e) for its start, (s, e] for its end),
    or -1: merging keeps both unions the same, so the answer is too."""
    start, end = span
    i = bisect_right(spans.starts, start) - 1
    if i >= 0 and start < spans.ends[i]:
        return i
    j = bisect_left(spans.starts, end) - 1
    return j if j >= 0 and end <= spans.ends[j] else -1


def _repeats(before: int, count: int) -> float:
    """What occurrences `before`…`before + count - 1` of a term earn together: 1, ½, ¼, then 0."""
    return sum(REPEAT_DECAY**i for i in range(before, min(before + count, MAX_REPEATS)))


def classify(
    rules: tuple[TopicRule, ...], title: str, text: str, lead: str | None = None
) -> Classification:
    """Labels, a score per topic and the reasons, for one story."""
    zones = split_zones(title, text, lead)
    labels: list[str] = []
    scores: dict[str, float] = {}
    why: dict[str, tuple[str, ...]] = {}
    # for the terms' keys; İ and the dotless ı are the characters NFKC leaves that `re`'s
    # IGNORECASE takes for an ASCII letter (i) and lower() does not (İ lowers to two characters)
    lowered = {
        zone: text.replace("İ", "i").lower().replace("ı", "i") for zone, text in zones.items()
    }
    whole = "\n".join(zones.values())  # what a negative rule is searched in, once a story
    lowered["whole"] = "\n".join(lowered.values())
    enumerations: dict[str, _Spans] = {}
    for rule in rules:
        score, reasons, subject = _score_topic(rule, zones, whole, lowered, enumerations)
        scores[rule.id] = score
        needed = rule.threshold if subject or score <= 0 else rule.threshold * CONTEXT_NEEDS
        kept = score >= needed
        verdict = f"score {score:g} {'>=' if kept else '<'} threshold {needed:g}"
        if not subject and score > 0:
            verdict += " (no evidence in the title or first sentence: context, not subject)"
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
