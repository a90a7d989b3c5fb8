"""One story fails alone: whatever goes wrong while fetching, extracting, classifying, storing
or rendering it, the run goes on, the other stories are published, and the broken one is named
with its URL and retried later. A stored story that cannot be made valid Atom is left out of its
feed with a note instead of freezing the feed."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest

import feedbot.pipeline.harvest
from feedbot.errors import PublishError
from feedbot.extract import parse_article
from feedbot.models import Attempts, Author
from feedbot.ops.runner import execute
from feedbot.publish.build import write_output
from feedbot.replica import ReplicaServer
from feedbot.store.db import Store
from tests.helpers import fixed_now, fresh_story, jing_check, replica_config

VICTIM_ID = 25402001


def test_an_unexpected_exception_fails_one_story_and_the_run_goes_on(
    replica: ReplicaServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug (here: the extractor raising KeyError on one page) is an internal error of that
    story: logged with its URL and traceback, recorded as a transient failure, and retried."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    replica.site.add(fresh_story(1))
    replica.site.add(fresh_story(2))

    def flaky(html: str, url: str, base: str):  # type: ignore[no-untyped-def]
        if url.endswith(f"/{VICTIM_ID}"):
            raise KeyError("datePublished")
        return parse_article(html, url, base)

    monkeypatch.setattr(feedbot.pipeline.harvest, "parse_article", flaky)
    report = execute(config, fixed_now)
    assert report.new == 1 and report.failed == 1  # fresh_story(2) arrives, the victim fails
    assert f"url=http://{replica.url.split('//')[1]}/article/{VICTIM_ID}" in caplog.text
    assert "internal error: KeyError: 'datePublished'" in caplog.text
    assert "Traceback" in caplog.text
    with Store(config.store.path) as store:
        assert store.failures()[VICTIM_ID] == Attempts(1, False)
    monkeypatch.undo()
    assert execute(config, fixed_now).new == 1  # the next run, without the bug, gets it


def test_a_story_the_store_refuses_fails_alone_and_is_named_in_the_report(
    replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data the store cannot write (here: a UnicodeEncodeError, as a lone surrogate once caused)
    costs that story: the others are stored, the report counts it and gives its one-line
    reason with its URL, and the next run tries it again."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    replica.site.add(fresh_story(1))
    replica.site.add(fresh_story(2))
    real = Store.save_article

    def refusing(self, article, *args, **kwargs):  # type: ignore[no-untyped-def]
        if article.id == VICTIM_ID:
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(self, article, *args, **kwargs)

    monkeypatch.setattr(Store, "save_article", refusing)
    report = execute(config, fixed_now)
    assert (report.new, report.failed) == (1, 1)
    [reason] = report.failures
    assert reason.endswith(
        f"/article/{VICTIM_ID}: internal error while storing: "
        "UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' "
        "in position 0: surrogates not allowed"
    )
    with Store(config.store.path) as store:
        assert store.failures()[VICTIM_ID] == Attempts(1, False)
    monkeypatch.undo()
    assert execute(config, fixed_now).new == 1


def test_a_stored_email_that_fails_the_schema_does_not_freeze_the_feed(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """A store written before e-mails were checked holds an author e-mail "hong": render drops
    it, and the feed and its archives stay valid and published."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    with Store(config.store.path) as store:
        row = store.db.execute("SELECT id, data FROM articles LIMIT 1").fetchone()
        data = json.loads(row["data"])
        data["authors"] = [{"name": "홍길동", "email": "hong"}]
        data["image"] = "javascript:alert(1)"
        store.db.execute("UPDATE articles SET data = ? WHERE id = ?", (json.dumps(data), row["id"]))
        store.db.execute("INSERT OR IGNORE INTO archive_dirty (month) VALUES ('2026-11')")
        write_output(replace(config, output=replace(config.output, feed_size=5)), store)
    for name in ("all.atom", "ai.atom", "crypto.atom", "sme.atom"):
        path = config.output.dir / name
        assert b"<email>hong</email>" not in path.read_bytes()
        assert b"javascript:" not in path.read_bytes()
        jing_check(path)


