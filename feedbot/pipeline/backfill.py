"""`feedbot backfill`: walk older list pages politely and store the stories not known yet, page
by page, resumable."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

from feedbot.config import Config
from feedbot.errors import FetchError, SiteChangedError
from feedbot.fetch.http import Fetcher
from feedbot.models import RunReport
from feedbot.normalize import KST
from feedbot.pipeline.harvest import commit, fetch_articles, fetch_list_page
from feedbot.pipeline.plan import list_url, plan_fetches
from feedbot.pipeline.run import announce, reclassify_if_changed, topic_rules
from feedbot.publish.build import write_output
from feedbot.store.db import Store

log = logging.getLogger(__name__)


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
    rules, model = topic_rules(config)
    reclassify_if_changed(store, config.topics, rules, model)
    page = store.backfill_next_page()
    if page > 1:
        log.info("resuming an interrupted backfill at list page %d", page)
    counts: Counter[str] = Counter()
    failures: list[str] = []
    walked = 0
    seen: set[int] = set()  # card ids of this walk
    while pages is None or page <= pages:
        url = list_url(config, page)
        try:
            parsed = fetch_list_page(config, fetcher, url).page
        except (FetchError, SiteChangedError):
            if page == 1:
                raise
            log.warning("list page failed, the backfill stops here url=%s", url, exc_info=True)
            break
        if parsed is None or not parsed.cards:
            if page == 1:
                raise SiteChangedError(f"{url}: no article cards found; the markup has changed")
            break  # past the last page
        if seen.issuperset(c.id for c in parsed.cards):
            # a site that answers every page number past the last with an earlier page (and
            # shows no pagination to say so) would otherwise be walked for ever
            log.info("list page %d repeats earlier pages: past the last page url=%s", page, url)
            break
        seen.update(c.id for c in parsed.cards)
        known = set(store.last_fetched(c.id for c in parsed.cards))
        # the run's own planner: unknown stories only, no re-checks, attempt limits respected
        plan = plan_fetches(
            list(parsed.cards), known, store.failures(), [], [], config.site.max_articles
        )
        by_id = {c.id: c for c in parsed.cards}
        harvest = fetch_articles(config, fetcher, store, rules, list(plan.ids), by_id, stop)
        if harvest.attempted >= 3 and harvest.extract_failed == harvest.attempted:
            raise SiteChangedError(f"{url}: every article on the page failed extraction")
        page_counts = commit(store, harvest, now)
        counts.update(page_counts)
        failures += [f.reason for f in harvest.failures]
        walked += 1
        store.set_backfill_next_page(page + 1)
        progress(page, len(parsed.cards), page_counts["new"])
        dated = [c.date for c in parsed.cards if c.date is not None]
        if since is not None and dated and min(dated).astimezone(KST).date() < since:
            break
        if parsed.last_page is not None and page >= parsed.last_page:
            break
        page += 1
    store.set_backfill_next_page(None)  # finished: the next backfill starts from page 1
    output = write_output(config, store, started)
    notes = list(output.notes) + announce(config, fetcher, list(output.written))
    store.prune_pages(config.archive.keep_days, now())
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
        feeds_written=output.written,
        requests=fetcher.requests,
        failures=tuple(failures),
        statuses=dict(fetcher.statuses),
        notes=tuple(notes),
    )
    store.record_run(report, "ok")
    log.info("backfill done pages=%d new=%d failed=%d", walked, report.new, report.failed)
    return report
