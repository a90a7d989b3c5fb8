"""What the fetcher remembers between runs: HTTP validators, robots.txt, failed articles, and
the page archive (its pure part is store/pages.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from feedbot.models import (
    Attempts,
    CachedRobots,
    FetchResult,
    Validators,
)
from feedbot.store.connection import Connection, Database
from feedbot.store.pages import COMPRESSION, ArchivedPage, pack, unpack
from feedbot.store.rows import (
    UNREADABLE,
    read_time,
    stamp,
)


def write_validators(
    db: Database, url: str, etag: str | None, last_modified: str | None, now: datetime
) -> None:
    if etag is None and last_modified is None:
        db.execute("DELETE FROM http_cache WHERE url = ?", (url,))
        return
    db.execute(
        "INSERT INTO http_cache (url, etag, last_modified, checked) VALUES (?,?,?,?)"
        " ON CONFLICT(url) DO UPDATE SET etag=excluded.etag,"
        " last_modified=excluded.last_modified, checked=excluded.checked",
        (url, etag, last_modified, stamp(now)),
    )


log = logging.getLogger(__name__)


class Crawl(Connection):
    def validators(self, url: str) -> Validators:
        with self._errors("read"):
            row = self.db.execute(
                "SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)
            ).fetchone()
        return Validators(row["etag"], row["last_modified"]) if row else Validators(None, None)

    def save_validators(
        self, url: str, etag: str | None, last_modified: str | None, now: datetime
    ) -> None:
        with self.transaction() as db:
            write_validators(db, url, etag, last_modified, now)

    def get_robots(self, origin: str) -> CachedRobots | None:
        with self._errors("read"):
            row = self.db.execute(
                "SELECT body, fetched FROM robots WHERE origin = ?", (origin,)
            ).fetchone()
        if row is None or not isinstance(row["body"], str):
            return None
        try:
            return CachedRobots(row["body"], read_time(row["fetched"]))
        except UNREADABLE:
            return None  # damaged: robots.txt is read again

    def put_robots(self, origin: str, body: str, fetched: datetime) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO robots (origin, body, fetched) VALUES (?,?,?) ON CONFLICT(origin)"
                " DO UPDATE SET body=excluded.body, fetched=excluded.fetched",
                (origin, body, stamp(fetched)),
            )

    def archive_page(self, article_id: int, page: FetchResult, now: datetime) -> None:
        """Keep an article page answered 200, replacing the article's earlier copy."""
        body = page.body or b""
        fetched = stamp(page.received or now)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO pages (id, url, fetched, confirmed, status, content_type, etag,"
                " last_modified, size, compression, body) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET url=excluded.url, fetched=excluded.fetched,"
                " confirmed=excluded.confirmed, status=excluded.status,"
                " content_type=excluded.content_type, etag=excluded.etag,"
                " last_modified=excluded.last_modified, size=excluded.size,"
                " compression=excluded.compression, body=excluded.body",
                (
                    article_id,
                    page.url,
                    fetched,
                    fetched,
                    page.status,
                    page.content_type,
                    page.etag,
                    page.last_modified,
                    len(body),
                    COMPRESSION,
                    pack(body),
                ),
            )

    def archived_page(self, article_id: int) -> ArchivedPage | None:
        """The archived copy of an article's page; CorruptPage when it does not decompress."""
        with self._errors("read"):
            row = self.db.execute("SELECT * FROM pages WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return ArchivedPage(
            id=row["id"],
            url=row["url"],
            fetched=read_time(row["fetched"]),
            confirmed=read_time(row["confirmed"]),
            status=row["status"],
            content_type=row["content_type"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            body=unpack(row["id"], bytes(row["body"]), row["size"]),
        )

    def archived_ids(
        self, *, since: datetime | None = None, ids: Iterable[int] | None = None
    ) -> list[int]:
        """Ids of the archived pages fetched at `since` or later, or of those among `ids`."""
        query, params = "SELECT id FROM pages", []
        if since is not None:
            query += " WHERE fetched >= ?"
            params.append(stamp(since))
        with self._errors("read"):
            found = [row["id"] for row in self.db.execute(query + " ORDER BY id", params)]
        if ids is None:
            return found
        wanted = set(ids)
        return [i for i in found if i in wanted]

    def page_archive_size(self) -> tuple[int, int, int]:
        """(pages, bytes as received, bytes stored) of the page archive."""
        with self._errors("read"):
            row = self.db.execute(
                "SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(LENGTH(body)), 0) FROM pages"
            ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def prune_pages(self, keep_days: float, now: datetime) -> int:
        """Drop archived pages not current for `keep_days` (all of them when 0: the archive is
        off). Returns how many went."""
        with self.transaction() as db:
            if keep_days <= 0:
                return db.execute("DELETE FROM pages").rowcount
            cutoff = stamp(now - timedelta(days=keep_days))
            return db.execute("DELETE FROM pages WHERE confirmed < ?", (cutoff,)).rowcount

    def record_failure(
        self, article_id: int, url: str, error: str, now: datetime, *, permanent: bool
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO failures (id, url, attempts, permanent, last_error, last_attempt)"
                " VALUES (?,?,1,?,?,?) ON CONFLICT(id) DO UPDATE SET url=excluded.url,"
                " attempts=attempts+1, permanent=excluded.permanent,"
                " last_error=excluded.last_error, last_attempt=excluded.last_attempt",
                (article_id, url, int(permanent), error, stamp(now)),
            )

    def failures(self) -> dict[int, Attempts]:
        """Every article that failed and was not stored since."""
        with self._errors("read"):
            rows = self.db.execute("SELECT id, attempts, permanent FROM failures").fetchall()
        return {row["id"]: Attempts(row["attempts"], bool(row["permanent"])) for row in rows}

    def retryable(self, max_attempts: int) -> list[int]:
        """Ids of transient failures with attempts left, oldest id first."""
        with self._errors("read"):
            rows = self.db.execute(
                "SELECT id FROM failures WHERE permanent = 0 AND attempts < ? ORDER BY id",
                (max_attempts,),
            ).fetchall()
        return [row["id"] for row in rows]
