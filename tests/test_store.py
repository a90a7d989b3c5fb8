"""The SQLite store: schema versions, significant-change tracking, validators, failures."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from feedbot.errors import StoreError
from feedbot.models import Attempts
from feedbot.normalize import KST
from feedbot.store.db import Store
from feedbot.store.migrations import MIGRATIONS
from tests.helpers import T0, article, save


def test_new_store_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_keeps_articles(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        save(store, article(), T0)
    with Store(tmp_path / "s.db") as store:
        stored = store.get(25400001)
        assert stored is not None and stored.article == article()


def test_change_is_significant_only_when_text_changes(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert save(store, article(), T0) == "new"
        # same text, different markup and image: not significant
        later = T0 + timedelta(hours=1)
        same = article(body_html="<p><strong>본문</strong></p>", image="https://pds/x.jpg")
        assert save(store, same, later) == "unchanged"
        stored = store.get(25400001)
        assert stored is not None and stored.changed == T0 and stored.last_fetched == later
        # new words: significant, and `changed` moves to when it was first seen
        much_later = T0 + timedelta(hours=2)
        assert save(store, article(body_text="본문이 고쳐졌다"), much_later) == "updated"
        stored = store.get(25400001)
        assert stored is not None and stored.changed == much_later and stored.first_seen == T0


def test_latest_orders_by_publish_time_and_limits(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for offset in range(5):
            published = datetime(2026, 11, 20 + offset, tzinfo=KST)
            save(store, article(25400010 + offset, published=published), T0)
        ids = [s.article.id for s in store.latest(3)]
        assert ids == [25400014, 25400013, 25400012]


def test_validators_are_saved_with_the_article(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        save(store, article(), T0)
        assert store.validators("http://x/article/25400001") == ('"e"', None)


def test_failures_count_attempts_and_clear_on_success(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.record_failure(25400001, "http://x/a", "HTTP 503", T0, permanent=False)
        store.record_failure(25400001, "http://x/a", "HTTP 503", T0, permanent=False)
        store.record_failure(25400002, "http://x/b", "HTTP 404", T0, permanent=True)
        assert store.failures() == {25400001: Attempts(2, False), 25400002: Attempts(1, True)}
        assert store.retryable(5) == [25400001]
        save(store, article(), T0)
        assert 25400001 not in store.failures()


def test_corrupt_file_is_a_clear_store_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"s\.db"):
        Store(path)
    assert path.read_bytes().startswith(b"this is not")  # nothing destroyed


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError), store.transaction() as db:
            db.execute("INSERT INTO robots (origin, body, fetched) VALUES ('o', 'b', 'f')")
            raise RuntimeError("crash mid-transaction")
        assert store.get_robots("o") is None