@pytest.mark.parametrize("bad", ["\ufffe", "\ud800"])
def test_a_stored_image_url_xml_cannot_carry_does_not_freeze_the_feed(
    replica: ReplicaServer, tmp_path: Path, bad: str
) -> None:
    """A store written before images were checked for them holds U+FFFE or a lone surrogate in
    an image URL: lxml refused the whole feed for it, on every run. Render drops the image; every
    feed, RSS included, stays well-formed."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    with Store(config.store.path) as store:
        row = store.db.execute("SELECT id, data FROM articles LIMIT 1").fetchone()
        data = json.loads(row["data"])
        data["image"] = f"https://pds.joongang.co.kr/a{bad}.jpg"
        store.db.execute("UPDATE articles SET data = ? WHERE id = ?", (json.dumps(data), row["id"]))
        store.db.execute("DELETE FROM meta WHERE key = 'published_feeds'")
        report = write_output(config, store)
    assert not [n for n in report.notes if "left out" in n]
    for name in ("all.atom", "all.rss"):
        data = (config.output.dir / name).read_bytes()
        assert feedparser.parse(data).bozo == 0 and "a\ufffe".encode() not in data
        assert str(row["id"]).encode() in data
    jing_check(config.output.dir / "all.atom")


@pytest.mark.parametrize("poison", ["an invalid author", "a string lxml refuses"])
def test_an_entry_that_cannot_be_valid_is_left_out_with_a_note(
    replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, poison: str
) -> None:
    """Whatever makes one entry invalid (here a forged author element, or a value lxml refuses
    with ValueError rather than a publishing error), the feed is published without that entry,
    and the output report names it; the other entries stay."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    import feedbot.render.atom

    real = feedbot.render.atom._add_entry
    with Store(config.store.path) as store:
        victim = store.latest(1, topic="crypto")[0].article.id

    def poisoned(fg, stored, titles):  # type: ignore[no-untyped-def]
        if stored.article.id == victim and poison == "a string lxml refuses":
            raise ValueError("All strings must be XML compatible")
        entry = real(fg, stored, titles)
        if stored.article.id == victim:
            entry.author({"name": "x", "email": "hong"})  # fails the Atom schema (no "@")
        return entry

    monkeypatch.setattr(feedbot.render.atom, "_add_entry", poisoned)
    with Store(config.store.path) as store:
        store.db.execute("DELETE FROM meta WHERE key = 'published_feeds'")
        (config.output.dir / "crypto.atom").unlink()
        report = write_output(config, store)
    assert any(f"crypto.atom: article {victim} left out" in note for note in report.notes)
    feed = feedparser.parse((config.output.dir / "crypto.atom").read_bytes())
    ids = [e.id.rsplit("/", 1)[1] for e in feed.entries]
    assert str(victim) not in ids and len(ids) > 5
    jing_check(config.output.dir / "crypto.atom")


