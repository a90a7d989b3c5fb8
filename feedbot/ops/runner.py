"""The operator's operations around a pipeline run: take the lock, open store and fetcher,
record how the run ended, keep status.json current. Used by `run`, `demo`, `daemon`,
`backfill`, `reextract` and `check`; the CLI only parses arguments and prints."""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from feedbot.config import Config, load_model
from feedbot.errors import (
    ExtractError,
    FeedbotError,
    Interrupted,
    PublishError,
    SiteChangedError,
    StoreError,
    UnhealthyRun,
)
from feedbot.extract import parse_article, parse_list_page
from feedbot.fetch.http import Fetcher
from feedbot.fetch.robots import MemoryRobotsCache
from feedbot.models import RunReport
from feedbot.ops.lock import run_lock
from feedbot.ops.status import write_status
from feedbot.pipeline.backfill import backfill
from feedbot.pipeline.decoding import page_text
from feedbot.pipeline.plan import article_fetch_url, list_url
from feedbot.pipeline.reextract import Reextraction, reextract
from feedbot.pipeline.run import run_once
from feedbot.store.db import Store

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _session(
    config: Config, now: Callable[[], datetime], sleep: Callable[[float], None]
) -> Iterator[tuple[Store, Fetcher]]:
    prepare_paths(config)
    with (
        run_lock(config.store.path),
        Store(config.store.path) as store,
        Fetcher(
            config.fetch, config.allowed_hosts, robots_cache=store, now=now, sleep=sleep
        ) as fetcher,
    ):
        yield store, fetcher


def prepare_paths(config: Config) -> None:
    """Create the store's and the output's directories, and prove the output directory is
    writable, before anything is fetched: a run must not scrape for minutes and then find out
    it cannot publish. Errors name the directory (PublishError, StoreError: exit 1)."""
    for directory, error in (
        (config.store.path.parent, StoreError),
        (config.output.dir, PublishError),
    ):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=directory, prefix=".feedbot-probe-"):
                pass
        except OSError as exc:
            raise error(f"{directory}: not writable: {exc.strerror or exc}") from exc


def _result(exc: BaseException) -> str:
    if isinstance(exc, Interrupted | KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, SiteChangedError):
        return "site changed"
    return "failed" if isinstance(exc, FeedbotError) else "crashed"


def _record(
    store: Store, started: datetime, now: Callable[[], datetime], exc: BaseException
) -> None:
    """How a run that did not finish ended, in the history (status.json reads it from there)."""
    if isinstance(exc, UnhealthyRun):
        store.record_run(exc.report, "unhealthy")
        return
    message = (
        str(exc)
        if isinstance(exc, FeedbotError)
        else f"internal error: {type(exc).__name__}: {exc}"
    )
    store.record_failed_run(started, now(), _result(exc), message)


def _recorded(
    config: Config,
    now: Callable[[], datetime],
    action: Callable[[Store, Fetcher], RunReport],
    next_run: datetime | None = None,
    events: Sequence[str] = (),
    sleep: Callable[[float], None] = time.sleep,
) -> RunReport:
    """Run `action` under the lock; however it ends (an error, a bug, Ctrl-C) goes into the run
    history and status.json, so that status never says "ok" about a run that crashed."""
    with _session(config, now, sleep) as (store, fetcher):
        started = now()
        try:
            return action(store, fetcher)
        except BaseException as exc:
            try:
                _record(store, started, now, exc)
            except FeedbotError as also:  # the store itself failing: say so, keep the cause
                log.error("the run's end could not be recorded: %s", also)
            raise
        finally:
            try:
                write_status(config, store, next_run=next_run, events=events)
            except FeedbotError as exc:
                log.error("status not written: %s", exc)


def execute(
    config: Config,
    now: Callable[[], datetime] = utc_now,
    *,
    stop: threading.Event | None = None,
    next_run: datetime | None = None,
    events: Sequence[str] = (),
    sleep: Callable[[float], None] = time.sleep,
) -> RunReport:
    """One locked cycle (`run`, `demo`, each daemon run). `now` and `sleep` are the clock the
    run reads and waits with (politeness, backoff, Retry-After, hub retries): tests pass their
    own, so that waiting is measured instead of spent."""
    return _recorded(
        config,
        now,
        lambda store, fetcher: run_once(config, fetcher=fetcher, store=store, now=now, stop=stop),
        next_run,
        events,
        sleep,
    )


