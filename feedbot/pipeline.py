"""One cycle: list pages -> new or changed articles -> store -> feeds. Stages in order; the
decisions live in small pure functions below (`plan_fetches`, `merge_card`) and in the stages.

Politeness shapes the order of work: the list page is asked for conditionally first, and a 304
ends the listing at once; validators of list pages are saved only at the end of a run, so a
crash half-way makes the next run look at the same pages again rather than miss stories.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from feedbot.config import Config, TopicSpec
from feedbot.errors import (
    ExtractError,
    FetchError,
    OffHostRedirect,
    SiteChangedError,
)
from feedbot.extract import parse_article, parse_list_page
from feedbot.fetch import Fetcher
from feedbot.models import Article, Card, RunReport
from feedbot.normalize import article_id
from feedbot.output import write_site
from feedbot.store import Store
from feedbot.topics import TopicRule, classify, compile_topics, fingerprint

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # transient failures of one article are retried on this many runs
# Stories are corrected in their first days; older ones are not re-checked (politeness).
RECHECK_WINDOW = timedelta(days=7)
TOPICS_KEY = "topics_fingerprint"  # meta key: the topic configuration the labels come from


@dataclass
class _Tally:
    list_pages: int = 0
    cards: int = 0
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    extract_failed: int = 0
    failures: list[str] = field(default_factory=list)


def list_url(config: Config, page: int) -> str:
    base = config.site.section_url
    return base if page == 1 else f"{base}?page={page}"


def article_fetch_url(config: Config, story_id: int) -> str:
    """Pages come from the configured base URL whatever host the card's link showed."""
    return f"{config.site.base_url.rstrip('/')}/article/{story_id}"


def plan_fetches(
    cards: list[Card],
    known: set[int],
    failures: dict[int, tuple[int, bool]],
    due: list[int],
    retry: list[tuple[int, str]],
) -> list[int]:
    """Which article ids to request, in order: unknown ids from the cards (newest first), stored
    articles due for a conditional re-check, then earlier transient failures. Permanent failures
    (404, not an article) and ids out of attempts are skipped."""
    wanted: list[int] = []
    for card in cards:
        attempts, permanent = failures.get(card.id, (0, False))
        if card.id in known or permanent or attempts >= MAX_ATTEMPTS:
            continue
        wanted.append(card.id)
    wanted += due
    wanted += [story_id for story_id, _url in retry]
    return list(dict.fromkeys(wanted))


def merge_card(article: Article, card: Card | None, previous: Article | None = None) -> Article:
    """Fill fields the page lacked from its list card (the last step of each cascade). A story
    re-checked without its card (the list page was unchanged) keeps what its card gave before,
    so a re-check never drops a field."""
    if card is not None:
        values: dict[str, object] = {
            "published": card.date,
            "image": card.image,
            "description": card.summary,
        }
    elif previous is not None:
        values = {
            name: getattr(previous, name)
            for name in ("published", "image", "description")
            if previous.provenance.get(name) == "card"
        }
    else:
        return article
    changes: dict[str, object] = {}
    provenance = dict(article.provenance)
    for name, value in values.items():
        if getattr(article, name) is None and value is not None:
            changes[name] = value
            provenance[name] = "card"
    if not changes:
        return article
    warnings = tuple(w for w in article.warnings if w.split(":")[0] not in changes)
    return replace(article, **changes, provenance=provenance, warnings=warnings)  # type: ignore[arg-type]


def reclassify_if_changed(
    store: Store, specs: tuple[TopicSpec, ...], rules: tuple[TopicRule, ...]
) -> int:
    """Re-label every stored article when the topic configuration changed since the last run
    (from the store alone: nothing is fetched again). Returns how many were re-labelled."""
    stamp = fingerprint(specs)
    if store.get_meta(TOPICS_KEY) == stamp:
        return 0
    count = store.set_topics(
        (story_id, classify(rules, title, text, lead))
        for story_id, title, text, lead in store.texts()
    )
    store.set_meta(TOPICS_KEY, stamp)
    if count:
        log.info("topic configuration changed: re-classified %d stored articles", count)
    return count


