"""`status.json`: what the last run did, when the last good one was, when the next is due, each
feed's size and age, and what needs a human. `feedbot status` prints it for people.

It lives where `Config.status_file` says: beside the store unless `output.status_path` names
another place. Not in the output directory by default: it changes on every run (it is the
heartbeat), and a published directory that a `git commit` or an rsync publishes should change
only when news does; its health notes are meant for the operator anyway."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from feedbot import __version__
from feedbot.config import Config
from feedbot.normalize import KST
from feedbot.publish.files import write_file
from feedbot.store.db import Store

LAST_RUN_KEYS = (
    "started",
    "finished",
    "error",
    "list_pages",
    "cards",
    "fetched",
    "new",
    "updated",
    "unchanged",
    "failed",
    "requests",
    "statuses",
    "fill",
    "notes",
    "feeds_written",
)


def kst(moment: object) -> str | None:
    """A stored time (UTC, microseconds) as the one form status uses: Korea time, whole
    seconds, with its offset (`2026-11-25T12:00:00+09:00`)."""
    if not isinstance(moment, str) or not moment:
        return None
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    if parsed.tzinfo is None:
        return moment
    return parsed.astimezone(KST).isoformat(timespec="seconds")


def build_status(
    config: Config,
    store: Store,
    *,
    next_run: datetime | None = None,
    events: Sequence[str] = (),
) -> dict[str, Any]:
    runs = store.runs(50)
    last: dict[str, Any] | None = None
    if runs:
        result, report = runs[0]
        last = {"result": result}
        last.update({k: report[k] for k in LAST_RUN_KEYS if k in report})
        for key in ("started", "finished"):
            if key in last:
                last[key] = kst(last[key])
    last_success = next((kst(r.get("finished")) for res, r in runs if res == "ok"), None)
    feeds = {
        name: {"title": f.title, "entries": f.entries, "updated": f.updated.isoformat()}
        for name, f in store.published_feeds().items()
    }
    notes = list(last.get("notes") or []) if last else []
    if last and last["result"] != "ok" and last.get("error"):
        notes.insert(0, str(last["error"]))
    return {
        "generator": f"feedbot {__version__}",
        "last_run": last,
        "last_success": last_success,
        "next_run": kst(next_run.isoformat()) if next_run else None,
        "feeds": feeds,
        "health": notes,
        "scheduler_events": list(events),
    }


def write_status(config: Config, store: Store, **kwargs: Any) -> None:
    data = build_status(config, store, **kwargs)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    path = config.status_file
    write_file(path.parent, path.name, text.encode("utf-8"))


def format_status(data: dict[str, Any]) -> str:
    lines = []
    last = data.get("last_run")
    if last:
        lines.append(
            f"last run:     {last.get('result')}  {last.get('started')} -> {last.get('finished')}"
        )
        if "cards" in last:
            lines.append(
                f"              cards {last.get('cards')}, fetched {last.get('fetched')}, "
                f"new {last.get('new')}, updated {last.get('updated')}, "
                f"failed {last.get('failed')}, requests {last.get('requests')}"
            )
        else:  # it ended before it had counted anything: no numbers, rather than zeros
            lines.append(f"              no counts: {last.get('error') or 'it ended early'}")
    else:
        lines.append("last run:     none yet")
    lines.append(f"last success: {data.get('last_success') or 'never'}")
    lines.append(f"next run:     {data.get('next_run') or 'not scheduled (no daemon)'}")
    for name, feed in sorted((data.get("feeds") or {}).items()):
        lines.append(f"feed {name:<16} {feed['entries']:>3} entries, updated {feed['updated']}")
    for note in data.get("health") or []:
        lines.append(f"HEALTH: {note}")
    for event in data.get("scheduler_events") or []:
        lines.append(f"scheduler: {event}")
    return "\n".join(lines)
