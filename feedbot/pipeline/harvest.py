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
from typing import NamedTuple

from feedbot.config import Config
from feedbot.curate.classifier import TopicRule, classify
from feedbot.errors import (
    ExtractError,
    FetchError,
    Interrupted,
    OffHostRedirect,
    RobotsDisallowed,
    SiteChangedError,
    StoreError,
)
from feedbot.extract import parse_article, parse_list_page
from feedbot.fetch.http import Fetcher
from feedbot.models import Article, Card, Classification, FetchResult, ListPage, Validators
from feedbot.normalize import article_id
from feedbot.pipeline.decoding import page_text
from feedbot.pipeline.plan import article_fetch_url, merge_card, prepare
from feedbot.store.db import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Fetched:
    article: Article
    topics: Classification
    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class Failure:
    """One article that could not be had this run; `permanent` ones are never asked for again."""

    id: int
    url: str
    reason: str
    permanent: bool


@dataclass
class Harvest:
    """What a run fetched, held back until the run is judged healthy."""

    fetched: list[Fetched] = field(default_factory=list)
    not_modified: list[int] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)  # stored stories now answering 404/410
    attempted: int = 0  # article pages that answered 200
    straight: int = 0  # transient request failures in a row, up to now
    disallowed: int = 0  # articles robots.txt forbids: the site's policy, not a failure of it
    deferred: int = 0  # articles not asked for: the site kept failing (MAX_STRAIGHT_FAILURES)
    extract_failed: int = 0  # of those, pages that gave no article (markup, or a bug)
    pages: list[tuple[int, FetchResult]] = field(default_factory=list)  # for the page archive


# A site failing request after request (each up to fetch.deadline_s) is not asked for all of a
# run's articles: after this many transient failures in a row the rest wait for the next run.
MAX_STRAIGHT_FAILURES = 5


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
    for done, story_id in enumerate(plan):
        if stop is not None and stop.is_set():
            raise Interrupted("stopped before the run finished; nothing was stored")
        if harvest.straight >= MAX_STRAIGHT_FAILURES:
            harvest.deferred = len(plan) - done
            log.warning(
                "%d article requests in a row failed (timeouts, connection errors, 5xx): the site "
                "seems to be failing; %d articles wait for the next run",
                harvest.straight,
                harvest.deferred,
            )
            break
        fetch_article(config, fetcher, store, rules, story_id, cards.get(story_id), harvest)
    return harvest


def commit(store: Store, harvest: Harvest, now: Callable[[], datetime]) -> Counter[str]:
    """Store what a healthy run fetched: each article in its own transaction. A story whose
    data the store refuses joins `harvest.failures`, so that the report names it."""
    counts: Counter[str] = Counter()
    unstored: list[Failure] = []
    for story_id, page in harvest.pages:  # first: a story is never stored without its page
        store.archive_page(story_id, page, now())
    for item in harvest.fetched:
        try:
            change = store.save_article(
                item.article,
                now(),
                etag=item.etag,
                last_modified=item.last_modified,
                fetched_url=item.url,
                topics=item.topics,
            )
        except StoreError:
            raise  # the store itself is failing: no point going on
        except Exception as exc:  # this story's data (its transaction was rolled back)
            reason = f"{item.url}: internal error while storing: {type(exc).__name__}: {exc}"
            log.error("article not stored url=%s %s", item.url, reason, exc_info=True)
            store.record_failure(item.article.id, item.url, reason[:1000], now(), permanent=False)
            unstored.append(Failure(item.article.id, item.url, reason[:1000], False))
            continue
        counts[change] += 1
    for story_id in harvest.not_modified:
        store.touch(story_id, now())
    for failure in harvest.failures:
        store.record_failure(
            failure.id, failure.url, failure.reason, now(), permanent=failure.permanent
        )
    harvest.failures += unstored  # recorded above, each as it happened
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
    """Fetch, extract, prepare and classify one story into `harvest`. Whatever goes wrong with
    it, an input nobody planned for or a bug of ours, fails this story alone: it is recorded as a
    failure (retried on later runs, then given up) and the run goes on."""
    url = article_fetch_url(config, story_id)
    answered = harvest.attempted
    try:
        previous = store.get(story_id)
        etag, modified = store.validators(url) if previous else (None, None)
        result = fetcher.get(url, etag=etag, last_modified=modified)
        if result.not_modified or result.body is None:
            harvest.not_modified.append(story_id)
            harvest.straight = 0
            return
        harvest.attempted += 1
        landed = article_id(result.url)
        if landed != story_id:
            raise ExtractError(url, f"redirected to another article ({result.url})")
        if config.archive.keep_days > 0:  # kept even when it fails to extract: reextract may
            harvest.pages.append((story_id, result))  # read it after the selector is fixed
        article = prepare(
            merge_card(
                parse_article(
                    page_text(result.body, result.content_type, result.url),
                    result.url,
                    config.site.canonical_base,
                ),
                card,
                previous.article if previous else None,
            )
        )
        topics = classify(rules, article.title, article.body_text, article.description)
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
        harvest.failures.append(Failure(story_id, url, str(exc), permanent))
        harvest.straight = harvest.straight + 1 if getattr(exc, "transient", False) else 0
        harvest.disallowed += isinstance(exc, RobotsDisallowed)
        return
    except (Interrupted, StoreError):
        raise  # the run itself must stop: asked to, or the store is failing for every story
    except Exception as exc:  # one story must never stop the others
        if harvest.attempted > answered:
            harvest.extract_failed += 1
        reason = f"internal error: {type(exc).__name__}: {exc}"
        log.error(
            "article failed url=%s reason=%s (a bug; please report it)", url, reason, exc_info=True
        )
        harvest.failures.append(Failure(story_id, url, f"{url}: {reason}"[:1000], False))
        return
    harvest.straight = 0
    for warning in article.warnings:
        log.debug("field missing url=%s %s", url, warning)
    harvest.fetched.append(Fetched(article, topics, url, result.etag, result.last_modified))


class ListRead(NamedTuple):
    page: ListPage | None  # None: answered 304, unchanged
    validators: Validators  # what the server said, for the next conditional request


NO_VALIDATORS = Validators(None, None)


def fetch_list_page(
    config: Config, fetcher: Fetcher, url: str, validators: Validators = NO_VALIDATORS
) -> ListRead:
    """One list page, read and parsed. A page the parser cannot take (a shape nobody planned
    for) is a SiteChangedError naming it, never anything else; a failed request is the
    fetcher's FetchError."""
    result = fetcher.get(url, etag=validators.etag, last_modified=validators.last_modified)
    answered = Validators(result.etag, result.last_modified)
    if result.not_modified or result.body is None:
        return ListRead(None, answered)
    try:
        text = page_text(result.body, result.content_type, result.url)
        return ListRead(parse_list_page(text, result.url, config.site.canonical_base), answered)
    except Exception as exc:
        reason = f"the list page could not be read ({type(exc).__name__}: {exc})"[:300]
        raise SiteChangedError(f"{url}: {reason}") from exc
