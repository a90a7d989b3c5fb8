"""The canary: one known article re-extracted on a schedule and compared with its stored copy,
so that markup drift shows up even on days without new stories."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from feedbot.config import Config
from feedbot.errors import ExtractError, FetchError
from feedbot.extract import parse_article
from feedbot.fetch.http import Fetcher
from feedbot.models import CanaryState
from feedbot.pipeline.decoding import page_text
from feedbot.pipeline.health import canary_drift
from feedbot.pipeline.plan import article_fetch_url, merge_card
from feedbot.store.db import Store

log = logging.getLogger(__name__)


def check_canary(
    config: Config, fetcher: Fetcher, store: Store, now: Callable[[], datetime]
) -> list[str]:
    """Re-extract the configured canary article when it is due and report drift from the stored
    copy (a conditional GET: usually one 304)."""
    canary_id = config.health.canary_id
    if not canary_id:
        return []
    state = store.canary_state()
    moment = now()
    due = timedelta(hours=config.health.canary_hours)
    if state is not None and moment - state.checked < due:
        return list(state.drift)
    stored = store.get(canary_id)
    url = article_fetch_url(config, canary_id)
    drift: list[str] = []
    try:
        etag, modified = store.validators(url) if stored else (None, None)
        result = fetcher.get(url, etag=etag, last_modified=modified)
        if result.body is not None:
            text = page_text(result.body, result.content_type, result.url)
            fresh = parse_article(text, result.url, config.site.canonical_base)
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
    store.set_canary_state(CanaryState(moment, tuple(drift)))
    return drift
