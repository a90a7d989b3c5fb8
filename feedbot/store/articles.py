"""The stories: saving one (with its labels and validators), reading them back for the feeds
and archives, deletions. A row that no longer reads is skipped by id, never fatal."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Literal

from feedbot.models import (
    UNCLASSIFIED,
    Article,
    Classification,
    LabelOverride,
    StoredArticle,
    StoryText,
    Tombstone,
    article_to_dict,
)
from feedbot.normalize import content_hash
from feedbot.store.connection import Connection, Database, Row
from feedbot.store.crawl import write_validators
from feedbot.store.rows import (
    UNREADABLE,
    read_override,
    read_stored,
    read_time,
    stamp,
    valid_months,
    why,
)

Change = Literal["new", "updated", "unchanged"]

log = logging.getLogger(__name__)


class Articles(Connection):
    def _row_to_stored(
        self, row: Row, override: LabelOverride | None = None
    ) -> StoredArticle | None:
        """The row as a StoredArticle; None (and a warning naming the id) for a row that no
        longer reads: one damaged row must not stop every run. `feedbot doctor` lists them."""
        try:
            return read_stored(row, override)
        except UNREADABLE as exc:
            log.warning(
                "store: article %s is unreadable and skipped (%s); see `feedbot doctor`",
                row["id"],
                why(exc),
            )
            return None

    def _rows_to_stored(self, rows: list[Row]) -> list[StoredArticle]:
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
                found[row["id"]] = read_time(row["last_fetched"])
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
        sort_time = stamp(article.published or now)
        data = json.dumps(article_to_dict(article), ensure_ascii=False, sort_keys=True)
        labels = json.dumps(topics.to_dict(), ensure_ascii=False, sort_keys=True)
        last_fetched = stamp(fetched or now)
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
                        stamp(now),
                        last_fetched,
                        stamp(now),
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
                        stamp(now),
                        article.id,
                    ),
                )
            self._save_topics(db, article.id, topics)
            if change != "unchanged" or shown_changed:
                self._dirty(db, article.id)
            if fetched_url is not None:
                write_validators(db, fetched_url, etag, last_modified, now)
            db.execute("DELETE FROM failures WHERE id = ?", (article.id,))
        return change

    @classmethod
    def _save_topics(cls, db: Database, article_id: int, topics: Classification) -> None:
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

    @staticmethod
    def _overrides_of(db: Database, ids: list[int]) -> dict[int, LabelOverride]:
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
                    found[row["article_id"]] = read_override(row)
                except (ValueError, TypeError) as exc:  # a hand edit: the story goes unchanged
                    log.warning(
                        "store: the label override of article %s is unreadable and ignored (%s)",
                        row["article_id"],
                        why(exc),
                    )
        return found

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
                log.warning("store: article %s is unreadable and skipped (%s)", row["id"], why(exc))

    def touch(self, article_id: int, now: datetime) -> None:
        """A conditional GET answered 304: the stored copy is current, and so is its page in the
        archive (which the pruning then keeps)."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET last_fetched=? WHERE id=?", (stamp(now), article_id))
            db.execute("UPDATE pages SET confirmed=? WHERE id=?", (stamp(now), article_id))
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
                (limit, stamp(checked_before), stamp(first_seen_after)),
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
    def _dirty(db: Database, article_id: int) -> None:
        """The article's month (Korea time) must have its archive documents written again."""
        db.execute(
            "INSERT OR IGNORE INTO archive_dirty (month)"
            " SELECT strftime('%Y-%m', sort_time, '+9 hours') FROM articles WHERE id = ?",
            (article_id,),
        )

    def dirty_months(self) -> set[str]:
        with self._errors("read"):
            return set(
                valid_months(
                    row["month"] for row in self.db.execute("SELECT month FROM archive_dirty")
                )
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
        params: list[object] = [stamp(end)]
        if start is not None:
            query += " AND sort_time >= ?"
            params.append(stamp(start))
        query += self._in_feed(topic, params)
        with self._errors("read"):
            return valid_months(row["month"] for row in self.db.execute(query, params))

    def between(
        self, start: datetime, end: datetime | None, topic: str | None
    ) -> list[StoredArticle]:
        """Kept, undeleted articles with start <= publish time < end (of one topic, if given)."""
        query = "SELECT * FROM articles WHERE deleted IS NULL AND sort_time >= ?"
        params: list[object] = [stamp(start)]
        if end is not None:
            query += " AND sort_time < ?"
            params.append(stamp(end))
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
                (stamp(when), article_id),
            )

    def tombstones(self, since: datetime, topic: str | None = None) -> list[Tombstone]:
        """(id, when deleted) of articles deleted at `since` or later (of one topic, if given),
        newest first."""
        query = "SELECT id, deleted FROM articles WHERE deleted IS NOT NULL AND deleted >= ?"
        params: list[object] = [stamp(since)]
        query += self._in_feed(topic, params)
        with self._errors("read"):
            rows = self.db.execute(query + " ORDER BY deleted DESC, id DESC", params).fetchall()
        found = []
        for row in rows:
            try:
                found.append(Tombstone(row["id"], read_time(row["deleted"])))
            except UNREADABLE:
                log.warning("store: article %s has an unreadable deletion time", row["id"])
        return found

    def count(self) -> int:
        with self._errors("read"):
            return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
