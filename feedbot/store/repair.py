"""Damaged rows (`feedbot doctor`): finding the article rows that no longer read, and moving
them whole into the quarantine table."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime

from feedbot.store.articles import Articles
from feedbot.store.rows import (
    UNREADABLE,
    BadRow,
    read_stored,
    read_time,
    stamp,
    why,
)

log = logging.getLogger(__name__)


class Repair(Articles):
    def unreadable(self) -> list[BadRow]:
        """Article rows that do not read as a story (`feedbot doctor`)."""
        with self._errors("read"):
            rows = self.db.execute("SELECT * FROM articles ORDER BY id").fetchall()
        found = []
        for row in rows:
            try:
                read_stored(row)
                for column in ("sort_time", "deleted"):  # read by queries of their own
                    if row[column] is not None:
                        read_time(row[column])
            except UNREADABLE as exc:
                found.append(BadRow(row["id"], why(exc)))
        return found

    def quarantine(self, bad: Iterable[BadRow], now: datetime) -> int:
        """Move these rows out of the articles into `quarantine`, whole, in one transaction; the
        stories are fetched again as new when the site still lists them."""
        count = 0
        with self.transaction() as db:
            for item in bad:
                row = db.execute("SELECT * FROM articles WHERE id = ?", (item.id,)).fetchone()
                if row is None:
                    continue
                db.execute(
                    "INSERT OR REPLACE INTO quarantine (id, row, reason, moved) VALUES (?,?,?,?)",
                    (item.id, json.dumps(dict(row), ensure_ascii=False), item.reason, stamp(now)),
                )
                self._dirty(db, item.id)
                db.execute("DELETE FROM articles WHERE id = ?", (item.id,))
                db.execute("DELETE FROM http_cache WHERE url LIKE ?", (f"%/article/{item.id}",))
                count += 1
        return count