def run_once(
    config: Config, *, fetcher: Fetcher, store: Store, now: Callable[[], datetime]
) -> RunReport:
    started = now()
    clock = time.monotonic()
    tally = _Tally()
    rules = compile_topics(config.topics)
    reclassify_if_changed(store, config.topics, rules)
    cards, list_validators = _read_lists(config, fetcher, store, tally)
    by_id = {card.id: card for card in cards}
    plan = plan_fetches(
        cards,
        set(store.last_fetched(by_id)),
        store.failures(),
        store.due_for_recheck(
            checked_before=started - timedelta(hours=config.site.recheck_hours),
            first_seen_after=started - RECHECK_WINDOW,
            limit=config.output.feed_size,
        ),
        store.retryable(MAX_ATTEMPTS),
    )
    for story_id in plan:
        _process_article(config, fetcher, store, rules, story_id, by_id.get(story_id), now, tally)
    if tally.fetched >= 3 and tally.extract_failed == tally.fetched:
        raise SiteChangedError(
            f"all {tally.fetched} article pages failed extraction "
            "(h1.headline / #article_body not found?): feeds left as they were"
        )
    written = write_site(config, store)
    for url, etag, modified in list_validators:
        store.save_validators(url, etag, modified, started)
    report = RunReport(
        started=started,
        finished=now(),
        list_pages=tally.list_pages,
        cards=tally.cards,
        fetched=tally.fetched,
        new=tally.new,
        updated=tally.updated,
        unchanged=tally.unchanged,
        failed=tally.failed,
        feeds_written=tuple(written),
        requests=fetcher.requests,
        failures=tuple(tally.failures),
    )
    store.record_run(report, "ok")
    log.info(
        "run done pages=%d cards=%d fetched=%d new=%d updated=%d unchanged=%d failed=%d "
        "requests=%d feeds_written=%d duration=%.1fs",
        report.list_pages,
        report.cards,
        report.fetched,
        report.new,
        report.updated,
        report.unchanged,
        report.failed,
        report.requests,
        len(written),
        time.monotonic() - clock,
    )
    return report


def _read_lists(
    config: Config, fetcher: Fetcher, store: Store, tally: _Tally
) -> tuple[list[Card], list[tuple[str, str | None, str | None]]]:
    """Cards from page 1, then further pages while a page still shows unknown ids."""
    cards: list[Card] = []
    validators: list[tuple[str, str | None, str | None]] = []
    known_failures = store.failures()
    for page in range(1, config.site.max_pages + 1):
        url = list_url(config, page)
        etag, modified = store.validators(url)
        try:
            result = fetcher.get(url, etag=etag, last_modified=modified)
        except FetchError:
            if page == 1:
                raise  # without page 1 there is nothing to do; feeds stay as they are
            log.warning("list page failed, stopping the listing here url=%s", url, exc_info=True)
            break
        tally.list_pages += 1
        if result.not_modified or result.text is None:
            log.info("list page unchanged (304) url=%s", url)
            break
        parsed = parse_list_page(result.text, result.url, config.site.canonical_base)
        if page == 1 and not parsed.cards:
            raise SiteChangedError(
                f"{url}: no article cards found (#story_list li.card and the /article/ link "
                "fallback both empty): the markup has probably changed; feeds left as they were"
            )
        if parsed.strategy != "story_list":
            log.warning("list page read by fallback selectors (#story_list missing) url=%s", url)
        validators.append((url, result.etag, result.last_modified))
        fresh = [c for c in parsed.cards if c.id not in {x.id for x in cards}]
        cards += fresh
        tally.cards += len(fresh)
        known = store.last_fetched(c.id for c in fresh)
        if not fresh or fresh[-1].id in known or fresh[-1].id in known_failures:
            # The list is newest first: once its oldest card is known, older pages hold only
            # known stories too. (Stricter than "a page of known ids only", and politer.)
            break
        if parsed.last_page is not None and page >= parsed.last_page:
            break
    return cards, validators


def _process_article(
    config: Config,
    fetcher: Fetcher,
    store: Store,
    rules: tuple[TopicRule, ...],
    story_id: int,
    card: Card | None,
    now: Callable[[], datetime],
    tally: _Tally,
) -> None:
    url = article_fetch_url(config, story_id)
    previous = store.get(story_id)
    etag, modified = store.validators(url) if previous else (None, None)
    tally.fetched += 1
    try:
        result = fetcher.get(url, etag=etag, last_modified=modified)
        if result.not_modified or result.text is None:
            store.touch(story_id, now())
            tally.unchanged += 1
            return
        landed = article_id(result.url)
        if landed != story_id:
            raise ExtractError(url, f"redirected to another article ({result.url})")
        article = merge_card(
            parse_article(result.text, result.url, config.site.canonical_base),
            card,
            previous.article if previous else None,
        )
    except (FetchError, ExtractError) as exc:
        permanent = isinstance(exc, ExtractError | OffHostRedirect) or (
            isinstance(exc, FetchError) and exc.status in (404, 410)
        )
        if isinstance(exc, ExtractError):
            tally.extract_failed += 1
        tally.failed += 1
        tally.failures.append(str(exc))
        log.warning(
            "article skipped url=%s reason=%s%s",
            url,
            getattr(exc, "reason", exc),
            " (will not retry)" if permanent else "",
        )
        store.record_failure(story_id, url, str(exc), now(), permanent=permanent)
        return
    for warning in article.warnings:
        log.debug("field missing url=%s %s", url, warning)
    topics = classify(rules, article.title, article.body_text, article.description)
    change = store.save_article(
        article,
        now(),
        etag=result.etag,
        last_modified=result.last_modified,
        fetched_url=url,
        topics=topics,
    )
    setattr(tally, change, getattr(tally, change) + 1)
