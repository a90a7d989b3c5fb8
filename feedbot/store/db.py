"""The SQLite store: the only sqlite3 user. WAL mode; every write in a transaction, so a crash
loses nothing already committed."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from feedbot.errors import StoreError
from feedbot.models import (
    UNCLASSIFIED,
    Article,
    Attempts,
    CachedRobots,
    Classification,
    FetchResult,
    LabelOverride,
    RunReport,
    StoredArticle,
    StoryText,
    Tombstone,
    Validators,
    article_from_dict,
    article_to_dict,
)
from feedbot.normalize import content_hash
from feedbot.store.migrations import MIGRATIONS
from feedbot.store.pages import COMPRESSION, ArchivedPage, pack, unpack
from feedbot.store.state import MetaState

Change = Literal["new", "updated", "unchanged"]
log = logging.getLogger(__name__)


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


# What reading a damaged row can raise: its row is skipped and named, never the run stopped.
UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError)
_MONTH = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])$")


def _dt(text: object) -> datetime:
    """A time this store wrote (UTC ISO); anything else raises ValueError (a damaged row)."""
    if not isinstance(text, str):
        raise ValueError(f"not a time: {text!r:.40}")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"a time without its offset: {text!r:.40}")
    return moment


def _months(values: Iterable[object]) -> list[str]:
    """The valid "YYYY-MM" among `values` (a damaged row gives None or garbage), sorted."""
    return sorted({v for v in values if isinstance(v, str) and _MONTH.fullmatch(v)})


def _verdict(text: str) -> Classification:
    """The classifier's verdict as stored in the `topics` column."""
    topics = json.loads(text)
    return Classification.from_dict(topics if isinstance(topics, dict) else {})


def _stored(row: sqlite3.Row, override: LabelOverride | None = None) -> StoredArticle:
    verdict = _verdict(row["topics"])
    return StoredArticle(
        article=article_from_dict(json.loads(row["data"])),
        content_hash=row["content_hash"],
        first_seen=_dt(row["first_seen"]),
        last_fetched=_dt(row["last_fetched"]),
        changed=_dt(row["changed"]),
        topics=override.apply(verdict) if override else verdict,
        override=override,
        verdict=verdict if override else None,
    )


def _topic_ids(text: str) -> tuple[str, ...]:
    value = json.loads(text)
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ValueError(f"not a list of topic ids: {text[:40]!r}")
    return tuple(value)


def _override(row: sqlite3.Row) -> LabelOverride:
    return LabelOverride(
        article_id=row["article_id"],
        add=_topic_ids(row["add_topics"]),
        remove=_topic_ids(row["remove_topics"]),
        note=row["note"],
        when=_dt(row["set_at"]),
    )


def _json_object(text: str) -> dict[str, Any]:
    """A history row's report; {} when it does not read (nothing in it is load-bearing)."""
    try:
        value = json.loads(text)
    except UNREADABLE:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class BadRow:
    id: int
    reason: str


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


