"""`feedbot reextract`: extraction and classification again, on the page archive, with no request
to the site. What an operator runs after a markup change was fixed: every story stored in the
meantime is repaired from the pages it was read from.

Each archived page is decoded and extracted as a run would have (a story's card-given fields
come from its stored copy, as on a re-check), compared field by field with the stored story,
and saved through the store's usual path, which moves an entry's `updated` only for a
significant change (title or text). A page that no longer parses, or whose copy is corrupt, is
reported by id and skipped; its story is left as it is.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from feedbot.config import Config
from feedbot.curate.classifier import classify, compile_topics
from feedbot.errors import CorruptPage, ExtractError
from feedbot.extract import parse_article
from feedbot.models import Article, Classification, RunReport, StoredArticle
from feedbot.normalize import article_id
from feedbot.pipeline.decoding import page_text
from feedbot.pipeline.plan import merge_card, prepare
from feedbot.publish.build import write_output
from feedbot.store.db import Store

log = logging.getLogger(__name__)

# The fields an operator cares about, as the summary names them, and how each is read.
FIELDS: dict[str, Callable[[Article], object]] = {
    "title": lambda a: (a.title, a.factpl_tag),
    "url": lambda a: a.url,
    "description": lambda a: a.description,
    "published": lambda a: a.published,
    "updated": lambda a: a.updated,
    "authors": lambda a: a.authors,
    "section": lambda a: (a.section, a.subsection),
    "image": lambda a: a.image,
    "body": lambda a: (a.body_html, a.body_text),
    "tags": lambda a: a.tags,
    "member_only": lambda a: a.member_only,
}


@dataclass(frozen=True, slots=True)
class Reextraction:
    """What a reextract found and (unless a dry run) did."""

    pages: int  # archived pages read
    changed: dict[str, int]  # field (and "topics") -> stories whose value changed
    repaired: int  # stored stories with at least one change
    new: int  # stories stored for the first time (their page had failed to extract)
    unchanged: int
    skipped: tuple[str, ...]  # "<id>: <why>", one per page skipped
    missing: tuple[int, ...]  # ids asked for that have no archived page
    feeds_written: tuple[str, ...]
    dry_run: bool
    report: RunReport


def changed_fields(
    before: StoredArticle | None, after: Article, topics: Classification
) -> list[str]:
    """The summary's names of what differs between a stored story and its new extraction."""
    if before is None:
        return []
    names = [name for name, read in FIELDS.items() if read(before.article) != read(after)]
    if before.topics.labels != topics.labels:
        names.append("topics")
    return names


def reextract(
    config: Config,
    store: Store,
    *,
    since: datetime | None,
    ids: Sequence[int] | None,
    dry_run: bool,
    now: Callable[[], datetime],
) -> Reextraction:
    started = now()
    rules = compile_topics(config.topics)
    archived = store.archived_ids(since=since, ids=ids)
    missing = tuple(sorted(set(ids or ()) - set(archived)))
    changed: Counter[str] = Counter()
    skipped: list[str] = []
    repaired = new = unchanged = 0
    for story_id in archived:
        try:
            page = store.archived_page(story_id)
        except CorruptPage as exc:
            skipped.append(f"{story_id}: corrupt archive entry ({exc.reason})")
            continue
        if page is None:  # pruned by a run since the list was read
            continue
        if article_id(page.url) != story_id:
            skipped.append(f"{story_id}: the archived page is of {page.url}")
            continue
        try:
            fresh = parse_article(
                page_text(page.body, page.content_type, page.url),
                page.url,
                config.site.canonical_base,
            )
        except ExtractError as exc:
            skipped.append(f"{story_id}: does not extract ({exc.reason})")
            continue
        stored = store.get(story_id)
        article = prepare(merge_card(fresh, None, stored.article if stored else None))
        topics = classify(rules, article.title, article.body_text, article.description)
        names = changed_fields(stored, article, topics)
        changed.update(names)
        if stored is None:
            new += 1
        elif names:
            repaired += 1
        else:
            unchanged += 1
        if not dry_run:
            store.save_article(
                article,
                started,
                etag=None,
                last_modified=None,
                fetched_url=None,
                topics=topics,
                fetched=stored.last_fetched if stored else page.fetched,
            )
    for line in skipped:
        log.warning("reextract skipped %s", line)
    written: list[str] = []
    if not dry_run and archived:
        written = list(write_output(config, store, started).written)
    report = RunReport(
        started=started,
        finished=now(),
        list_pages=0,
        cards=0,
        fetched=0,
        new=new,
        updated=repaired,
        unchanged=unchanged,
        failed=len(skipped),
        feeds_written=tuple(written),
        requests=0,
        failures=tuple(skipped),
    )
    log.info(
        "reextract done pages=%d repaired=%d new=%d unchanged=%d skipped=%d dry_run=%s",
        len(archived),
        repaired,
        new,
        unchanged,
        len(skipped),
        dry_run,
    )
    return Reextraction(
        pages=len(archived),
        changed=dict(sorted(changed.items(), key=lambda item: (-item[1], item[0]))),
        repaired=repaired,
        new=new,
        unchanged=unchanged,
        skipped=tuple(skipped),
        missing=missing,
        feeds_written=tuple(written),
        dry_run=dry_run,
        report=report,
    )
