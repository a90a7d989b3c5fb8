"""RFC 5005 §4 archived feeds: each feed is the current document of an archive.

The current document holds the newest `feed_size` stories plus the rest of the month the oldest
of them belongs to; every earlier month is an archive document `archive/<feed>/YYYY-MM.atom`
(Korea time), marked `fh:archive`, linked `current` and `prev-archive` (the older month), and
reached from the current document's `prev-archive`. A reader walking from the current document
sees every story once.

Archive documents are immutable: they are written when their month leaves the current document
and again only when a story in them was corrected or deleted (the store marks its month dirty),
or when a backfilled older month slides in before them. They carry no `next-archive` link (RFC
5005 makes it optional): it would change the newest archive each time a newer month is archived.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from feedbot.models import StoredArticle
from feedbot.normalize import KST
from feedbot.publish import publish
from feedbot.render.atom import FeedMeta, render_atom
from feedbot.store import Store
from feedbot.validate import check_atom

log = logging.getLogger(__name__)
STATE_KEY = "archive:{name}"  # meta: {"months": [...]} already archived for a feed


def month_of(moment: datetime) -> str:
    return moment.astimezone(KST).strftime("%Y-%m")


def month_start(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=KST)


def next_month_start(month: str) -> datetime:
    start = month_start(month)
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )


def boundary(window: list[StoredArticle], feed_size: int) -> str | None:
    """The oldest month of the current document, or None when every story fits in it."""
    if len(window) < feed_size:
        return None
    oldest = min(s.article.published or s.first_seen for s in window)
    return month_of(oldest)


def archive_url(base: str, name: str, month: str) -> str:
    return f"{base}archive/{name}/{month}.atom"


def write_archives(
    store: Store,
    meta: FeedMeta,
    topic: str | None,
    first_current_month: str,
    dirty: set[str],
    topic_titles: dict[str, str],
    select: Callable[[list[StoredArticle]], tuple[list[StoredArticle], dict[int, list[str]]]],
    out_dir: Path,
) -> tuple[list[str], str | None]:
    """Write the archive documents that are new or changed; return (written paths, the URL of
    the newest archive for the current document's prev-archive link). `select` drops
    near-duplicates, as in the current document."""
    key = STATE_KEY.format(name=meta.name)
    state = json.loads(store.get_meta(key) or "{}")
    known: list[str] = state.get("months", [])
    end = month_start(first_current_month)
    # months with stories before the current document: only the span since the last known
    # month needs a query, plus dirty months (a backfill or correction further back)
    start = next_month_start(known[-1]) if known else None
    found = set(store.months(start, end, topic))
    for month in dirty:
        if month < first_current_month and month not in found and month not in known:
            found |= set(store.months(month_start(month), next_month_start(month), topic))
    months = sorted(set(known) | found)
    base = meta.self_url.rsplit("/", 1)[0] + "/"
    folder = out_dir / "archive" / meta.name
    rewrite = {
        m for m in months if m not in known or m in dirty or not (folder / f"{m}.atom").exists()
    }
    # a month that slid in before an existing archive changes that archive's prev-archive link
    for index, month in enumerate(months[:-1]):
        if month not in known:
            rewrite.add(months[index + 1])
    written = []
    for index, month in enumerate(months):
        if month not in rewrite:
            continue
        articles, related = select(
            store.between(month_start(month), next_month_start(month), topic)
        )
        archive_meta = FeedMeta(
            meta.name,
            f"{meta.title} ({month} 보관)",
            meta.subtitle,
            archive_url(base, meta.name, month),
            meta.section_url,
            meta.icon_url,
            meta.logo_url,
            meta.stylesheet_url,
            None,
            prev_archive=archive_url(base, meta.name, months[index - 1]) if index else None,
            current_url=meta.self_url,
        )
        data = render_atom(articles, archive_meta, topic_titles, related=related)
        name = f"{month}.atom"
        check_atom(f"archive/{meta.name}/{name}", data)
        if publish(folder, name, data):
            written.append(f"archive/{meta.name}/{name}")
    if months != known:
        store.set_meta(key, json.dumps({"months": months}))
    newest = archive_url(base, meta.name, months[-1]) if months else None
    return written, newest
