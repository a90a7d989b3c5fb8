"""A curator's label corrections (`feedbot label`) as pure functions: check the requested
changes, describe an override, show it beside the classifier's verdict, and turn a corrected
story into a corpus line. The CLI reads and writes; the store applies them (LabelOverride.apply).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from feedbot.errors import ConfigError
from feedbot.models import LabelOverride, StoredArticle

KST = ZoneInfo("Asia/Seoul")


def check_changes(
    add: Iterable[str], remove: Iterable[str], topics: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The topics to add and to remove, each once, in the order given; a ConfigError (one line)
    for no change at all, a topic that is not configured, or one both added and removed."""
    add, remove, known = tuple(dict.fromkeys(add)), tuple(dict.fromkeys(remove)), list(topics)
    if not add and not remove:
        raise ConfigError("label: no change given: name topics as +TOPIC (add) or -TOPIC (remove)")
    unknown = [t for t in (*add, *remove) if t not in known]
    if unknown:
        raise ConfigError(
            f"label: unknown topic {unknown[0]!r} (configured: {', '.join(known) or 'none'})"
        )
    both = [t for t in add if t in remove]
    if both:
        raise ConfigError(f"label: topic {both[0]!r} is both added and removed")
    return add, remove


def changes(override: LabelOverride) -> str:
    """`+crypto -ai`"""
    return " ".join([*(f"+{t}" for t in override.add), *(f"-{t}" for t in override.remove)])


def _when(override: LabelOverride) -> str:
    return f"{override.when.astimezone(KST):%Y-%m-%d %H:%M} KST"


def _labels(labels: Iterable[str]) -> str:
    return ", ".join(labels) or "none"


def list_line(override: LabelOverride, stored: StoredArticle | None) -> str:
    """One line of `feedbot label --list`."""
    if stored is None:
        story = "(not in the store now: applied when the story is stored again)"
    else:
        story = f"feeds: {_labels(stored.topics.labels)}  {stored.article.title}"
    # quoted as JSON: a note with a line break still lists on one line
    note = f"  note: {json.dumps(override.note, ensure_ascii=False)}" if override.note else ""
    return f"{override.article_id}  {changes(override)}  {_when(override)}  {story}{note}"


def side_by_side(stored: StoredArticle, topics: Iterable[str]) -> str:
    """The override, then per topic the classifier's stored verdict, the override and what the
    feeds use (`feedbot explain`)."""
    override = stored.override
    verdict = stored.verdict if stored.verdict is not None else stored.topics
    if override is None:
        return "curator's override: none"
    lines = [f"curator's override ({_when(override)}): {changes(override)}"]
    if override.note:
        lines.append(f"  note (kept in the store, never published): {override.note}")
    rows = [("topic", "classifier", "override", "feeds")]
    for topic in topics:
        change = "+" if topic in override.add else "-" if topic in override.remove else ""
        rows.append(
            (
                topic,
                "kept" if topic in verdict.labels else "dropped",
                f"{change}{topic}" if change else "",
                "yes" if topic in stored.topics.labels else "no",
            )
        )
    configured = set(topics)
    rows += [
        (topic, "-", f"+{topic}", "no (not configured)")
        for topic in override.add
        if topic not in configured
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines += [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(lines)


def corpus_line(stored: StoredArticle) -> dict[str, object]:
    """A corrected story in the corpus format (`classify --eval` reads it): the labels are the
    corrected ones, the text is what the classifier read (the lead, a blank line, the body)."""
    article = stored.article
    text = article.body_text
    if article.description:
        text = f"{article.description}\n\n{text}"
    line: dict[str, object] = {
        "id": f"curator-{article.id}",
        "title": article.title,
        "text": text,
        "labels": list(stored.topics.labels),
        "note": stored.override.note if stored.override else "",
        "url": article.url,
    }
    if article.published is not None:
        line["date"] = article.published.astimezone(KST).date().isoformat()
    return line
