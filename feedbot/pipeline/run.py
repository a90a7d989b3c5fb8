"""One cycle: list pages -> new or changed articles -> health check -> store -> feeds. Stages
in order; the decisions live in small pure functions (`plan_fetches`, `merge_card`, and the
health module) and in the stages.

Politeness shapes the order of work: the list page is asked for conditionally first, and a 304
ends the listing at once. Nothing a run fetched is stored until the run is judged healthy: a
redesign that empties fields must not overwrite good stories or mark pages as permanent
failures. List-page validators are saved only at the very end, so a crash or an unhealthy run
makes the next run look at the same pages again rather than miss stories.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from feedbot.config import Config, TopicSpec
from feedbot.curate.classifier import TopicRule, classify, compile_topics, fingerprint
from feedbot.errors import (
    ExtractError,
    FeedbotError,
    FetchError,
    OffHostRedirect,
    SiteChangedError,
)
from feedbot.extract import parse_article, parse_list_page
from feedbot.fetch.http import Fetcher, ping_hub
from feedbot.models import Article, Card, Classification, RunReport
from feedbot.normalize import KST, article_id
from feedbot.pipeline.health import assess, canary_drift
from feedbot.publish.build import write_site
from feedbot.store.db import Store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # transient failures of one article are retried on this many runs
# Stories are corrected in their first days; older ones are not re-checked (politeness).
RECHECK_WINDOW = timedelta(days=7)
RECHECK_LIMIT = 50  # at most this many conditional re-checks per run
TOPICS_KEY = "topics_fingerprint"  # meta key: the topic configuration the labels come from
CANARY_KEY = "canary"  # meta key: {"checked": iso, "drift": [...]}
BACKFILL_KEY = "backfill"  # meta key: {"next_page": n} of an unfinished backfill
INCOMPLETE_KEY = "run_incomplete"  # meta key: "1" while a run is under way or if it died


class Interrupted(FeedbotError):
    """The run was asked to stop (SIGTERM): abandoned before anything was stored."""

    exit_code = 0


@dataclass
class _Fetched:
    article: Article
    topics: Classification
    url: str
    etag: str | None
    last_modified: str | None


@dataclass
class _Harvest:
    """What a run fetched, held back until the run is judged healthy."""

    fetched: list[_Fetched] = field(default_factory=list)
    not_modified: list[int] = field(default_factory=list)
    failures: list[tuple[int, str, str, bool]] = field(default_factory=list)  # id, url, why, final
    deleted: list[int] = field(default_factory=list)  # stored stories now answering 404/410
    attempted: int = 0  # article pages that answered 200
    extract_failed: int = 0


@dataclass
class _Tally:
    list_pages: int = 0
    cards: int = 0


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
    config: Config,
    *,
    fetcher: Fetcher,
    store: Store,
    now: Callable[[], datetime],
    stop: threading.Event | None = None,
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
            limit=RECHECK_LIMIT,
        ),
        store.retryable(MAX_ATTEMPTS),
    )
    harvest = _harvest(config, fetcher, store, rules, plan, by_id, stop)
    assessment = assess(
        [f.article for f in harvest.fetched],
        harvest.attempted,
        harvest.extract_failed,
        store.recent_fill(config.health.baseline_runs),
        config.health,
    )
    counts = Counter[str]()
    if assessment.healthy:
        counts = _commit(store, harvest, now)
    notes = list(assessment.notes)
    if assessment.healthy:
        notes += check_canary(config, fetcher, store, now)
    report = RunReport(
        started=started,
        finished=now(),
        list_pages=tally.list_pages,
        cards=tally.cards,
        fetched=len(plan),
        new=counts["new"],
        updated=counts["updated"],
        unchanged=counts["unchanged"] + len(harvest.not_modified),
        failed=len(harvest.failures),
        feeds_written=(),
        requests=fetcher.requests,
        failures=tuple(why for _, _, why, _ in harvest.failures),
        statuses=dict(fetcher.statuses),
        fill=assessment.fill,
        extracted=len(harvest.fetched),
        notes=tuple(notes),
    )
    if not assessment.healthy:
        for note in assessment.notes:
            log.error("unhealthy run: %s", note)
        error = SiteChangedError(
            "unhealthy run, nothing stored and feeds left as they were: "
            + "; ".join(assessment.notes)
        )
        error.report = report  # the caller records it, with the run's numbers
        raise error
    written = write_site(config, store, started)
    notes += announce(config, written)
    for url, etag, modified in list_validators:
        store.save_validators(url, etag, modified, started)
    store.set_meta(INCOMPLETE_KEY, "0")
    report = replace(report, feeds_written=tuple(written), finished=now(), notes=tuple(notes))
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


def announce(config: Config, written: list[str]) -> list[str]:
    """Ping the WebSub hub for every Atom feed this run changed (after it was published)."""
    hub = config.publish.websub_hub
    changed = [config.output.base_url + name for name in written if name.endswith(".atom")]
    if not hub or not changed:
        return []
    errors = ping_hub(
        hub,
        changed,
        user_agent=config.fetch.user_agent_header,
        timeout_s=config.publish.websub_timeout_s,
    )
    for line in errors:
        log.warning("%s", line)
    log.info("WebSub: announced %d changed feeds to %s", len(changed) - len(errors), hub)
    return errors


def _harvest(
    config: Config,
    fetcher: Fetcher,
    store: Store,
    rules: tuple[TopicRule, ...],
    plan: list[int],
    cards: dict[int, Card],
    stop: threading.Event | None,
) -> _Harvest:
    harvest = _Harvest()
    for story_id in plan:
        if stop is not None and stop.is_set():
            raise Interrupted("stopped before the run finished; nothing was stored")
        _fetch_article(config, fetcher, store, rules, story_id, cards.get(story_id), harvest)
    return harvest


def _commit(store: Store, harvest: _Harvest, now: Callable[[], datetime]) -> Counter[str]:
    """Store what a healthy run fetched: each article in its own transaction."""
    counts: Counter[str] = Counter()
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


def check_canary(
    config: Config, fetcher: Fetcher, store: Store, now: Callable[[], datetime]
) -> list[str]:
    """Re-extract the configured canary article when it is due and report drift from the stored
    copy (a conditional GET: usually one 304)."""
    canary_id = config.health.canary_id
    if not canary_id:
        return []
    state = json.loads(store.get_meta(CANARY_KEY) or "{}")
    checked = state.get("checked")
    moment = now()
    due = timedelta(hours=config.health.canary_hours)
    if checked and moment - datetime.fromisoformat(checked) < due:
        return list(state.get("drift", []))
    stored = store.get(canary_id)
    url = article_fetch_url(config, canary_id)
    drift: list[str] = []
    try:
        etag, modified = store.validators(url) if stored else (None, None)
        result = fetcher.get(url, etag=etag, last_modified=modified)
        if result.text is not None:
            fresh = parse_article(result.text, result.url, config.site.canonical_base)
            if stored is None:
                drift.append(f"canary {canary_id}: not stored yet; stored now as the reference")
                store.save_article(
                    fresh,
                    moment,
                    etag=result.etag,
                    last_modified=result.last_modified,
                    fetched_url=url,
                )
            else:
                drift = canary_drift(stored.article, merge_card(fresh, None, stored.article))
    except (FetchError, ExtractError) as exc:
        drift.append(f"canary {canary_id}: {exc}")
    for line in drift:
        log.warning("%s", line)
    store.set_meta(
        CANARY_KEY, json.dumps({"checked": moment.isoformat(), "drift": drift}, ensure_ascii=False)
    )
    return drift


def backfill(
    config: Config,
    *,
    fetcher: Fetcher,
    store: Store,
    now: Callable[[], datetime],
    pages: int | None,
    since: date | None,
    progress: Callable[[int, int, int], None] = lambda page, cards, new: None,
    stop: threading.Event | None = None,
) -> RunReport:
    """Walk older list pages (2, 3, …) politely and store the stories not known yet. Each page
    is committed when done and remembered, so an interrupted backfill resumes after it."""
    started = now()
    rules = compile_topics(config.topics)
    reclassify_if_changed(store, config.topics, rules)
    state = json.loads(store.get_meta(BACKFILL_KEY) or "{}")
    page = int(state.get("next_page", 1))
    if page > 1:
        log.info("resuming an interrupted backfill at list page %d", page)
    counts: Counter[str] = Counter()
    failures: list[str] = []
    walked = 0
    while pages is None or page <= pages:
        url = list_url(config, page)
        result = fetcher.get(url)
        parsed = parse_list_page(result.text or "", result.url, config.site.canonical_base)
        if not parsed.cards:
            if page == 1:
                raise SiteChangedError(f"{url}: no article cards found; the markup has changed")
            break  # past the last page
        known = set(store.last_fetched(c.id for c in parsed.cards))
        finals = {i for i, (_, final) in store.failures().items() if final}
        plan = [c.id for c in parsed.cards if c.id not in known and c.id not in finals]
        by_id = {c.id: c for c in parsed.cards}
        harvest = _harvest(config, fetcher, store, rules, plan, by_id, stop)
        if harvest.attempted >= 3 and harvest.extract_failed == harvest.attempted:
            raise SiteChangedError(f"{url}: every article on the page failed extraction")
        page_counts = _commit(store, harvest, now)
        counts.update(page_counts)
        failures += [why for _, _, why, _ in harvest.failures]
        walked += 1
        store.set_meta(BACKFILL_KEY, json.dumps({"next_page": page + 1}))
        progress(page, len(parsed.cards), page_counts["new"])
        dated = [c.date for c in parsed.cards if c.date is not None]
        if since is not None and dated and min(dated).astimezone(KST).date() < since:
            break
        if parsed.last_page is not None and page >= parsed.last_page:
            break
        page += 1
    store.set_meta(BACKFILL_KEY, "{}")  # finished: the next backfill starts from page 1
    written = write_site(config, store, started)
    notes = announce(config, written)
    report = RunReport(
        started=started,
        finished=now(),
        list_pages=walked,
        cards=0,
        fetched=sum(counts.values()) + len(failures),
        new=counts["new"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        failed=len(failures),
        feeds_written=tuple(written),
        requests=fetcher.requests,
        failures=tuple(failures),
        statuses=dict(fetcher.statuses),
        notes=tuple(notes),
    )
    store.record_run(report, "ok")
    log.info("backfill done pages=%d new=%d failed=%d", walked, report.new, report.failed)
    return report


def _read_lists(
    config: Config, fetcher: Fetcher, store: Store, tally: _Tally
) -> tuple[list[Card], list[tuple[str, str | None, str | None]]]:
    """Cards from page 1, then further pages while a page still shows unknown ids."""
    cards: list[Card] = []
    validators: list[tuple[str, str | None, str | None]] = []
    known_failures = store.failures()
    # After a run that did not finish (killed, crashed, unhealthy) its stories may be stored only
    # in part, newest first: walk every page again, unconditionally, instead of stopping at the
    # first known story.
    exhaustive = store.get_meta(INCOMPLETE_KEY) == "1"
    if exhaustive:
        log.info(
            "the previous run did not finish: reading all %d list pages", config.site.max_pages
        )
    store.set_meta(INCOMPLETE_KEY, "1")  # cleared when this run finishes
    for page in range(1, config.site.max_pages + 1):
        url = list_url(config, page)
        etag, modified = (None, None) if exhaustive else store.validators(url)
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
        listed = {x.id for x in cards}
        fresh = [c for c in parsed.cards if c.id not in listed]
        cards += fresh
        tally.cards += len(fresh)
        known = store.last_fetched(c.id for c in fresh)
        if not exhaustive and (
            not fresh or fresh[-1].id in known or fresh[-1].id in known_failures
        ):
            # The list is newest first: once its oldest card is known, older pages hold only
            # known stories too. (Stricter than "a page of known ids only", and politer.)
            break
        if parsed.last_page is not None and page >= parsed.last_page:
            break
    return cards, validators


def _fetch_article(
    config: Config,
    fetcher: Fetcher,
    store: Store,
    rules: tuple[TopicRule, ...],
    story_id: int,
    card: Card | None,
    harvest: _Harvest,
) -> None:
    url = article_fetch_url(config, story_id)
    previous = store.get(story_id)
    etag, modified = store.validators(url) if previous else (None, None)
    try:
        result = fetcher.get(url, etag=etag, last_modified=modified)
        if result.not_modified or result.text is None:
            harvest.not_modified.append(story_id)
            return
        harvest.attempted += 1
        landed = article_id(result.url)
        if landed != story_id:
            raise ExtractError(url, f"redirected to another article ({result.url})")
        article = merge_card(
            parse_article(result.text, result.url, config.site.canonical_base),
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
    harvest.fetched.append(_Fetched(article, topics, url, result.etag, result.last_modified))
