"""`feedbot reextract`: the stored stories read again from the page archive, with no request to
the site; a per-field summary; --dry-run changes nothing; bad input per issue 14."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from feedbot.cli import main
from feedbot.config import ArchiveConfig, Config
from feedbot.errors import ExtractError
from feedbot.extract import parse_article
from feedbot.fetch import http
from feedbot.models import Article, article_to_dict
from feedbot.normalize import KST
from feedbot.ops.lock import run_lock
from feedbot.ops.runner import execute
from feedbot.pipeline import harvest
from feedbot.replica import ReplicaServer, ReplicaSite
from feedbot.replica.stories import STORIES
from feedbot.store.db import Store
from tests.helpers import fixed_now, jing_check, replica_config, write_config

REPORTERS = {s.id: [n for n, _ in s.authors] for s in STORIES}


def broken_extractor(html: str, url: str, canonical_base: str) -> Article:
    """What a selector broken by a markup change stores: no bylines, the body cut short."""
    article = parse_article(html, url, canonical_base)
    return replace(
        article,
        authors=(),
        body_text=article.body_text.split("\n\n")[0],
        body_html=article.body_html.split("\n")[0],
        provenance={k: v for k, v in article.provenance.items() if k != "authors"},
    )


def damaged_run(replica: ReplicaServer, root: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """A run on the replica that stores what `broken_extractor` reads (the pages archived as
    they were served)."""
    config = replica_config(replica, root)
    with monkeypatch.context() as patch:
        patch.setattr(harvest, "parse_article", broken_extractor)
        execute(config, fixed_now)
    return config


def stored(config: Config) -> dict[int, dict[str, object]]:
    with Store(config.store.path) as store:
        return {s.article.id: article_to_dict(s.article) for s in store.latest(1000)}


def no_fetcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any Fetcher built from here on fails the test: reextract must not need one."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("reextract constructed a Fetcher")

    monkeypatch.setattr(http.Fetcher, "__init__", refuse)


def test_reextract_repairs_every_damaged_story_without_a_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's 'done when': a run on the replica stores damaged fields (a broken
    extractor), the replica is stopped, reextract repairs every story from the archive: the
    store then holds exactly what a good run stores, and the feeds show it."""
    with ReplicaServer(ReplicaSite()) as replica:  # the reference: a good run
        good = replica_config(replica, tmp_path / "good")
        good.store.path.parent.mkdir()
        execute(good, fixed_now)
    with ReplicaServer(ReplicaSite()) as replica:
        (tmp_path / "broken").mkdir()
        config = damaged_run(replica, tmp_path / "broken", monkeypatch)
        url = replica.url
        replica.clear_requests()
    damaged = stored(config)
    assert all(not d["authors"] for d in damaged.values())
    path = write_config(config, tmp_path / "c.toml")
    no_fetcher(monkeypatch)
    capsys.readouterr()
    assert main(["reextract", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert replica.requests == []  # and the server is gone: any request would have failed
    repaired = stored(config)
    assert repaired == stored(good)  # every field, provenance and warning
    assert len(repaired) == 45 and url in str(path.read_text())
    with_reporters = sum(1 for s in STORIES if s.authors)
    assert f"authors: {with_reporters} stories changed" in out
    assert "reextract: 46 archived pages read, no request sent" in out  # + the notice page
    assert "skipped 25400690: does not extract (not an article page" in out
    feed = feedparser.parse((config.output.dir / "all.atom").read_bytes())
    assert feed.bozo == 0
    names = {a.name for e in feed.entries for a in e.get("authors", [])}
    assert {n for ns in REPORTERS.values() for n in ns} & names
    jing_check(config.output.dir / "all.atom")
    with Store(config.store.path) as store:
        result, report = store.runs(1)[0]
    assert result == "reextract" and report["requests"] == 0 and report["updated"] >= 30
    status = json.loads(config.status_file.read_text())
    assert status["last_run"]["result"] == "reextract"
    # the last scrape, not this
    assert datetime.fromisoformat(status["last_success"]) == fixed_now()


def test_a_repair_of_the_text_moves_updated_a_repair_of_bylines_does_not(
    replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = damaged_run(replica, tmp_path, monkeypatch)
    with Store(config.store.path) as store:
        before = {s.article.id: s for s in store.latest(100)}
    later = fixed_now() + timedelta(days=2)
    from feedbot.ops.runner import execute_reextract

    execute_reextract(config, since=None, ids=None, dry_run=False, now=lambda: later)
    with Store(config.store.path) as store:
        after = {s.article.id: s for s in store.latest(100)}
    for story_id, old in before.items():
        new = after[story_id]
        assert new.last_fetched == old.last_fetched  # nothing was fetched
        text_changed = new.article.body_text != old.article.body_text
        assert new.changed == (later if text_changed else old.changed), story_id
    assert any(a.changed == later for a in after.values())
    assert any(a.changed != later for a in after.values())  # one-paragraph stories


def test_dry_run_changes_nothing_and_says_what_would(
    replica: ReplicaServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = damaged_run(replica, tmp_path, monkeypatch)
    path = write_config(config, tmp_path / "c.toml")
    before = stored(config)
    with Store(config.store.path) as store:
        runs = len(store.runs(100))
    files = {p: p.read_bytes() for p in config.output.dir.iterdir()}
    capsys.readouterr()
    assert main(["reextract", "--dry-run", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "stories: " in out and "would change" in out and "authors: " in out
    assert out.rstrip().endswith("dry run: nothing was changed")
    assert stored(config) == before
    with Store(config.store.path) as store:
        assert len(store.runs(100)) == runs
    assert {p: p.read_bytes() for p in config.output.dir.iterdir()} == files


def test_an_empty_archive_has_nothing_to_do(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replace(replica_config(replica, tmp_path), archive=ArchiveConfig(keep_days=0.0))
    execute(config, fixed_now)
    path = write_config(config, tmp_path / "c.toml")
    capsys.readouterr()
    assert main(["reextract", "--config", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "the page archive is empty: nothing to do"
    tomorrow = (datetime.now(KST) - timedelta(days=1)).date().isoformat()
    assert main(["reextract", "--since", tomorrow, "--config", str(path)]) == 0
    assert "nothing to do" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01"], "--since: not a date (YYYY-MM-DD): '2026-13-01'"),
        (["--since", "20261120"], "--since: not a date"),
        (["--since", "yesterday"], "--since: not a date"),
        (["--since", "2999-01-01"], "--since: 2999-01-01 is in the future"),
    ],
)
def test_a_bad_since_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f'[store]\npath = "{tmp_path / "s.db"}"\n', encoding="utf-8")
    assert main(["reextract", *args, "--config", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_bad_ids_and_both_selections_are_exit_2(tmp_path: Path) -> None:
    assert main(["reextract", "--ids", "0"]) == 2
    assert main(["reextract", "--ids", "x1"]) == 2
    assert main(["reextract", "--ids", "25400001", "--since", "2026-01-01"]) == 2


def test_no_store_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f'[store]\npath = "{tmp_path / "none.db"}"\n', encoding="utf-8")
    assert main(["reextract", "--config", str(path)]) == 2
    assert "store.path: no store at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_corrupt_and_unparsable_pages_are_reported_and_their_stories_untouched(
    replica: ReplicaServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = damaged_run(replica, tmp_path, monkeypatch)
    with Store(config.store.path) as store:
        first, second, third = (s.article.id for s in store.latest(3))
        store.db.execute("UPDATE pages SET body = x'00ff00' WHERE id = ?", (first,))
        store.db.execute(
            "UPDATE pages SET body = ?, size = ? WHERE id = ?",
            (__import__("zlib").compress(b"<p>gone</p>"), 11, second),
        )
    before = stored(config)
    path = write_config(config, tmp_path / "c.toml")
    no_fetcher(monkeypatch)
    capsys.readouterr()
    ids = [str(first), str(second), str(third), "25499999"]
    assert main(["reextract", "--ids", *ids, "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"skipped {first}: corrupt archive entry (archived page does not decompress" in out
    assert f"skipped {second}: does not extract (not an article page" in out
    assert "not in the archive: 25499999" in out
    assert "stories: 1 changed, 0 new, 0 unchanged, 2 skipped" in out
    after = stored(config)
    assert after[first] == before[first] and after[second] == before[second]
    assert after[third] != before[third]


def test_a_page_that_failed_to_extract_is_stored_once_it_extracts(
    replica: ReplicaServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A failure to extract is permanent for runs (never fetched again); the archive keeps the
    page, and reextract with the fixed extractor stores the story."""
    story = next(s for s in STORIES[3:] if s.topics)
    victim = story.id

    def fails_on_victim(html: str, url: str, canonical_base: str) -> Article:
        if url.endswith(f"/{victim}"):
            raise ExtractError(url, "no article body (#article_body)")
        return parse_article(html, url, canonical_base)

    config = replica_config(replica, tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(harvest, "parse_article", fails_on_victim)
        execute(config, fixed_now)
    with Store(config.store.path) as store:
        assert store.get(victim) is None and store.failures()[victim].permanent
    path = write_config(config, tmp_path / "c.toml")
    capsys.readouterr()
    assert main(["reextract", "--ids", str(victim), "--config", str(path)]) == 0
    assert "stories: 0 changed, 1 new, 0 unchanged, 0 skipped" in capsys.readouterr().out
    with Store(config.store.path) as store:
        saved = store.get(victim)
        assert saved is not None and saved.article.title == story.title
        assert victim not in store.failures()
        assert set(saved.topics.labels) == set(story.topics)  # classified too


def test_reextract_waits_for_no_one_the_lock_says_exit_3(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    path = write_config(config, tmp_path / "c.toml")
    with run_lock(config.store.path):
        assert main(["reextract", "--config", str(path)]) == 3
