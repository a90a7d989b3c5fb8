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

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from feedbot.config import Config, load_model
from feedbot.curate.classifier import TopicRule, classify, compile_topics, fingerprint
from feedbot.curate.model import TopicModel
from feedbot.errors import FetchError, SiteChangedError, UnhealthyRun
from feedbot.fetch.http import Fetcher
from feedbot.models import Card, Classification, RunReport, StoryText, TopicSpec, Validators
from feedbot.pipeline.canary import check_canary
from feedbot.pipeline.harvest import (
    MAX_STRAIGHT_FAILURES,
    commit,
    fetch_articles,
    fetch_list_page,
)
from feedbot.pipeline.health import assess
from feedbot.pipeline.plan import (
    MAX_ATTEMPTS,
    RECHECK_LIMIT,
    RECHECK_WINDOW,
    list_url,
    listing_goes_on,
    plan_fetches,
)
from feedbot.publish.build import write_output
from feedbot.store.db import Store

log = logging.getLogger(__name__)


@dataclass
class _Tally:
    list_pages: int = 0
    cards: int = 0


def topic_rules(config: Config) -> tuple[tuple[TopicRule, ...], TopicModel | None]:
    """The compiled topics with their model, read once per run; a bad weight file fails here,
    before anything is labelled."""
    model = load_model(config)
    return compile_topics(config.topics, model), model


def reclassify_if_changed(
    store: Store,
    specs: tuple[TopicSpec, ...],
    rules: tuple[TopicRule, ...],
    model: TopicModel | None,
) -> int:
    """Re-label every stored article when the topic configuration or the model's weights
    changed since the last run (from the store alone: nothing is fetched again). Returns how
    many were re-labelled."""
    stamp = fingerprint(specs, model)
    if store.topics_fingerprint() == stamp:
        return 0
    count = store.set_topics(_relabelled(rules, store.texts()))
    store.set_topics_fingerprint(stamp)
    if count:
        log.info("topic configuration or model changed: re-classified %d stored articles", count)
    return count


def _relabelled(
    rules: tuple[TopicRule, ...], texts: Iterable[StoryText]
) -> Iterator[tuple[int, Classification]]:
    """Labels for each stored story; one the classifier cannot take keeps its old labels (it is
    named in the log) rather than stopping the relabel, and with it every run."""
    for story_id, title, text, lead in texts:
        try:
            yield story_id, classify(rules, title, text, lead)
        except Exception as exc:  # one story must never stop the others
            log.error("article %d not re-labelled: %s: %s", story_id, type(exc).__name__, exc)


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
    rules, model = topic_rules(config)
    reclassify_if_changed(store, config.topics, rules, model)
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
        config.site.max_articles,
    )
    if plan.deferred:
        log.warning(
            "%d more articles than site.max_articles = %d: they wait for the next run",
            plan.deferred,
            config.site.max_articles,
        )
    harvest = fetch_articles(config, fetcher, store, rules, list(plan.ids), by_id, stop)
    if harvest.deferred and not harvest.fetched and not harvest.not_modified:
        # not a markup change and not "no news": the site is failing right now (exit 1)
        raise FetchError(
            config.site.section_url,
            f"the site is failing: {harvest.straight} article requests in a row failed; "
            "nothing stored, the articles wait for the next run",
            transient=True,
        )
    assessment = assess(
        [f.article for f in harvest.fetched],
        harvest.attempted,
        harvest.extract_failed,
        store.recent_fill(config.health.baseline_runs),
        config.health,
        planned=len(plan.ids) - harvest.disallowed,
        failed=len(harvest.failures) - harvest.disallowed,
    )
    counts = Counter[str]()
    if assessment.healthy:
        counts = commit(store, harvest, now)
    notes = list(assessment.notes)
    if assessment.healthy:
        notes += check_canary(config, fetcher, store, now)
    report = RunReport(
        started=started,
        finished=now(),
        list_pages=tally.list_pages,
        cards=tally.cards,
        fetched=len(plan.ids),
        new=counts["new"],
        updated=counts["updated"],
        unchanged=counts["unchanged"] + len(harvest.not_modified),
        failed=len(harvest.failures),  # commit adds the stories the store refused
        feeds_written=(),
        requests=fetcher.requests,
        failures=tuple(f.reason for f in harvest.failures),
        statuses=dict(fetcher.statuses),
        fill=assessment.fill,
        extracted=len(harvest.fetched),
        notes=tuple(notes),
    )
    if not assessment.healthy:
        for note in assessment.notes:
            log.error("unhealthy run: %s", note)
        raise UnhealthyRun(
            "unhealthy run, nothing stored and feeds left as they were: "
            + "; ".join(assessment.notes),
            report,
        )
    output = write_output(config, store, started)
    notes += output.notes
    notes += announce(config, fetcher, list(output.written))
    store.prune_pages(config.archive.keep_days, now())
    for url, (etag, modified) in list_validators.items():
        store.save_validators(url, etag, modified, started)
    if plan.deferred:
        notes.append(f"{plan.deferred} articles wait for the next run (site.max_articles)")
    if harvest.deferred:
        notes.append(
            f"{harvest.deferred} articles wait for the next run: "
            f"{MAX_STRAIGHT_FAILURES} article requests in a row failed"
        )
    if not plan.deferred and not harvest.deferred:
        # a run that had to leave stories for later reads every list page next time
        store.set_run_incomplete(False)
    report = replace(report, feeds_written=output.written, finished=now(), notes=tuple(notes))
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
        len(output.written),
        time.monotonic() - clock,
    )
    return report