class Store(MetaState):
    # how long a write waits for another process's lock before failing with "database is locked"
    BUSY_TIMEOUT_S = 10.0

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """`read_only` (explain, doctor without --quarantine, label --list): open without
        writing anything, so that a store on a read-only mount can still be looked at."""
        self.path = path
        with self._errors("open"):
            if read_only:
                self.db = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
                )
                self.db.row_factory = sqlite3.Row
                version = self.db.execute("PRAGMA user_version").fetchone()[0]
                if version != len(MIGRATIONS):
                    raise StoreError(
                        f"{path}: schema version {version}, this feedbot reads {len(MIGRATIONS)}"
                        " (run feedbot once, with write access, to bring it up to date)"
                    )
                return
            self.db = sqlite3.connect(path, isolation_level=None, timeout=self.BUSY_TIMEOUT_S)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """The database's own failures (locked, disk full or I/O, not a database, corrupt) as
        StoreError naming the file; a mistake in our SQL (ProgrammingError, IntegrityError,
        InterfaceError) is a bug and stays one."""
        try:
            yield
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot {action}: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._errors("write"):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this feedbot knows"
            )
        for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction() as db:
                for statement in statements:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    # -- articles -------------------------------------------------------------------------------
    def _row_to_stored(
        self, row: sqlite3.Row, override: LabelOverride | None = None
    ) -> StoredArticle | None:
        """The row as a StoredArticle; None (and a warning naming the id) for a row that no
        longer reads: one damaged row must not stop every run. `feedbot doctor` lists them."""
        try:
            return _stored(row, override)
        except UNREADABLE as exc:
            log.warning(
                "store: article %s is unreadable and skipped (%s); see `feedbot doctor`",
                row["id"],
                _why(exc),
            )
            return None

    def _rows_to_stored(self, rows: list[sqlite3.Row]) -> list[StoredArticle]:
        with self._errors("read"):
            found = self._overrides_of(self.db, [row["id"] for row in rows])
        stored = (self._row_to_stored(row, found.get(row["id"])) for row in rows)
        return [s for s in stored if s is not None]

    def get(self, article_id: int) -> StoredArticle | None:
        with self._errors("read"):
            row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        found = self._rows_to_stored([row] if row else [])
        return found[0] if found else None  # unreadable: fetched again as new

    def last_fetched(self, ids: Iterable[int]) -> dict[int, datetime]:
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._errors("read"):
            rows = self.db.execute(
                f"SELECT id, last_fetched FROM articles WHERE id IN ({marks})", ids
            ).fetchall()
        found = {}
        for row in rows:
            try:
                found[row["id"]] = _dt(row["last_fetched"])
            except UNREADABLE:
                continue  # damaged: the story counts as unknown, and fetching it mends the row
        return found

    def save_article(
        self,
        article: Article,
        now: datetime,
        *,
        etag: str | None,
        last_modified: str | None,
        fetched_url: str | None,
        topics: Classification = UNCLASSIFIED,
        fetched: datetime | None = None,
    ) -> Change:
        """Insert or update one article with its page's validators, in one transaction.
        `changed` moves only when the content hash (title + body text) changes. A story read
        again from the page archive (`feedbot reextract`) passes no `fetched_url`, which leaves
        the validators alone, and `fetched`, when its page was last fetched (default `now`)."""
        digest = content_hash(article.title, article.body_text)
        sort_time = _ts(article.published or now)
        data = json.dumps(article_to_dict(article), ensure_ascii=False, sort_keys=True)
        labels = json.dumps(topics.to_dict(), ensure_ascii=False, sort_keys=True)
        last_fetched = _ts(fetched or now)
        with self.transaction() as db:
            row = db.execute(
                "SELECT content_hash, data, sort_time, topics FROM articles WHERE id = ?",
                (article.id,),
            ).fetchone()
            # Any change of what an entry shows (not only of the text) must reach the month
            # archive documents, the month it leaves as well as the one it lands in.
            shown_changed = row is None or (row["data"], row["topics"]) != (data, labels)
            if shown_changed and row is not None:
                self._dirty(db, article.id)
            if row is None:
                change: Change = "new"
                db.execute(
                    "INSERT INTO articles (id, url, title, sort_time, data, content_hash,"
                    " first_seen, last_fetched, changed) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        article.id,
                        article.url,
                        article.title,
                        sort_time,
                        data,
                        digest,
                        _ts(now),
                        last_fetched,
                        _ts(now),
                    ),
                )
            else:
                change = "updated" if row["content_hash"] != digest else "unchanged"
                if article.published is None:
                    sort_time = row["sort_time"]  # keep first-seen order for undated stories
                db.execute(
                    "UPDATE articles SET url=?, title=?, sort_time=?, data=?, content_hash=?,"
                    " last_fetched=?, changed=CASE WHEN content_hash=? THEN changed ELSE ? END"
                    " WHERE id=?",
                    (
                        article.url,
                        article.title,
                        sort_time,
                        data,
                        digest,
                        last_fetched,
                        digest,
                        _ts(now),
                        article.id,
                    ),
                )
            self._save_topics(db, article.id, topics)
            if change != "unchanged" or shown_changed:
                self._dirty(db, article.id)
            if fetched_url is not None:
                self._save_validators(db, fetched_url, etag, last_modified, now)
            db.execute("DELETE FROM failures WHERE id = ?", (article.id,))
        return change

    @classmethod
    def _save_topics(cls, db: sqlite3.Connection, article_id: int, topics: Classification) -> None:
        """Keep the classifier's verdict in `topics` and index the labels the feeds use: the
        verdict with the curator's override applied. Every way a story is labelled (stored by
        a run, re-checked, re-labelled after a topic change) comes through here, so an override
        survives them all."""
        db.execute(
            "UPDATE articles SET topics = ? WHERE id = ?",
            (json.dumps(topics.to_dict(), ensure_ascii=False, sort_keys=True), article_id),
        )
        override = cls._overrides_of(db, [article_id]).get(article_id)
        labels = (override.apply(topics) if override else topics).labels
        db.execute("DELETE FROM article_topics WHERE article_id = ?", (article_id,))
        db.executemany(
            "INSERT INTO article_topics (topic, article_id, sort_time)"
            " SELECT ?, id, sort_time FROM articles WHERE id = ?",
            [(label, article_id) for label in labels],
        )

    def set_topics(self, classified: Iterable[tuple[int, Classification]]) -> int:
        """Replace the labels of many articles in one transaction (after a topic change)."""
        count = 0
        with self.transaction() as db:
            for article_id, topics in classified:
                self._save_topics(db, article_id, topics)
                self._dirty(db, article_id)
                count += 1
        return count

    # -- a curator's overrides ---------------------------------------------------------------------
    @staticmethod
    def _overrides_of(db: sqlite3.Connection, ids: list[int]) -> dict[int, LabelOverride]:
        """The overrides of these articles, in chunks (SQLite caps the parameters of one query)."""
        found: dict[int, LabelOverride] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = db.execute(
                f"SELECT * FROM label_overrides WHERE article_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            for row in rows:
                try:
                    found[row["article_id"]] = _override(row)
                except (ValueError, TypeError) as exc:  # a hand edit: the story goes unchanged
                    log.warning(
                        "store: the label override of article %s is unreadable and ignored (%s)",
                        row["article_id"],
                        _why(exc),
                    )
        return found

    def set_override(self, override: LabelOverride) -> None:
        """Record (or replace) a curator's override and apply it to the stored labels at once;
        the story's month is marked so that its archive documents are written again."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO label_overrides"
                " (article_id, add_topics, remove_topics, note, set_at) VALUES (?,?,?,?,?)",
                (
                    override.article_id,
                    json.dumps(list(override.add)),
                    json.dumps(list(override.remove)),
                    override.note,
                    _ts(override.when),
                ),
            )
            self._relabel(db, override.article_id)

    def remove_override(self, article_id: int) -> bool:
        """Drop the override: the story is back to the classifier's verdict. False if none."""
        with self.transaction() as db:
            gone = db.execute("DELETE FROM label_overrides WHERE article_id = ?", (article_id,))
            if gone.rowcount:
                self._relabel(db, article_id)
        return bool(gone.rowcount)

    def overrides(self) -> list[LabelOverride]:
        """Every recorded override, by article id (also those whose story is no longer stored)."""
        with self._errors("read"):
            rows = self.db.execute("SELECT article_id FROM label_overrides").fetchall()
            found = self._overrides_of(self.db, [row["article_id"] for row in rows])
        return [found[article_id] for article_id in sorted(found)]

    def _relabel(self, db: sqlite3.Connection, article_id: int) -> None:
        """Index the story's labels again from its stored verdict (nothing is re-classified)."""
        row = db.execute("SELECT topics FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return  # quarantined: the override applies when the story is stored again
        self._save_topics(db, article_id, _verdict(row["topics"]))
        self._dirty(db, article_id)

    def texts(self) -> Iterator[StoryText]:
        """(id, title, body text, description) of every stored article, for re-classifying."""
        with self._errors("read"):
            rows = self.db.execute("SELECT id, data FROM articles ORDER BY id").fetchall()
        for row in rows:
            try:
                data = json.loads(row["data"])
                yield StoryText(
                    row["id"], data["title"], data["body_text"], data.get("description")
                )
            except UNREADABLE as exc:
                log.warning(
                    "store: article %s is unreadable and skipped (%s)", row["id"], _why(exc)
                )

    def get_meta(self, key: str) -> str | None:
        with self._errors("read"):
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def touch(self, article_id: int, now: datetime) -> None:
        """A conditional GET answered 304: the stored copy is current, and so is its page in the
        archive (which the pruning then keeps)."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET last_fetched=? WHERE id=?", (_ts(now), article_id))
            db.execute("UPDATE pages SET confirmed=? WHERE id=?", (_ts(now), article_id))
            db.execute("DELETE FROM failures WHERE id = ?", (article_id,))

    def due_for_recheck(
        self, *, checked_before: datetime, first_seen_after: datetime, limit: int
    ) -> list[int]:
        """Recent articles (first seen after `first_seen_after`, newest `limit`) whose last fetch
        is `checked_before` or older."""
        with self._errors("read"):
            rows = self.db.execute(
                "SELECT id FROM (SELECT id, last_fetched, first_seen FROM articles"
                " WHERE deleted IS NULL ORDER BY sort_time DESC, id DESC LIMIT ?)"
                " WHERE last_fetched <= ? AND first_seen > ? ORDER BY id DESC",
                (limit, _ts(checked_before), _ts(first_seen_after)),
            ).fetchall()
        return [row["id"] for row in rows]

    def latest(self, limit: int, topic: str | None = None) -> list[StoredArticle]:
        """The newest `limit` articles by publish time (of one topic, when given); both queries
        walk an index, so the cost grows with `limit`, not with the store."""
        with self._errors("read"):
            if topic is None:
                rows = self.db.execute(
                    "SELECT * FROM articles WHERE deleted IS NULL"
                    " ORDER BY sort_time DESC, id DESC LIMIT ?",
                    (limit,),
                ).fetchall()
            else:
                rows = self.db.execute(
                    "SELECT a.* FROM article_topics t JOIN articles a ON a.id = t.article_id"
                    " WHERE t.topic = ? AND a.deleted IS NULL"
                    " ORDER BY t.sort_time DESC, t.article_id DESC LIMIT ?",
                    (topic, limit),
                ).fetchall()
        return self._rows_to_stored(rows)

    def latest_kept(self, limit: int) -> list[StoredArticle]:
        """The newest `limit` articles that carry at least one topic label (walks the
        publish-time index until it has found `limit`, whatever the store's size)."""
        with self._errors("read"):
            rows = self.db.execute(
                "SELECT a.* FROM articles a WHERE a.deleted IS NULL AND EXISTS"
                " (SELECT 1 FROM article_topics t WHERE t.article_id = a.id)"
                " ORDER BY a.sort_time DESC, a.id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return self._rows_to_stored(rows)

    @staticmethod
    def _dirty(db: sqlite3.Connection, article_id: int) -> None:
        """The article's month (Korea time) must have its archive documents written again."""
        db.execute(
            "INSERT OR IGNORE INTO archive_dirty (month)"
            " SELECT strftime('%Y-%m', sort_time, '+9 hours') FROM articles WHERE id = ?",
            (article_id,),
        )

    def dirty_months(self) -> set[str]:
        with self._errors("read"):
            return set(
                _months(row["month"] for row in self.db.execute("SELECT month FROM archive_dirty"))
            )

    def clear_dirty_months(self, months: set[str]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM archive_dirty WHERE month = ?", [(m,) for m in months])

    def months(self, start: datetime | None, end: datetime, topic: str | None) -> list[str]:
        """Months (Korea time, "YYYY-MM") holding kept, undeleted articles in [start, end)."""
        query = (
            "SELECT DISTINCT strftime('%Y-%m', sort_time, '+9 hours') AS month FROM articles"
            " WHERE deleted IS NULL AND sort_time < ?"
        )
        params: list[object] = [_ts(end)]
        if start is not None:
            query += " AND sort_time >= ?"
            params.append(_ts(start))
        query += self._in_feed(topic, params)
        with self._errors("read"):
            return _months(row["month"] for row in self.db.execute(query, params))

    def between(
        self, start: datetime, end: datetime | None, topic: str | None
    ) -> list[StoredArticle]:
        """Kept, undeleted articles with start <= publish time < end (of one topic, if given)."""
        query = "SELECT * FROM articles WHERE deleted IS NULL AND sort_time >= ?"
        params: list[object] = [_ts(start)]
        if end is not None:
            query += " AND sort_time < ?"
            params.append(_ts(end))
        query += self._in_feed(topic, params) + " ORDER BY sort_time DESC, id DESC"
        with self._errors("read"):
            rows = self.db.execute(query, params).fetchall()
        return self._rows_to_stored(rows)

    @staticmethod
    def _in_feed(topic: str | None, params: list[object]) -> str:
        """Filter to one topic's stories (any kept story when None). A correlated EXISTS walks
        the label indexes per row; `id IN (SELECT …)` would build the set of every labelled id
        on each call, which grows with the store."""
        if topic is None:
            return " AND EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = articles.id)"
        params.append(topic)
        return (
            " AND EXISTS (SELECT 1 FROM article_topics t"
            " WHERE t.topic = ? AND t.article_id = articles.id)"
        )

    def mark_deleted(self, article_id: int, when: datetime) -> None:
        """The article is gone from the site: it leaves the feeds, a tombstone takes its place."""
        with self.transaction() as db:
            self._dirty(db, article_id)
            db.execute(
                "UPDATE articles SET deleted = ? WHERE id = ? AND deleted IS NULL",
                (_ts(when), article_id),
            )

    def tombstones(self, since: datetime, topic: str | None = None) -> list[Tombstone]:
        """(id, when deleted) of articles deleted at `since` or later (of one topic, if given),
        newest first."""
        query = "SELECT id, deleted FROM articles WHERE deleted IS NOT NULL AND deleted >= ?"
        params: list[object] = [_ts(since)]
        query += self._in_feed(topic, params)
        with self._errors("read"):
            rows = self.db.execute(query + " ORDER BY deleted DESC, id DESC", params).fetchall()
        found = []
        for row in rows:
            try:
                found.append(Tombstone(row["id"], _dt(row["deleted"])))
            except UNREADABLE:
                log.warning("store: article %s has an unreadable deletion time", row["id"])
        return found

    def count(self) -> int:
        with self._errors("read"):
            return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -- damaged rows -----------------------------------------------------------------------------
    def unreadable(self) -> list[BadRow]:
        """Article rows that do not read as a story (`feedbot doctor`)."""
        with self._errors("read"):
            rows = self.db.execute("SELECT * FROM articles ORDER BY id").fetchall()
        found = []
        for row in rows:
            try:
                _stored(row)
                for column in ("sort_time", "deleted"):  # read by queries of their own
                    if row[column] is not None:
                        _dt(row[column])
            except UNREADABLE as exc:
                found.append(BadRow(row["id"], _why(exc)))
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
                    (item.id, json.dumps(dict(row), ensure_ascii=False), item.reason, _ts(now)),
                )
                self._dirty(db, item.id)
                db.execute("DELETE FROM articles WHERE id = ?", (item.id,))
                db.execute("DELETE FROM http_cache WHERE url LIKE ?", (f"%/article/{item.id}",))
                count += 1
        return count

    # -- HTTP validators and robots.txt ------------------------------------------------------------
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
            self._save_validators(db, url, etag, last_modified, now)

    @staticmethod
    def _save_validators(
        db: sqlite3.Connection, url: str, etag: str | None, last_modified: str | None, now: datetime
    ) -> None:
        if etag is None and last_modified is None:
            db.execute("DELETE FROM http_cache WHERE url = ?", (url,))
            return
        db.execute(
            "INSERT INTO http_cache (url, etag, last_modified, checked) VALUES (?,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET etag=excluded.etag,"
            " last_modified=excluded.last_modified, checked=excluded.checked",
            (url, etag, last_modified, _ts(now)),
        )

    def get_robots(self, origin: str) -> CachedRobots | None:
        with self._errors("read"):
            row = self.db.execute(
                "SELECT body, fetched FROM robots WHERE origin = ?", (origin,)
            ).fetchone()
        if row is None or not isinstance(row["body"], str):
            return None
        try:
            return CachedRobots(row["body"], _dt(row["fetched"]))
        except UNREADABLE:
            return None  # damaged: robots.txt is read again

    def put_robots(self, origin: str, body: str, fetched: datetime) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO robots (origin, body, fetched) VALUES (?,?,?) ON CONFLICT(origin)"
                " DO UPDATE SET body=excluded.body, fetched=excluded.fetched",
                (origin, body, _ts(fetched)),
            )

    # -- the page archive (store/pages.py) -------------------------------------------------------
    def archive_page(self, article_id: int, page: FetchResult, now: datetime) -> None:
        """Keep an article page answered 200, replacing the article's earlier copy."""
        body = page.body or b""
        fetched = _ts(page.received or now)
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
            fetched=_dt(row["fetched"]),
            confirmed=_dt(row["confirmed"]),
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
            params.append(_ts(since))
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
            cutoff = _ts(now - timedelta(days=keep_days))
            return db.execute("DELETE FROM pages WHERE confirmed < ?", (cutoff,)).rowcount

    # -- failures ---------------------------------------------------------------------------------
    def record_failure(
        self, article_id: int, url: str, error: str, now: datetime, *, permanent: bool
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO failures (id, url, attempts, permanent, last_error, last_attempt)"
                " VALUES (?,?,1,?,?,?) ON CONFLICT(id) DO UPDATE SET url=excluded.url,"
                " attempts=attempts+1, permanent=excluded.permanent,"
                " last_error=excluded.last_error, last_attempt=excluded.last_attempt",
                (article_id, url, int(permanent), error, _ts(now)),
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

    # -- runs -------------------------------------------------------------------------------------
    def recent_fill(self, runs: int, min_sample: int = 3) -> list[dict[str, float]]:
        """Field fill rates of the last `runs` healthy runs that extracted enough articles."""
        with self._errors("read"):
            rows = self.db.execute(
                "SELECT report FROM runs WHERE result = 'ok' ORDER BY id DESC LIMIT 200"
            ).fetchall()
        found = []
        for row in rows:
            report = _json_object(row["report"])
            fill = report.get("fill")
            extracted = report.get("extracted", 0)
            if not isinstance(extracted, int) or isinstance(extracted, bool):
                continue  # a damaged history row says nothing about the baseline
            if extracted >= min_sample and isinstance(fill, dict) and fill:
                try:
                    found.append({str(k): float(v) for k, v in fill.items()})
                except (TypeError, ValueError):
                    continue  # a damaged history row says nothing about the baseline
            if len(found) == runs:
                break
        return found

    def runs(self, limit: int) -> list[tuple[str, dict[str, object]]]:
        """(result, report) of the newest runs, newest first."""
        with self._errors("read"):
            rows = self.db.execute(
                "SELECT result, report FROM runs ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [(row["result"], _json_object(row["report"])) for row in rows]

    def record_run(self, report: RunReport, result: str) -> None:
        self._insert_run(report.started, report.finished, result, asdict(report))

    def record_failed_run(
        self, started: datetime, finished: datetime, result: str, error: str
    ) -> None:
        """A run that ended in an error before it had a report (network down, locked, …)."""
        self._insert_run(
            started, finished, result, {"started": started, "finished": finished, "error": error}
        )

    def _insert_run(
        self, started: datetime, finished: datetime, result: str, report: dict[str, object]
    ) -> None:
        data = json.dumps(report, default=_json_default, ensure_ascii=False, sort_keys=True)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO runs (started, finished, result, report) VALUES (?,?,?,?)",
                (_ts(started), _ts(finished), result, data),
            )
