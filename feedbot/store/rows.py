"""Reading stored values back: times, verdicts, overrides, reports. What a damaged row can
raise is UNREADABLE; its row is skipped and named (BadRow), never the run stopped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from feedbot.models import Classification, LabelOverride, StoredArticle, article_from_dict
from feedbot.store.connection import Row


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# What reading a damaged row can raise: its row is skipped and named, never the run stopped.
UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError)
_MONTH = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])$")


def read_time(text: object) -> datetime:
    """A time this store wrote (UTC ISO); anything else raises ValueError (a damaged row)."""
    if not isinstance(text, str):
        raise ValueError(f"not a time: {text!r:.40}")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"a time without its offset: {text!r:.40}")
    return moment


def valid_months(values: Iterable[object]) -> list[str]:
    """The valid "YYYY-MM" among `values` (a damaged row gives None or garbage), sorted."""
    return sorted({v for v in values if isinstance(v, str) and _MONTH.fullmatch(v)})


def read_verdict(text: str) -> Classification:
    """The classifier's verdict as stored in the `topics` column."""
    topics = json.loads(text)
    return Classification.from_dict(topics if isinstance(topics, dict) else {})


def read_stored(row: Row, override: LabelOverride | None = None) -> StoredArticle:
    verdict = read_verdict(row["topics"])
    return StoredArticle(
        article=article_from_dict(json.loads(row["data"])),
        content_hash=row["content_hash"],
        first_seen=read_time(row["first_seen"]),
        last_fetched=read_time(row["last_fetched"]),
        changed=read_time(row["changed"]),
        topics=override.apply(verdict) if override else verdict,
        override=override,
        verdict=verdict if override else None,
    )


def _topic_ids(text: str) -> tuple[str, ...]:
    value = json.loads(text)
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ValueError(f"not a list of topic ids: {text[:40]!r}")
    return tuple(value)


def read_override(row: Row) -> LabelOverride:
    return LabelOverride(
        article_id=row["article_id"],
        add=_topic_ids(row["add_topics"]),
        remove=_topic_ids(row["remove_topics"]),
        note=row["note"],
        when=read_time(row["set_at"]),
    )


def read_report(text: str) -> dict[str, Any]:
    """A history row's report; {} when it does not read (nothing in it is load-bearing)."""
    try:
        value = json.loads(text)
    except UNREADABLE:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class BadRow:
    id: int
    reason: str


def why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]
