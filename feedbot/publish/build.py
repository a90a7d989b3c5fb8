"""Write the output directory from the store: one Atom feed per topic and `all.atom` (with their
JSON Feed and RSS alternates, their HTML pages and their month archives), the index page, the
OPML list and the static files. Orchestration only: render, validate, publish.

A feed that fails validation is not published (the previous good file stays) and the error is
raised after everything else was written; unchanged files are never rewritten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial

from feedbot.config import Config
from feedbot.curate.dedupe import duplicates, shingles
from feedbot.errors import PublishError
from feedbot.models import PublishedFeed, StoredArticle
from feedbot.publish.archive import archive_url, write_archives
from feedbot.publish.files import write_file
from feedbot.publish.source import OutputSource
from feedbot.publish.validate import checked_feed
from feedbot.render.alternates import render_json_feed, render_rss
from feedbot.render.atom import render_atom
from feedbot.render.feed import FeedMeta, feed_updated, ordered
from feedbot.render.html import feed_page, index_page, page_name
from feedbot.render.pages import STATIC_FILES, FeedSummary, opml, static_file

log = logging.getLogger(__name__)

ALL = "all"
INDEX_TITLE = "팩플 큐레이션 피드 (feedbot)"
ALL_TITLE = "팩플 큐레이션: 전체"
ALL_SUBTITLE = (
    "feedbot이 주제별로 고른 중앙일보 팩플 기사 전체 (AI, 가상자산, 중소기업·스타트업 정책)"
)


DEDUPE_SPARE = 10  # extra candidates read so that dropping duplicates keeps feeds full
INDEX_STORIES = 5  # newest stories of each feed on the index page


def feed_plan(
    config: Config, store: OutputSource
) -> list[tuple[str, str, str, list[StoredArticle]]]:
    """(name, title, subtitle, candidate articles) for `all` and every configured topic."""
    size = config.output.feed_size + DEDUPE_SPARE
    plan = [(ALL, ALL_TITLE, ALL_SUBTITLE, store.latest_kept(size))]
    for topic in config.topics:
        title = f"팩플 큐레이션: {topic.title}"
        plan.append((topic.id, title, topic.subtitle, store.latest(size, topic=topic.id)))
    return plan


class _Shingles:
    """Character shingles per article id, computed once per output build."""

    def __init__(self) -> None:
        self._cache: dict[int, frozenset[str]] = {}

    def of(self, stored: StoredArticle) -> frozenset[str]:
        key = stored.article.id
        if key not in self._cache:
            self._cache[key] = shingles(stored.article.body_text)
        return self._cache[key]


def select_entries(
    candidates: list[StoredArticle], size: int, grams: _Shingles
) -> tuple[list[StoredArticle], dict[int, list[str]]]:
    """Drop near-duplicates (the earliest story of a group stays and links to the others) and
    keep the newest `size`."""
    newest_first = ordered(candidates)
    dupes = duplicates([(s.article.id, grams.of(s)) for s in reversed(newest_first)])
    urls = {s.article.id: s.article.url for s in candidates}
    related: dict[int, list[str]] = {}
    for dupe, original in dupes.items():
        related.setdefault(original, []).append(urls[dupe])
    kept = [s for s in newest_first if s.article.id not in dupes][:size]
    return kept, related


Feed = tuple[str, str, str, list[StoredArticle], dict[int, list[str]], bool]


def published_feeds(
    config: Config, store: OutputSource, grams: _Shingles | None = None
) -> list[Feed]:
    """(name, title, subtitle, entries, related links, has older stories) of every current
    document: the newest `feed_size` stories; older ones are in archives (archive.py)."""
    grams = grams or _Shingles()
    feeds = []
    size = config.output.feed_size
    for name, title, subtitle, candidates in feed_plan(config, store):
        articles, related = select_entries(candidates, size, grams)
        older = len(candidates) > len(articles)  # some candidates did not fit (or were dupes)
        feeds.append((name, title, subtitle, articles, related, older))
    return feeds


@dataclass(frozen=True, slots=True)
class OutputReport:
    written: tuple[str, ...]  # files that changed, relative to the output directory
    notes: tuple[str, ...]  # what an operator should know: entries left out, and why


def feed_since(store: OutputSource, name: str, now: datetime) -> datetime:
    """When the feed was first built, remembered in the store: a stable `updated` for a feed that
    holds nothing yet (a new topic), so its bytes stay put from run to run."""
    known = store.feed_since(name)
    if known is not None:
        return known
    store.set_feed_since(name, now)
    return now


def write_output(config: Config, store: OutputSource, now: datetime | None = None) -> OutputReport:
    """Render, validate and publish everything; report the files that changed and what was left
    out. `now` decides which tombstones are still shown, and dates a feed built for the first
    time (its `updated` while it is empty); nothing else depends on it."""
    moment = now or datetime.now(UTC)
    since = moment - timedelta(days=config.output.tombstone_days)
    out = config.output.dir
    base = config.output.base_url
    section = config.site.canonical_base.rstrip("/") + config.site.section_path
    topic_titles = {t.id: t.title for t in config.topics}
    nav = [(ALL, "전체"), *((t.id, t.title) for t in config.topics)]
    written: list[str] = []
    errors: list[str] = []
    notes: list[str] = []
    summaries: list[FeedSummary] = []
    front: list[tuple[FeedMeta, list[StoredArticle], datetime, int]] = []
    for name in STATIC_FILES:  # first, so a page never points at a missing stylesheet
        if write_file(out, name, static_file(name)):
            written.append(name)
    grams = _Shingles()
    dirty = store.dirty_months()
    for name, title, subtitle, articles, related, older in published_feeds(config, store, grams):
        tombstones = store.tombstones(since, topic=None if name == ALL else name)
        file = f"{name}.atom"
        meta = FeedMeta(
            name,
            title,
            subtitle,
            base + file,
            section,
            base + "icon.png",
            base + "logo.png",
            base + page_name(name),
            feed_since(store, name, moment),
            config.websub.hub or None,
        )
        months: list[str] = []
        if older or store.archive_state(name) is not None:
            try:
                archived, months = write_archives(
                    store,
                    meta,
                    None if name == ALL else name,
                    articles,
                    dirty,
                    topic_titles,
                    lambda found: select_entries(found, len(found), grams),
                    out,
                )
            except PublishError as exc:
                log.error("archive not published, the previous files stay: %s", exc)
                errors.append(str(exc))
                continue
            written += archived.written
            notes += archived.notes
            if months:
                meta = replace(meta, prev_archive=archive_url(base, name, months[-1]))
        try:
            data, articles, left_out = checked_feed(
                file,
                articles,
                partial(
                    render_atom,
                    meta=meta,
                    topic_titles=topic_titles,
                    tombstones=tombstones,
                    related=related,
                ),
            )
            notes += left_out
        except PublishError as exc:
            log.error("feed not published, the previous file stays: %s", exc)
            errors.append(str(exc))
            continue
        updated = feed_updated(articles, meta, tombstones)
        page = feed_page(meta, articles, topic_titles, updated=updated, months=months, nav=nav)
        for written_name, written_data in (
            (file, data),
            (f"{name}.json", render_json_feed(articles, meta, topic_titles)),
            (f"{name}.rss", render_rss(articles, meta, topic_titles)),
            (page_name(name), page),
        ):
            if write_file(out, written_name, written_data):
                written.append(written_name)
        summaries.append(
            FeedSummary(file, meta.self_url, meta.page_url, title, subtitle, updated, len(articles))
        )
        front.append((meta, articles[:INDEX_STORIES], updated, len(articles)))
    # status.json reports these; keeping them saves it building every feed a second time
    store.set_published_feeds(
        {f.file: PublishedFeed(f.title, f.entries, f.updated) for f in summaries}
    )
    index = index_page(front, topic_titles, site_title=INDEX_TITLE, nav=nav)
    for name, data in (
        ("index.html", index),
        ("feeds.opml", opml(summaries, INDEX_TITLE, base + "index.html")),
    ):
        if write_file(out, name, data):
            written.append(name)
    for note in notes:
        log.warning("%s", note)
    if errors:
        raise PublishError("; ".join(errors))
    store.clear_dirty_months(dirty)
    return OutputReport(tuple(written), tuple(notes))
