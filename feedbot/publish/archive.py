"""RFC 5005 §4 archived feeds: each feed is the current document of an archive.

The current document holds the newest `feed_size` stories. Everything older is in monthly
archive documents `archive/<feed>/YYYY-MM.atom` (Korea time), marked `fh:archive`, linked
`current` and `prev-archive` (the older month), and reached from the current document's
`prev-archive`. A reader walking back from the current document sees every story once.

A month's archive grows while its stories are leaving the current document (that month is
rewritten as they arrive); once all of its stories have left, it is complete and written again
only when a story in it is corrected or deleted (the store marks its month dirty), or when a
backfilled older month slides in before it. Archives carry no `next-archive` link (optional in
RFC 5005): it would change the newest complete archive each time a newer month is archived.

Each archive document has an HTML page beside it (`YYYY-MM.html`, render/html.py), its
`rel="alternate"` page, rendered from the same stories and written together with it, under the
same rules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from feedbot.models import ArchiveState, StoredArticle
from feedbot.normalize import KST
from feedbot.publish.files import write_file
from feedbot.publish.source import OutputSource
from feedbot.publish.validate import checked_feed
from feedbot.render.atom import render_atom
from feedbot.render.feed import FeedMeta
from feedbot.render.html import archive_page

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArchiveReport:
    written: tuple[str, ...]  # archive documents that changed
    notes: tuple[str, ...]  # entries left out of them, and why


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


def archive_url(base: str, name: str, month: str, suffix: str = ".atom") -> str:
    return f"{base}archive/{name}/{month}{suffix}"


def _key(stored: StoredArticle) -> datetime:
    return stored.article.published or stored.first_seen


def write_archives(
    store: OutputSource,
    meta: FeedMeta,
    topic: str | None,
    window: list[StoredArticle],
    dirty: set[str],
    topic_titles: dict[str, str],
    select: Callable[[list[StoredArticle]], tuple[list[StoredArticle], dict[int, list[str]]]],
    out_dir: Path,
) -> tuple[ArchiveReport, list[str]]:
    """Write the archive documents (and their pages) that are new or changed for the feed whose
    current document holds `window`; return what was written (and left out), and every
    archived month, oldest first."""
    state = store.archive_state(meta.name) or ArchiveState()
    known = list(state.months)
    if not window:
        return ArchiveReport((), ()), []
    oldest = min(_key(s) for s in window)
    first = month_of(oldest)
    in_window = {s.article.id for s in window}
    # stories older than the window: months since the last known one (that one included, it
    # may have been partial), plus dirty months further back (a backfill, a correction)
    start = month_start(known[-1]) if known else None
    found = set(store.months(start, next_month_start(first), topic))
    for month in dirty:
        if month <= first and month not in found and month not in known:
            found |= set(store.months(month_start(month), next_month_start(month), topic))

    def stories(month: str) -> list[StoredArticle]:
        end = next_month_start(month)
        if month == first:  # the part of the window's month that is older than the window
            end = oldest + timedelta(microseconds=1)
        return [
            s
            for s in store.between(month_start(month), end, topic)
            if s.article.id not in in_window
        ]

    months = sorted(set(known) | found)
    # the months the window moved through; nothing to redo when the window did not move
    window_key = ",".join(str(i) for i in sorted(in_window))
    moved = state.window != window_key or state.boundary != first
    contents = {m: stories(m) for m in months if moved and m >= (state.boundary or first)}
    months = [m for m in months if m not in contents or contents[m]]  # drop empty partials
    base = meta.self_url.rsplit("/", 1)[0] + "/"
    folder = out_dir / "archive" / meta.name
    rewrite = set(contents) | {
        m
        for m in months
        if m not in known
        or m in dirty
        or not (folder / f"{m}.atom").exists()
        or not (folder / f"{m}.html").exists()  # pages came later (issue 15) than the archives
    }
    for index, month in enumerate(months[:-1]):  # a month slid in before an existing one
        if month not in known:
            rewrite.add(months[index + 1])
    written = []
    notes: list[str] = []
    for index, month in enumerate(months):
        if month not in rewrite:
            continue
        articles, related = select(contents[month] if month in contents else stories(month))
        archive_meta = FeedMeta(
            meta.name,
            f"{meta.title} ({month} 보관)",
            meta.subtitle,
            archive_url(base, meta.name, month),
            meta.section_url,
            meta.icon_url,
            meta.logo_url,
            archive_url(base, meta.name, month, ".html"),
            month_start(month),  # never used: an archive holds at least one story
            prev_archive=archive_url(base, meta.name, months[index - 1]) if index else None,
            current_url=meta.self_url,
        )
        data, articles, left_out = checked_feed(
            f"archive/{meta.name}/{month}.atom",
            articles,
            partial(render_atom, meta=archive_meta, topic_titles=topic_titles, related=related),
        )
        notes += left_out
        page = archive_page(
            meta,
            articles,
            topic_titles,
            month=month,
            older=months[index - 1] if index else None,
        )
        for name, content in ((f"{month}.atom", data), (f"{month}.html", page)):
            if write_file(out_dir, f"archive/{meta.name}/{name}", content):
                written.append(f"archive/{meta.name}/{name}")
    if months != known or moved:
        store.set_archive_state(meta.name, ArchiveState(tuple(months), first, window_key))
    return ArchiveReport(tuple(written), tuple(notes)), months