def test_a_symlink_planted_as_a_folder_is_never_written_through(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """`archive/` replaced by a link to a directory outside: the archives are refused with a
    line naming them, the feeds that need them keep their last good copy, and nothing outside
    the output directory is written."""
    outside = tmp_path / "outside"
    outside.mkdir()
    config = replica_config(replica, tmp_path)
    config = replace(config, output=replace(config.output, feed_size=5))
    config.output.dir.mkdir()
    os.symlink(outside, config.output.dir / "archive")
    with pytest.raises(PublishError, match="archive"):
        execute(config, fixed_now)
    assert list(outside.iterdir()) == []


def test_a_symlink_planted_as_a_feed_is_replaced_not_followed(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    config = replica_config(replica, tmp_path)
    config.output.dir.mkdir()
    os.symlink(outside, config.output.dir / "ai.atom")
    execute(config, fixed_now)
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not (config.output.dir / "ai.atom").is_symlink()
    jing_check(config.output.dir / "ai.atom")


def test_a_damaged_row_is_skipped_and_doctor_sets_it_aside(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from feedbot.cli import main

    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    with Store(config.store.path) as store:
        victim = store.latest(1)[0].article.id
        store.db.execute("UPDATE articles SET data = '{not json' WHERE id = ?", (victim,))
    replica.site.add(fresh_story(1))
    report = execute(config, fixed_now)  # the damaged row must not stop the run
    assert report.new == 1
    store_arg = ["--store", str(config.store.path)]
    assert main(["doctor", *store_arg]) == 0
    assert f"article {victim}: unreadable row" in capsys.readouterr().out
    assert main(["doctor", "--quarantine", *store_arg]) == 0
    assert "1 rows moved to the quarantine table" in capsys.readouterr().out
    assert main(["doctor", *store_arg]) == 0
    assert "every row reads" in capsys.readouterr().out
    with Store(config.store.path) as store:
        assert store.get(victim) is None
        assert store.db.execute("SELECT COUNT(*) FROM quarantine").fetchone()[0] == 1


def test_an_author_list_of_any_size_is_stored_bounded(tmp_path: Path) -> None:
    from feedbot.pipeline.plan import MAX_AUTHORS, prepare
    from tests.helpers import article

    many = article(authors=tuple(Author(f"기자{i}", None) for i in range(500)))
    assert len(prepare(many).authors) == MAX_AUTHORS


DAMAGE = {
    "author e-mail a number": 'UPDATE articles SET data = json_set(data, \'$.authors\', json(\'[{"name": "홍", "email": 7}]\')) WHERE id = {id}',
    "published in year 1": "UPDATE articles SET data = json_set(data, '$.published', '0001-01-01T00:00:00+09:00') WHERE id = {id}",
    "published without offset": "UPDATE articles SET data = json_set(data, '$.published', '2026-11-01T09:00:00') WHERE id = {id}",
    "data nested 200,000 deep": "UPDATE articles SET data = '"
    + "[" * 200_000
    + "]" * 200_000
    + "' WHERE id = {id}",
    "topics nested deep": "UPDATE articles SET topics = '"
    + "[" * 100_000
    + "]" * 100_000
    + "' WHERE id = {id}",
    "sort_time empty": "UPDATE articles SET sort_time = '' WHERE id = {id}",
    "deleted garbage": "UPDATE articles SET deleted = 'zzz' WHERE id = {id}",
    "last_fetched garbage": "UPDATE articles SET last_fetched = 'x' WHERE id = {id}",
    "robots fetched garbage": "UPDATE robots SET fetched = 'yesterday'",
    "robots fetched without offset": "UPDATE robots SET fetched = '2026-11-25T00:00:00'",
    "robots body a blob": "UPDATE robots SET body = x'00ff'",
    "a run report nested deep": "INSERT INTO runs (started, finished, result, report) VALUES ('a', 'b', 'ok', '"
    + "[" * 100_000
    + "]" * 100_000
    + "')",
    "a run report with extracted a string": "INSERT INTO runs (started, finished, result, report) VALUES ('a', 'b', 'ok', '{\"extracted\": \"5\", \"fill\": {\"title\": 1}}')",
    "an impossible dirty month": "INSERT INTO archive_dirty (month) VALUES ('13-99')",
    "a non-ASCII ETag": "UPDATE http_cache SET etag = '\"한글\"'",
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_row_of_any_kind_never_stops_a_run(
    replica: ReplicaServer, tmp_path: Path, damage: str
) -> None:
    """Each kind of damage an outside tester put into the store: the next runs succeed, the
    feeds stay valid, and doctor does not crash on it."""
    from feedbot.cli import main

    config = replica_config(replica, tmp_path)
    config = replace(config, output=replace(config.output, feed_size=5))  # archives too
    execute(config, fixed_now)
    with Store(config.store.path) as store:
        victim = store.latest(1)[0].article.id
        store.db.execute(DAMAGE[damage].replace("{id}", str(victim)))
    replica.site.add(fresh_story(1))
    assert execute(config, fixed_now).new >= 0
    assert execute(config, fixed_now) is not None  # and the run after that
    for name in ("all.atom", "crypto.atom"):
        data = (config.output.dir / name).read_bytes()
        assert feedparser.parse(data).bozo == 0
    assert main(["doctor", "--store", str(config.store.path)]) == 0


def test_a_fifo_planted_as_a_feed_does_not_hang_the_run(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    config.output.dir.mkdir()
    os.mkfifo(config.output.dir / "ai.atom")
    execute(config, fixed_now)  # returns: the FIFO is replaced, not read from
    assert (config.output.dir / "ai.atom").is_file()


def test_a_stored_link_that_is_not_http_never_reaches_any_output(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    with Store(config.store.path) as store:
        row = store.db.execute("SELECT id, data FROM articles LIMIT 1").fetchone()
        data = json.loads(row["data"])
        data["url"] = "javascript:alert(1)"
        store.db.execute("UPDATE articles SET data = ? WHERE id = ?", (json.dumps(data), row["id"]))
        store.db.execute("DELETE FROM meta WHERE key = 'published_feeds'")
        write_output(config, store)
    for path in config.output.dir.rglob("*"):
        if path.is_file() and path.suffix in (".atom", ".rss", ".json", ".html", ".opml"):
            assert b"javascript:" not in path.read_bytes(), path.name
