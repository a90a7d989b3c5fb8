"""Is this run's harvest healthy? Pure functions over the run's numbers and a baseline.

A site redesign rarely fails loudly: pages still answer 200 and the extractor still returns
something, only emptier. So each run measures how often each field was filled and compares it
with the recent healthy runs; a field that suddenly goes missing, or extraction failing on most
pages, makes the run unhealthy and the last good feeds stay published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from feedbot.config import HealthConfig
from feedbot.models import Article

FIELDS = ("title", "published", "authors", "body", "image")
# Fields judged against the baseline. Images are recorded but not judged: a run of photo-less
# briefs is ordinary news, while a run of stories without dates, reporters or text is not.
JUDGED = ("title", "published", "authors", "body")
# the extractor's selector or source behind each field, named in the unhealthy log line
SELECTORS = {
    "title": "h1.headline / og:title",
    "published": "JSON-LD datePublished / article:published_time / time[itemprop=datePublished]",
    "authors": ".byline a / .ab_byline / dable:author",
    "body": "#article_body",
    "image": "og:image / .ab_photo img",
}
MIN_SAMPLE = 3  # fewer extracted articles than this say nothing about the markup


@dataclass(frozen=True, slots=True)
class Assessment:
    healthy: bool
    fill: dict[str, float]
    notes: tuple[str, ...]


def fill_rates(articles: Sequence[Article]) -> dict[str, float]:
    if not articles:
        return {}
    count = len(articles)
    filled = {
        "title": sum(bool(a.title) for a in articles),
        "published": sum(a.published is not None for a in articles),
        "authors": sum(bool(a.authors) for a in articles),
        "body": sum(len(a.body_text) >= 80 for a in articles),
        "image": sum(a.image is not None for a in articles),
    }
    return {name: round(filled[name] / count, 3) for name in FIELDS}


def baseline(history: Sequence[dict[str, float]]) -> dict[str, float]:
    """Mean fill rate per field over earlier healthy runs."""
    if not history:
        return {}
    return {
        name: sum(run.get(name, 0.0) for run in history) / len(history)
        for name in FIELDS
        if any(name in run for run in history)
    }


def assess(
    extracted: Sequence[Article],
    attempted: int,
    extract_failures: int,
    history: Sequence[dict[str, float]],
    config: HealthConfig,
    *,
    planned: int = 0,
    failed: int = 0,
) -> Assessment:
    """`attempted` article pages answered 200; `extract_failures` of them did not extract;
    `failed` of the `planned` article requests gave nothing at all (any reason)."""
    fill = fill_rates(extracted)
    notes: list[str] = []
    if planned >= MIN_SAMPLE and failed == planned:
        # a section whose links all lead nowhere (404s, redirects away) is not "no news"
        notes.append(f"all {planned} article requests failed (article links broken?)")
    if attempted >= MIN_SAMPLE and extract_failures / attempted > config.max_extract_failures:
        notes.append(
            f"extraction failed on {extract_failures} of {attempted} article pages "
            f"(#article_body / h1.headline not found?)"
        )
    if len(extracted) >= MIN_SAMPLE:
        for name, usual in baseline(history).items():
            if name not in JUDGED:
                continue
            now = fill.get(name, 0.0)
            if usual > 0 and now < usual * config.min_fill_ratio:
                notes.append(
                    f"field '{name}' filled on {now:.0%} of articles, usually {usual:.0%} "
                    f"(source: {SELECTORS[name]})"
                )
    return Assessment(not notes, fill, tuple(notes))


def canary_drift(stored: Article, fresh: Article) -> list[str]:
    """Fields of a known article that came out differently this time (the markup drifted, or the
    story was edited; either way an operator should look)."""
    drift = []
    pairs = {
        "title": (stored.title, fresh.title),
        "published": (stored.published, fresh.published),
        "authors": ([a.name for a in stored.authors], [a.name for a in fresh.authors]),
        "body": (stored.body_text, fresh.body_text),
        "image": (stored.image, fresh.image),
    }
    for name, (old, new) in pairs.items():
        if old != new:
            drift.append(f"canary {stored.id}: '{name}' changed ({_short(old)} -> {_short(new)})")
    return drift


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