def announce(config: Config, fetcher: Fetcher, written: list[str]) -> list[str]:
    """Ping the WebSub hub for every Atom feed this run changed (after it was published)."""
    hub = config.websub.hub
    changed = [config.output.base_url + name for name in written if name.endswith(".atom")]
    if not hub or not changed:
        return []
    errors = fetcher.ping_hub(hub, changed, timeout_s=config.websub.timeout_s)
    for line in errors:
        log.warning("%s", line)
    log.info("WebSub: announced %d changed feeds to %s", len(changed) - len(errors), hub)
    return errors


def _read_lists(
    config: Config, fetcher: Fetcher, store: Store, tally: _Tally
) -> tuple[list[Card], dict[str, Validators]]:
    """Cards from page 1, then further pages while a page still shows unknown ids; and each
    list page's validators, saved only when the run has finished."""
    cards: list[Card] = []
    validators: dict[str, Validators] = {}
    known_failures = store.failures()
    # After a run that did not finish (killed, crashed, unhealthy) its stories may be stored only
    # in part, newest first: walk every page again, unconditionally, instead of stopping at the
    # first known story.
    exhaustive = store.run_incomplete()
    if exhaustive:
        log.info(
            "the previous run did not finish: reading all %d list pages", config.site.max_pages
        )
    store.set_run_incomplete(True)  # cleared when this run finishes
    for page in range(1, config.site.max_pages + 1):
        url = list_url(config, page)
        try:
            parsed, answered = fetch_list_page(
                config,
                fetcher,
                url,
                Validators(None, None) if exhaustive else store.validators(url),
            )
        except (FetchError, SiteChangedError):
            if page == 1:
                raise  # without page 1 there is nothing to do; feeds stay as they are
            log.warning("list page failed, stopping the listing here url=%s", url, exc_info=True)
            break
        tally.list_pages += 1
        if parsed is None:
            log.info("list page unchanged (304) url=%s", url)
            break
        for warning in parsed.warnings:
            log.warning("%s url=%s", warning, url)
        if page == 1 and not parsed.cards:
            raise SiteChangedError(
                f"{url}: no article cards found (#story_list li.card and the /article/ link "
                "fallback both empty): the markup has probably changed; feeds left as they were"
            )
        if parsed.strategy != "story_list":
            log.warning("list page read by fallback selectors (#story_list missing) url=%s", url)
        validators[url] = answered
        listed = {x.id for x in cards}
        fresh = [c for c in parsed.cards if c.id not in listed]
        cards += fresh
        tally.cards += len(fresh)
        known = set(store.last_fetched(c.id for c in fresh)) | set(known_failures)
        if not listing_goes_on(fresh, known, exhaustive, page, parsed.last_page):
            break
    return cards, validators