def execute_backfill(
    config: Config,
    *,
    pages: int | None,
    since: date | None,
    progress: Callable[[int, int, int], None],
    now: Callable[[], datetime] = utc_now,
) -> RunReport:
    return _recorded(
        config,
        now,
        lambda store, fetcher: backfill(
            config,
            fetcher=fetcher,
            store=store,
            now=now,
            pages=pages,
            since=since,
            progress=progress,
        ),
    )


def execute_reextract(
    config: Config,
    *,
    since: datetime | None,
    ids: Sequence[int] | None,
    dry_run: bool,
    now: Callable[[], datetime] = utc_now,
) -> Reextraction:
    """`feedbot reextract` under the run lock, with no fetcher at all: nothing can reach the
    site. Recorded in the run history as "reextract" (so neither the health baseline nor the
    last scraping success counts it), status.json kept current; a dry run records and writes
    nothing."""
    with run_lock(config.store.path), Store(config.store.path) as store:
        started = now()
        try:
            result = reextract(config, store, since=since, ids=ids, dry_run=dry_run, now=now)
        except FeedbotError as exc:
            if not dry_run:
                _record(store, started, now, exc)
                write_status(config, store)
            raise
        if not dry_run and result.pages:
            store.record_run(result.report, "reextract")
            write_status(config, store)
        return result


@dataclass(frozen=True, slots=True)
class CheckReport:
    lines: tuple[str, ...]
    healthy: bool


def check_site(config: Config, now: Callable[[], datetime] = utc_now) -> CheckReport:
    """Reach the site like a run would (robots.txt, list page 1, the first card's article) and
    say what the extractor makes of it. Writes nothing: no store, no feeds."""
    lines = [f"config ok: {len(config.topics)} topics, base {config.site.base_url}"]
    model = load_model(config)  # a bad weight file: exit 2 here, as it would stop a run
    lines.append(
        f"model: {model.source}, {len(model.grams):,} n-grams for {', '.join(model.topics)}"
        if model is not None
        else 'model: off (curate.model = ""), the rules alone decide'
    )
    healthy = True
    with Fetcher(
        config.fetch, config.allowed_hosts, robots_cache=MemoryRobotsCache(), now=now
    ) as fetcher:
        url = list_url(config, 1)
        result = fetcher.get(url)
        interval = fetcher.interval(url)
        lines.append(f"robots.txt: {url} allowed; {interval:g}s between requests")
        text = page_text(result.body, result.content_type, result.url)
        listing = parse_list_page(text, result.url, config.site.canonical_base)
        lines.append(
            f"list page: HTTP {result.status}, {len(listing.cards)} cards "
            f"(selector: {listing.strategy}), last page {listing.last_page}"
        )
        if not listing.cards:
            lines.append("PROBLEM: no cards on the list page: #story_list li.card changed?")
            return CheckReport(tuple(lines), False)
        if listing.strategy != "story_list":
            lines.append("WARNING: cards found only by the fallback selector")
            healthy = False
        first = listing.cards[0]
        page = fetcher.get(article_fetch_url(config, first.id))
        try:
            text = page_text(page.body, page.content_type, page.url)
            article = parse_article(text, page.url, config.site.canonical_base)
        except ExtractError as exc:
            lines.append(f"PROBLEM: first article {first.id}: {exc.reason}")
            return CheckReport(tuple(lines), False)
        lines.append(f"article {article.id}: {article.title}")
        lines.append(
            f"  published {article.published.isoformat() if article.published else 'MISSING'}"
            f", authors {', '.join(a.name for a in article.authors) or 'none'}"
            f", body {len(article.body_text)} chars, image {'yes' if article.image else 'no'}"
        )
        lines.append(
            "  sources: " + ", ".join(f"{k}={v}" for k, v in sorted(article.provenance.items()))
        )
        if len(article.body_text) < 80:
            lines.append("PROBLEM: the body is almost empty: #article_body changed?")
            healthy = False
    return CheckReport(tuple(lines), healthy)
