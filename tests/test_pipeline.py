"""End to end against the replica on 127.0.0.1: `feedbot run --once`, second runs, changes,
failures. Every run here goes through real HTTP, the real store and real files."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest

from feedbot.cli import main
from feedbot.config import Config
from feedbot.errors import FetchError, SiteChangedError
from feedbot.fetch.robots import DENY_ALL
from feedbot.models import Attempts
from feedbot.ops.lock import run_lock
from feedbot.ops.runner import execute
from feedbot.render.atom import entry_id
from feedbot.replica import ReplicaServer
from feedbot.replica.server import Scripted
from feedbot.replica.stories import SEED_ID, SPECIALS, STORIES, Story
from feedbot.store.db import Store
from tests.helpers import fixed_now, jing_check, replica_config

# all.atom holds every story kept for at least one topic
KEPT_IDS = {s.id for s in STORIES if s.topics} | {SEED_ID}


def write_config(config: Config, path: Path) -> Path:
    path.write_text(
        f'[site]\nbase_url = "{config.site.base_url}"\n'
        f"[fetch]\nmin_interval_s = 0.0\njitter_s = 0.0\nretries = 1\nbackoff_s = 0.01\n"
        f'[store]\npath = "{config.store.path}"\n[output]\ndir = "{config.output.dir}"\n',
        encoding="utf-8",
    )
    return path


def article_requests(replica: ReplicaServer) -> list[str]:
    return [r.path for r in replica.requests if r.path.startswith("/article/")]


def test_run_once_stores_every_article_with_its_fields(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    assert main(["run", "--once", "--config", str(write_config(config, tmp_path / "c.toml"))]) == 0
    assert "new 45" in capsys.readouterr().out
    with Store(config.store.path) as store:
        assert store.count() == 45
        for story in STORIES:
            stored = store.get(story.id)
            assert stored is not None, story.id
            article = stored.article
            assert article.title == story.title
            assert article.published == story.published
            assert article.updated == story.updated
            assert article.member_only == story.member_only
            assert article.factpl_tag == (story.tag is not None)
            assert [a.name for a in article.authors] == [name for name, _ in story.authors]
            assert article.url == f"https://www.joongang.co.kr/article/{story.id}"
            assert article.body_text and "ADVERTISEMENT" not in article.body_text
        seed = store.get(SEED_ID)
        assert seed is not None and seed.article.provenance["published"] == "card"
        # the 404, the notice page and the redirect to another id are recorded, not stored
        assert store.failures() == {s.id: Attempts(1, True) for s in SPECIALS}
    feed = config.output.dir / "all.atom"
    jing_check(feed)
    parsed = feedparser.parse(feed.read_bytes())
    assert parsed.bozo == 0
    assert {e.id for e in parsed.entries} == {entry_id(i) for i in KEPT_IDS}


def test_second_run_sends_only_conditional_requests_and_rewrites_nothing(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    feed = config.output.dir / "all.atom"
    before = feed.read_bytes(), feed.stat().st_mtime_ns
    replica.clear_requests()
    report = execute(config, fixed_now)
    assert replica.requests and all(r.conditional for r in replica.requests)
    assert [r.path for r in replica.requests] == ["/factpl"]  # robots.txt came from the store
    assert report.feeds_written == ()
    assert (feed.read_bytes(), feed.stat().st_mtime_ns) == before


def test_a_new_story_costs_one_list_page_and_one_article(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    newest = STORIES[0]
    fresh = replace(
        newest,
        id=25401500,
        published=newest.published.replace(hour=23),
        title="새 기사: 생성 AI 규제 샌드박스 확대",
        updated=None,
        image=None,
        blocks=(
            "과기정통부가 생성 AI 서비스의 규제 샌드박스 적용 범위를 넓힌다. "
            "의료와 금융 분야의 AI 실증도 허용된다.",
        ),
    )
    replica.site.add(fresh)
    replica.clear_requests()
    report = execute(config, fixed_now)
    assert report.new == 1 and report.fetched == 1
    assert [r.path for r in replica.requests] == ["/factpl", "/article/25401500"]
    parsed = feedparser.parse((config.output.dir / "all.atom").read_bytes())
    assert parsed.entries[0].id == entry_id(25401500)
    assert parsed.entries[0].title == "새 기사: 생성 AI 규제 샌드박스 확대"


def test_significant_edit_updates_the_entry_and_an_ad_change_does_not(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    config = replace(config, site=replace(config.site, recheck_hours=0.0))
    execute(config, fixed_now)
    feed = config.output.dir / "all.atom"
    target: Story = STORIES[2]
    # markup-only change (an extra ad block): fetched again, but nothing significant
    replica.site.edit(target.id, extras=frozenset({"ads"}))
    before = feed.read_bytes()
    report = execute(config, fixed_now)
    assert report.updated == 0 and report.unchanged >= 1
    assert feed.read_bytes() == before
    # new text: the entry's updated moves to when the change was first seen
    replica.site.edit(target.id, blocks=(*target.blocks, "정부는 다음 달 세부 지침을 내놓는다."))
    report = execute(config, lambda: fixed_now() + timedelta(hours=1))
    assert report.updated == 1
    entry = next(
        e for e in feedparser.parse(feed.read_bytes()).entries if e.id == entry_id(target.id)
    )
    assert entry.updated == "2026-11-25T13:00:00+09:00"  # when the change was seen, in KST
    assert "세부 지침" in entry.content[0].value


def test_transient_failure_is_retried_on_the_next_run(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    victim = STORIES[5].id
    replica.script(f"/article/{victim}", Scripted(503), Scripted(503))  # both attempts fail
    report = execute(config, fixed_now)
    assert report.failed == 4 and report.new == 44
    with Store(config.store.path) as store:
        assert store.failures()[victim] == Attempts(1, False)
    replica.clear_requests()
    report = execute(config, fixed_now)  # list answers 304, the failed story is asked again
    assert report.new == 1
    assert article_requests(replica) == [f"/article/{victim}"]


def test_read_timeout_mid_body_skips_one_article(replica: ReplicaServer, tmp_path: Path) -> None:
    config = replica_config(replica, tmp_path, timeout_s=0.5, retries=0)
    victim = STORIES[1].id
    replica.script(
        f"/article/{victim}",
        Scripted(200, body=b"<html>" + b"x" * 5000, stall_after=100, stall_s=2.0),
    )
    report = execute(config, fixed_now)
    assert report.new == 44
    assert any("timed out" in line for line in report.failures)


def test_markup_change_keeps_the_last_good_feed(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    feed = config.output.dir / "all.atom"
    before = feed.read_bytes()
    redesigned = (
        b"<html><body><main id='container'><div class='new_design'></div></main></body></html>"
    )
    replica.script("/factpl", Scripted(200, headers={"ETag": '"new"'}, body=redesigned))
    with pytest.raises(SiteChangedError, match="no article cards"):
        execute(config, fixed_now)
    assert feed.read_bytes() == before
    replica.script("/factpl", Scripted(200, headers={"ETag": '"new"'}, body=redesigned))
    code = main(["run", "--config", str(write_config(config, tmp_path / "c.toml"))])
    assert code == 4
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and errors[0].startswith("feedbot: error: ")


def test_robots_disallowing_everything_fetches_nothing(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    replica.site.robots = DENY_ALL
    with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
        execute(replica_config(replica, tmp_path), fixed_now)
    assert [r.path for r in replica.requests] == ["/robots.txt"]
    assert not (tmp_path / "feeds" / "all.atom").exists()


def test_second_concurrent_run_exits_locked(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml")
    with run_lock(config.store.path):
        assert main(["run", "--once", "--config", str(path)]) == 3
    assert "another feedbot run" in capsys.readouterr().err
    assert replica.requests == []


@pytest.mark.slow
def test_demo_writes_a_valid_feed_and_a_second_demo_rewrites_nothing(tmp_path: Path) -> None:
    """Two separate processes, as a user runs them: nothing seeded per process (hash order,
    a library's HashMap) may leak into the bytes."""
    args = [
        sys.executable,
        "-m",
        "feedbot",
        "demo",
        "-q",
        "--out",
        str(tmp_path / "feeds"),
        "--store",
        str(tmp_path / "demo.db"),
        "--port",
        "0",
    ]
    first = subprocess.run(args, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert "new 45" in first.stdout and "failed 3" in first.stdout
    feed = tmp_path / "feeds" / "all.atom"
    jing_check(feed)
    before = feed.read_bytes()
    second = subprocess.run(args, capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert "feeds written: none" in second.stdout
    assert feed.read_bytes() == before


def test_after_an_unfinished_run_all_list_pages_are_read_again(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """A run killed after storing only the newest stories must not leave the older ones behind
    because page 1 now starts with known stories."""
    config = replica_config(replica, tmp_path)
    execute(replace(config, site=replace(config.site, max_pages=1)), fixed_now)  # page 1 only
    with Store(config.store.path) as store:
        assert store.count() < 45
        store.set_run_incomplete(True)  # as a killed run leaves it
    replica.clear_requests()
    assert execute(config, fixed_now).new > 0
    listed = [r.path for r in replica.requests if r.path.startswith("/factpl")]
    assert listed == ["/factpl", "/factpl?page=2", "/factpl?page=3"]
    assert not any(r.conditional for r in replica.requests if r.path.startswith("/factpl"))
    with Store(config.store.path) as store:
        assert store.count() == 45
        assert not store.run_incomplete()
