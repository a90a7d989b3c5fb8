"""Topic specs from `[topics.<id>]` tables: the built-in topics merged with a curator's
tables, every key and pattern checked, errors naming the topic and key (config/load.py calls this
for the `topics` section)."""

from __future__ import annotations

import math
import re
from typing import Any

from feedbot.curate.defaults import DEFAULT_TOPICS
from feedbot.curate.patterns import curated
from feedbot.errors import ConfigError
from feedbot.models import NegativeSpec, TopicSpec

MAX_SCORE = 1000.0  # thresholds and weights above this are typos, not tuning


def _number(value: object) -> bool:
    """A finite int or float (`nan` would pass every comparison, `true` is not a weight)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _text(key: str, value: object) -> str:
    """A title or subtitle: a string with no control characters (it goes into every feed)."""
    if not isinstance(value, str):
        raise ConfigError(f"{key}: expected a string, got {value!r}")
    if any(not c.isprintable() for c in value):
        raise ConfigError(f"{key}: control characters in {value!r}")
    return value.strip()


def default_topics() -> tuple[TopicSpec, ...]:
    return tuple(_parse_topic(name, table) for name, table in DEFAULT_TOPICS.items())


_TOPIC_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# A topic id names its files in the output directory (<id>.atom, <id>.html, archive/<id>/): these
# would collide with the combined feed, the index, the status file and the static files.
RESERVED_IDS = frozenset(
    {"all", "index", "status", "feeds", "feed", "archive", "icon", "logo", "style", "favicon"}
)
TOPIC_KEYS = {
    "title",
    "title_en",
    "subtitle",
    "threshold",
    "terms",
    "exclude",
    "negatives",
    "enabled",
}


def parse_topics(raw: Any) -> tuple[TopicSpec, ...]:
    """Built-in topics merged with `[topics.<id>]` tables: a table replaces the keys it names,
    `enabled = false` drops a topic, a new id adds one (it then needs title, threshold, terms)."""
    if not isinstance(raw, dict):
        raise ConfigError("topics: must be a table of [topics.<id>] tables")
    merged: dict[str, dict[str, Any]] = {k: dict(v) for k, v in DEFAULT_TOPICS.items()}
    for topic_id, table in raw.items():
        if not isinstance(table, dict):
            raise ConfigError(f"topics.{topic_id}: must be a table")
        if not _TOPIC_ID.fullmatch(topic_id):
            raise ConfigError(
                f"topics.{topic_id}: a topic id is lowercase letters, digits, - or _ "
                "(it names the feed file)"
            )
        if topic_id in RESERVED_IDS:
            raise ConfigError(
                f"topics.{topic_id}: reserved (it names another file of the output directory); "
                f"reserved ids: {', '.join(sorted(RESERVED_IDS))}"
            )
        for key in table:
            if key not in TOPIC_KEYS:
                raise ConfigError(f"unknown config key topics.{topic_id}.{key}")
        merged.setdefault(topic_id, {}).update(table)
    topics = []
    for topic_id, table in merged.items():
        enabled = table.pop("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"topics.{topic_id}.enabled: expected true or false")
        if enabled:
            topics.append(_parse_topic(topic_id, table))
    if not topics:
        raise ConfigError("topics: every topic is disabled; feeds would be empty")
    return tuple(topics)


def _parse_topic(topic_id: str, table: dict[str, Any]) -> TopicSpec:
    key = f"topics.{topic_id}"
    for required in ("title", "threshold", "terms"):
        if required not in table:
            raise ConfigError(
                f"{key}.{required}: missing (a new topic needs title, threshold, terms)"
            )
    title = _text(f"{key}.title", table["title"])
    if not title:
        raise ConfigError(f"{key}.title: expected a non-empty string")
    threshold = table["threshold"]
    if not _number(threshold) or not 0 < threshold <= MAX_SCORE:
        raise ConfigError(
            f"{key}.threshold: expected a number greater than 0 and at most {MAX_SCORE:g}, "
            f"got {threshold!r}"
        )
    terms = table["terms"]
    if not isinstance(terms, dict) or not terms:
        raise ConfigError(f"{key}.terms: expected a table of term = weight")
    parsed_terms = []
    for term, weight in terms.items():
        if not _number(weight) or not 0 < weight <= MAX_SCORE:
            raise ConfigError(
                f"{key}.terms.{term}: weight must be a number > 0 and at most {MAX_SCORE:g}, "
                f"got {weight!r}"
            )
        _check_pattern(f"{key}.terms.{term}", term)
        parsed_terms.append((term, float(weight)))
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) and e for e in exclude):
        raise ConfigError(f"{key}.exclude: expected a list of strings")
    for item in exclude:
        _check_pattern(f"{key}.exclude", item)
    negatives = []
    raw_negatives = table.get("negatives", [])
    if not isinstance(raw_negatives, list):
        raise ConfigError(f"{key}.negatives: expected a list of tables")
    for index, negative in enumerate(raw_negatives):
        where = f"{key}.negatives[{index}]"
        if not isinstance(negative, dict) or not isinstance(negative.get("pattern"), str):
            raise ConfigError(f"{where}: expected a table with a pattern string")
        unknown = set(negative) - {"pattern", "suppress", "weight", "unless"}
        if unknown:
            raise ConfigError(f"unknown config key {where}.{sorted(unknown)[0]}")
        _check_pattern(f"{where}.pattern", negative["pattern"])
        suppress = negative.get("suppress", [])
        if not isinstance(suppress, list) or not all(s in terms for s in suppress):
            raise ConfigError(f"{where}.suppress: expected a list of this topic's terms")
        weight = negative.get("weight", 0.0)
        if not _number(weight) or not 0 <= weight <= MAX_SCORE:
            raise ConfigError(f"{where}.weight: expected a number >= 0, got {weight!r}")
        unless = negative.get("unless", "")
        if not isinstance(unless, str):
            raise ConfigError(f"{where}.unless: expected a pattern string")
        if unless:
            _check_pattern(f"{where}.unless", unless)
        negatives.append(NegativeSpec(negative["pattern"], tuple(suppress), float(weight), unless))
    return TopicSpec(
        id=topic_id,
        title=title.strip(),
        title_en=_text(f"{key}.title_en", table.get("title_en", title)),
        subtitle=_text(f"{key}.subtitle", table.get("subtitle", title)),
        threshold=float(threshold),
        terms=tuple(parsed_terms),
        exclude=tuple(exclude),
        negatives=tuple(negatives),
    )


def _check_pattern(key: str, text: str) -> None:
    """A `re:` pattern must compile (and must not match the empty string)."""
    if not text.strip():
        raise ConfigError(f"{key}: empty pattern")
    if text.startswith("re:"):
        try:
            curated(text, text[3:])
        except ValueError as exc:
            raise ConfigError(f"{key}: {exc}") from exc
