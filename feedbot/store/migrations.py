"""Numbered schema migrations; `PRAGMA user_version` holds the number applied last.

Each migration is a tuple of statements (never a script split on ";", which a semicolon in a
comment or a string would break), run in one transaction together with the version bump, so a
crash leaves the schema either before or after it, never half-way.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: articles, HTTP validators, robots.txt cache, failures to retry, run history
    (
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            title TEXT NOT NULL,
            sort_time TEXT NOT NULL,        -- published, else first seen (UTC ISO): feed order
            data TEXT NOT NULL,             -- the extracted Article as JSON
            content_hash TEXT NOT NULL,     -- title + body text: what makes a change significant
            first_seen TEXT NOT NULL,
            last_fetched TEXT NOT NULL,
            changed TEXT NOT NULL           -- when the current content_hash was first seen
        )
        """,
        """
        CREATE INDEX articles_sort_time ON articles (sort_time DESC, id DESC)
        """,
        """
        CREATE TABLE http_cache (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            checked TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE robots (
            origin TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            fetched TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            permanent INTEGER NOT NULL,     -- 404/410 or not an article: do not retry
            last_error TEXT NOT NULL,
            last_attempt TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            finished TEXT NOT NULL,
            result TEXT NOT NULL,
            report TEXT NOT NULL
        )
        """,
    ),
    # 2: topic labels per article (issue 4), a label index for per-topic feeds, key-value meta
    (
        """
        ALTER TABLE articles ADD COLUMN topics TEXT NOT NULL DEFAULT '{}'
        """,
        """
        CREATE TABLE article_topics (
            topic TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            sort_time TEXT NOT NULL,
            PRIMARY KEY (topic, article_id)
        )
        """,
        """
        CREATE INDEX article_topics_order ON article_topics (topic, sort_time DESC, article_id DESC)
        """,
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """,
    ),
    # 3: `all.atom` asks "does this article carry any label?" newest first; without an index on
    # article_id that question scanned the whole label table for every article (benchmarks:
    # render time grew 3x from 1k to 100k stored articles)
    (
        """
        CREATE INDEX article_topics_by_article ON article_topics (article_id)
        """,
    ),
    # 4: articles that disappeared from the site (404/410 on a re-check): RFC 6721 tombstones
    (
        """
        ALTER TABLE articles ADD COLUMN deleted TEXT
        """,
        """
        CREATE INDEX articles_deleted ON articles (deleted) WHERE deleted IS NOT NULL
        """,
    ),
    # 5: months (Korea time) whose archive documents must be written again (RFC 5005)
    (
        """
        CREATE TABLE archive_dirty (
            month TEXT PRIMARY KEY
        )
        """,
    ),
    # 6: article rows that no longer read, set aside by `feedbot doctor --quarantine` (issue 13)
    (
        """
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            row TEXT NOT NULL,              -- the whole articles row, as JSON
            reason TEXT NOT NULL,
            moved TEXT NOT NULL
        )
        """,
    ),
    # 7: a curator's label corrections (`feedbot label`, issue 16). No foreign key: an override
    # outlives its row (a quarantined story is fetched again as new and gets it back)
    (
        """
        CREATE TABLE label_overrides (
            article_id INTEGER PRIMARY KEY,
            add_topics TEXT NOT NULL,       -- JSON list of topic ids
            remove_topics TEXT NOT NULL,    -- JSON list of topic ids
            note TEXT NOT NULL,             -- the curator's own, never published
            set_at TEXT NOT NULL
        )
        """,
    ),
    # 8: the page archive (store/pages.py): the latest article page answered 200, raw and
    # compressed, for `feedbot reextract` (issue 14)
    (
        """
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,         -- the article id: one copy, the latest
            url TEXT NOT NULL,              -- where the bytes came from, after redirects
            fetched TEXT NOT NULL,          -- when they arrived (UTC ISO)
            confirmed TEXT NOT NULL,        -- the last 200 or 304: the copy was current then
            status INTEGER NOT NULL,
            content_type TEXT,
            etag TEXT,
            last_modified TEXT,
            size INTEGER NOT NULL,          -- bytes as received
            compression TEXT NOT NULL,
            body BLOB NOT NULL
        )
        """,
        """
        CREATE INDEX pages_fetched ON pages (fetched)
        """,
        """
        CREATE INDEX pages_confirmed ON pages (confirmed)
        """,
    ),
)
