"""What the store remembers between runs besides stories, one typed accessor a key: the key
names and their JSON live here only. A value damaged by hand reads as the default (a fresh
start for that piece), never as an error that stops runs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from feedbot.models import ArchiveState, CanaryState, PublishedFeed

TOPICS = "topics_fingerprint"  # the topic configuration (and model) the labels come from
INCOMPLETE = "run_incomplete"  # "1" while a run is under way, if it died, or left work
CANARY = "canary"  # {"checked": iso, "drift": [...]}
BACKFILL = "backfill"  # {"next_page": n} of an unfinished backfill
FEEDS = "published_feeds"  # file -> {title, entries, updated} of the last output build
ARCHIVE = "archive:{name}"  # {"months": [...], "boundary": month, "window": ids}
SINCE = "feed_since:{name}"  # when a feed was first built (its `updated` while empty)


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class MetaState:
    """Mixed into the Store, which provides get_meta and set_meta."""

    def get_meta(self, key: str) -> str | None:
        raise NotImplementedError

    def set_meta(self, key: str, value: str) -> None:
        raise NotImplementedError

    def topics_fingerprint(self) -> str | None:
        return self.get_meta(TOPICS)

    def set_topics_fingerprint(self, stamp: str) -> None:
        self.set_meta(TOPICS, stamp)

    def run_incomplete(self) -> bool:
        return self.get_meta(INCOMPLETE) == "1"

    def set_run_incomplete(self, incomplete: bool) -> None:
        self.set_meta(INCOMPLETE, "1" if incomplete else "0")

    def canary_state(self) -> CanaryState | None:
        data = _json(self.get_meta(CANARY))
        checked = _time(data.get("checked"))
        drift = data.get("drift")
        if checked is None or not isinstance(drift, list):
            return None
        return CanaryState(checked, tuple(str(line) for line in drift))

    def set_canary_state(self, state: CanaryState) -> None:
        data = {"checked": state.checked.isoformat(), "drift": list(state.drift)}
        self.set_meta(CANARY, json.dumps(data, ensure_ascii=False))

    def backfill_next_page(self) -> int:
        """The page an interrupted backfill resumes at; 1 when none is unfinished."""
        page = _json(self.get_meta(BACKFILL)).get("next_page", 1)
        return page if isinstance(page, int) and not isinstance(page, bool) and page >= 1 else 1

    def set_backfill_next_page(self, page: int | None) -> None:
        """None: the backfill finished, the next one starts from page 1."""
        self.set_meta(BACKFILL, json.dumps({"next_page": page} if page else {}))

    def published_feeds(self) -> dict[str, PublishedFeed]:
        found = {}
        for name, value in _json(self.get_meta(FEEDS)).items():
            if not isinstance(value, dict):
                continue
            updated = _time(value.get("updated"))
            entries = value.get("entries")
            if updated is None or not isinstance(entries, int):
                continue
            found[str(name)] = PublishedFeed(str(value.get("title", "")), entries, updated)
        return found

    def set_published_feeds(self, feeds: dict[str, PublishedFeed]) -> None:
        text = json.dumps(
            {
                name: {"title": f.title, "entries": f.entries, "updated": f.updated.isoformat()}
                for name, f in feeds.items()
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        if self.get_meta(FEEDS) != text:  # the same bytes: no write at all
            self.set_meta(FEEDS, text)

    def archive_state(self, name: str) -> ArchiveState | None:
        """None when the feed has no archive yet."""
        text = self.get_meta(ARCHIVE.format(name=name))
        if not text:
            return None
        data = _json(text)
        months = data.get("months")
        boundary, window = data.get("boundary"), data.get("window")
        return ArchiveState(
            tuple(m for m in months if isinstance(m, str)) if isinstance(months, list) else (),
            boundary if isinstance(boundary, str) else None,
            window if isinstance(window, str) else None,
        )

    def set_archive_state(self, name: str, state: ArchiveState) -> None:
        data = {"months": list(state.months), "boundary": state.boundary, "window": state.window}
        self.set_meta(ARCHIVE.format(name=name), json.dumps(data))

    def feed_since(self, name: str) -> datetime | None:
        return _time(self.get_meta(SINCE.format(name=name)))

    def set_feed_since(self, name: str, moment: datetime) -> None:
        self.set_meta(SINCE.format(name=name), moment.isoformat())
