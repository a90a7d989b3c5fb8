"""Fetch, extract and classify a list of articles, holding the results back until the run is
judged healthy; then commit them, each article in its own transaction. Used by `run_once` and
`backfill`."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from feedbot.config import Config
from feedbot.curate.classifier import TopicRule, classify
from feedbot.errors import ExtractError, FetchError, Interrupted, OffHostRedirect
from feedbot.extract import parse_article
from feedbot.fetch.http import Fetcher
from feedbot.models import Article, Card, Classification, FetchResult
from feedbot.normalize import article_id
from feedbot.pipeline.decoding import page_text
from feedbot.pipeline.plan import article_fetch_url, merge_card
from feedbot.store.db import Store

log = logging.getLogger(__name__)


@dataclass
class Fetched:
    article: Article
    topics: Classification
    url: str
    etag: str | None
    last_modified: str | None


@dataclass
class Harvest:
    """What a run fetched, held back until the run is judged healthy."""

    fetched: list[Fetched] = field(default_factory=list)
    not_modified: list[int] = field(default_factory=list)
    failures: list[tuple[int, str, str, bool]] = field(
        default_factory=list
    )  # id, url, why, permanent
    deleted: list[int] = field(default_factory=list)  # stored stories now answering 404/410
    attempted: int = 0  # article pages that answered 200
    extract_failed: int = 0
    pages: list[tuple[int, FetchResult]] = field(default_factory=list)  # for the page archive


def fetch_articles(
    config: Config,
    fetcher: Fetcher,
    store: Store,
    rules: tuple[TopicRule, ...],
    plan: list[int],
    cards: dict[int, Card],
    stop: threading.Event | None,
) -> Harvest:
    harvest = Harvest()
    for story_id in plan:
        if stop is not None and stop.is_set():
            raise Interrupted("stopped before the run finished; nothing was stored")
        fetch_article(config, fetcher, store, rules, story_id, cards.get(story_id), harvest)
    return harvest


def commit(store: Store, harvest: Harvest, now: Callable[[], datetime]) -> Counter[str]:
    """Store what a healthy run fetched: each article in its own transaction."""
    counts: Counter[str] = Counter()
    for story_id, page in harvest.pages:  # first: a story is never stored without its page
        store.archive_page(story_id, page, now())
    for item in harvest.fetched:
        change = store.save_article(
            item.article,
            now(),
            etag=item.etag,
            last_modified=item.last_modified,
            fetched_url=item.url,
            topics=item.topics,
        )
        counts[change] += 1
    for story_id in harvest.not_modified:
        store.touch(story_id, now())
    for story_id, url, why, permanent in harvest.failures:
        store.record_failure(story_id, url, why, now(), permanent=permanent)
    for story_id in harvest.deleted:
        store.mark_deleted(story_id, now())
        counts["deleted"] += 1
    return counts


def fetch_article(
    config: Config,
    fetcher: Fetcher,
    store: Store,
    rules: tuple[TopicRule, ...],
    story_id: int,
    card: Card | None,
    harvest: Harvest,
) -> None:
    url = article_fetch_url(config, story_id)
    previous = store.get(story_id)
    etag, modified = store.validators(url) if previous else (None, None)
    try:
        result = fetcher.get(url, etag=etag, last_modified=modified)
        if result.not_modified or result.body is None:
            harvest.not_modified.append(story_id)
            return
        harvest.attempted += 1
        landed = article_id(result.url)
        if landed != story_id:
            raise ExtractError(url, f"redirected to another article ({result.url})")
        if config.archive.keep_days > 0:  # kept even when it fails to extract: reextract may
            harvest.pages.append((story_id, result))  # read it after the selector is fixed
        article = merge_card(
            parse_article(
                page_text(result.body, result.content_type, result.url),
                result.url,
                config.site.canonical_base,
            ),
            card,
            previous.article if previous else None,
        )
    except (FetchError, ExtractError) as exc:
        gone = isinstance(exc, FetchError) and exc.status in (404, 410)
        if gone and previous is not None:
            log.info("article deleted from the site, tombstoned url=%s", url)
            harvest.deleted.append(story_id)
            return
        permanent = isinstance(exc, ExtractError | OffHostRedirect) or gone
        if isinstance(exc, ExtractError):
            harvest.extract_failed += 1
        log.warning(
            "article skipped url=%s reason=%s%s",
            url,
            getattr(exc, "reason", exc),
            " (will not retry)" if permanent else "",
        )
        harvest.failures.append((story_id, url, str(exc), permanent))
        return
    for warning in article.warnings:
        log.debug("field missing url=%s %s", url, warning)
    topics = classify(rules, article.title, article.body_text, article.description)
    harvest.fetched.append(Fetched(article, topics, url, result.etag, result.last_modified))
