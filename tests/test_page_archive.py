"""The page archive (store/pages.py): every article page answered 200 kept raw and compressed in
the store, with its URL, fetch time, status and headers; kept while current, pruned at the end
of a run, never written with `archive.keep_days = 0`, never inside the output directory."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from feedbot.config import ArchiveConfig, Config, OutputConfig, StoreConfig, check_paths
from feedbot.errors import ConfigError, CorruptPage, SiteChangedError
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from feedbot.replica.stories import SPECIALS
from feedbot.store.db import Store
from feedbot.store.migrations import MIGRATIONS
from tests.helpers import fixed_now, replica_config

NOTICE = next(s.id for s in SPECIALS if s.kind == "notice")


def at(moment: datetime):  # type: ignore[no-untyped-def]
    return lambda: moment


def pages(config: Config) -> int:
    with Store(config.store.path) as store:
        return store.page_archive_size()[0]


def test_every_article_page_answered_200_is_kept_as_received(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    with Store(config.store.path) as store:
        stored = {i for i in store.archived_ids()}
        assert stored >= {
            s.article.id for s in store.latest(100)
        }  # every story stored has its page
        assert NOTICE in stored  # a 200 that is no article: kept for a later reextract
        count, raw, kept = store.page_archive_size()
        assert count == len(stored) and kept < raw / 2  # compressed
        story = store.latest(1)[0].article
        page = store.archived_page(story.id)
    served = replica.site.page(f"/article/{story.id}", {})
    assert page is not None and page.body == served.body
    assert page.url == f"{replica.url}/article/{story.id}" and page.status == 200
    assert page.content_type == "text/html; charset=UTF-8"
    assert page.etag and page.last_modified and page.fetched == fixed_now()


def test_a_304_keeps_the_copy_current_and_pruning_drops_only_stale_ones(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    config = replace(config, archive=ArchiveConfig(keep_days=1.0))
    start = fixed_now()
    execute(config, at(start))
    total = pages(config)
    # 7 h later the recent stories are re-checked: 304s, their copies confirmed current
    later = start + timedelta(hours=7)
    execute(config, at(later))
    with Store(config.store.path) as store:
        confirmed = {i: store.archived_page(i).confirmed for i in store.archived_ids()}  # type: ignore[union-attr]
    rechecked = {i for i, when in confirmed.items() if when == later}
    assert rechecked and len(rechecked) < total
    # a day and a bit after the re-check, only the re-checked copies are within keep_days
    execute(config, at(start + timedelta(hours=26)))
    with Store(config.store.path) as store:
        assert set(store.archived_ids()) == rechecked
        assert store.archived_page(next(iter(rechecked))) is not None


def test_keep_days_0_never_writes_the_archive_and_empties_it(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(replace(config, archive=ArchiveConfig(keep_days=0.0)), fixed_now)
    assert pages(config) == 0
    with Store(config.store.path) as store:
        assert store.count() == 45
    # an archive written before it was switched off goes at the end of the next run
    replica_two = replace(config, store=StoreConfig(tmp_path / "two.db"))
    execute(replica_two, fixed_now)
    assert pages(replica_two) > 0
    execute(replace(replica_two, archive=ArchiveConfig(keep_days=0.0)), fixed_now)
    assert pages(replica_two) == 0


def test_an_unhealthy_run_archives_nothing(replica: ReplicaServer, tmp_path: Path) -> None:
    config = replica_config(replica, tmp_path)
    replica.site.redesigns.add("renamed-body")
    with pytest.raises(SiteChangedError):
        execute(config, fixed_now)
    assert pages(config) == 0


def test_the_store_and_its_archive_may_not_be_inside_the_output(tmp_path: Path) -> None:
    config = Config(
        store=StoreConfig(tmp_path / "feeds" / "feedbot.db"),
        output=OutputConfig(tmp_path / "feeds"),
    )
    (tmp_path / "feeds").mkdir()
    with pytest.raises(ConfigError, match=r"store\.path: .* is inside output\.dir"):
        check_paths(config)


def test_a_copy_that_does_not_decompress_is_a_corrupt_page(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    with Store(config.store.path) as store:
        first, second = store.archived_ids()[:2]
        store.db.execute("UPDATE pages SET body = ? WHERE id = ?", (b"not zlib", first))
        store.db.execute("UPDATE pages SET size = size + 1 WHERE id = ?", (second,))
        with pytest.raises(CorruptPage, match=rf"article {first}: .*does not decompress"):
            store.archived_page(first)
        with pytest.raises(CorruptPage, match=rf"article {second}: .* bytes, not"):
            store.archived_page(second)


def test_an_older_store_gains_the_archive_and_keeps_its_stories(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for statements in MIGRATIONS[:5]:
        for statement in statements:
            db.execute(statement)
    db.execute("PRAGMA user_version = 5")
    db.execute(
        "INSERT INTO articles (id, url, title, sort_time, data, content_hash, first_seen,"
        " last_fetched, changed) VALUES (1, 'u', 't', 's', '{}', 'h', 'f', 'l', 'c')"
    )
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert store.page_archive_size() == (0, 0, 0)
        assert store.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
