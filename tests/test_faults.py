"""Fault injection against the local replica: after every fault the published feeds are valid
and unchanged or correctly updated, nothing stored is lost, the exit code and the log line are
the documented ones, and the next normal run recovers. Each fault is bounded in time."""

from __future__ import annotations

import errno
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import feedparser
import pytest

from feedbot.cli import main
from feedbot.config import Config
from feedbot.errors import FetchError, PublishError, StoreError
from feedbot.models import Attempts
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from feedbot.replica.server import Scripted
from feedbot.replica.stories import STORIES
from feedbot.store.db import Store
from tests.helpers import fixed_now, fresh_story, jing_check, replica_config, write_config

FEEDS = ("all.atom", "ai.atom", "crypto.atom", "sme.atom")


def snapshot(config: Config) -> dict[str, bytes]:
    return {name: (config.output.dir / name).read_bytes() for name in FEEDS}


def assert_feeds_valid(config: Config) -> None:
    for name in FEEDS:
        path = config.output.dir / name
        assert feedparser.parse(path.read_bytes()).bozo == 0, name
    jing_check(config.output.dir / "all.atom")


VICTIM = "/article/25402001"  # the waiting story's page


@pytest.mark.parametrize(
    ("name", "responses"),
    [
        (
            "read timeout mid-body",
            [Scripted(200, body=b"<html>" + b"x" * 4000, stall_after=50, stall_s=1.5)] * 2,
        ),
        ("connection reset", [Scripted(200, body=b"<html>" * 100, stall_after=10, reset=True)] * 2),
        ("TLS-like garbage", [Scripted(raw=b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")] * 2),
        ("500 twice", [Scripted(500), Scripted(500)]),
        ("502 twice", [Scripted(502), Scripted(502)]),
        ("503 Retry-After twice", [Scripted(503, headers={"Retry-After": "0"})] * 2),
        (
            "truncated body",
            [
                Scripted(
                    200,
                    headers={"Content-Length": "5000"},
                    body=b"<html><h1",
                    stall_after=9,
                    stall_s=0.0,
                    reset=True,
                )
            ]
            * 2,
        ),
    ],
)
def test_transient_article_faults_are_retried_later(
    replica: ReplicaServer,
    good: Config,
    name: str,
    responses: list[Scripted],
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = replace(good, fetch=replace(good.fetch, timeout_s=0.5))
    before = snapshot(config)
    replica.script(VICTIM, *responses)
    report = execute(config, fixed_now)
    assert report.new == 0 and report.failed == 1, name
    assert snapshot(config) == before  # nothing new, nothing lost
    assert "article skipped url=" in caplog.text and "(will not retry)" not in caplog.text
    with Store(config.store.path) as store:
        assert store.count() == 45
        assert store.failures()[25402001] == Attempts(1, False)
    report = execute(config, fixed_now)  # the fault is gone: the story arrives
    assert report.new == 1
    assert_feeds_valid(config)


@pytest.mark.parametrize(
    ("name", "response", "reason"),
    [
        ("empty 200", Scripted(200, body=b""), "not an article page"),
        ("binary garbage", Scripted(200, body=bytes(range(256)) * 40), "not an article page"),
        (
            "not an article",
            Scripted(200, body=b"<html><body><p>login</p></body></html>"),
            "not an article page",
        ),
        ("403", Scripted(403), "HTTP 403"),
    ],
)
def test_bad_article_pages_are_skipped_with_their_reason(
    replica: ReplicaServer,
    good: Config,
    name: str,
    response: Scripted,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = snapshot(good)
    replica.script(VICTIM, response)
    report = execute(good, fixed_now)
    assert report.failed == 1 and report.new == 0, name
    assert reason in caplog.text
    assert snapshot(good) == before
    assert_feeds_valid(good)


def test_50_mb_page_is_cut_at_the_size_cap(replica: ReplicaServer, good: Config) -> None:
    config = replace(good, fetch=replace(good.fetch, max_bytes=5_000_000))
    big = b"<html>" + b"a" * 50_000_000
    replica.script(
        VICTIM,
        Scripted(200, headers={"Content-Length": str(len(big))}, body=big),
        Scripted(200, headers={"Transfer-Encoding": "identity"}, body=big, chunks=50),
    )
    started = time.monotonic()
    report = execute(config, fixed_now)
    assert any("over 5000000" in line for line in report.failures)
    assert time.monotonic() - started < 20


def test_control_characters_and_lone_surrogates_in_a_title(
    replica: ReplicaServer, good: Config
) -> None:
    story = fresh_story(1)
    replica.site.edit(story.id, title="제어\x01문자와 &#xD800; 외톨이 서로게이트 \ufffe 제목")
    report = execute(good, fixed_now)
    assert report.new == 1
    assert_feeds_valid(good)
    titles = [
        e.title for e in feedparser.parse((good.output.dir / "all.atom").read_bytes()).entries
    ]
    assert any(t.startswith("제어문자와") for t in titles)


def test_euc_kr_page_without_charset_header(replica: ReplicaServer, good: Config) -> None:
    from feedbot.replica.pages import article_page

    page = article_page(fresh_story(1)).replace('<meta charset="utf-8">', '<meta charset="euc-kr">')
    replica.script(
        VICTIM,
        Scripted(
            200, headers={"Content-Type": "text/html"}, body=page.encode("cp949", errors="replace")
        ),
    )
    assert execute(good, fixed_now).new == 1
    with Store(good.store.path) as store:
        stored = store.get(25402001)
    assert stored is not None and stored.article.title == fresh_story(1).title


def test_429_with_http_date_is_waited_out(replica: ReplicaServer, good: Config) -> None:
    """Retry-After as an HTTP-date is read against the run's clock and waited out (the wait is
    recorded by the injected sleep instead of spent)."""
    soon = format_datetime(fixed_now() + timedelta(seconds=3), usegmt=True)
    replica.script(VICTIM, Scripted(429, headers={"Retry-After": soon}))
    waits: list[float] = []
    assert execute(good, fixed_now, sleep=waits.append).new == 1
    assert 3.0 in waits


def test_list_page_5xx_fails_the_run_with_exit_1(
    replica: ReplicaServer, good: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(good)
    replica.script("/factpl", *[Scripted(502)] * 2)
    path = write_config(good, tmp_path / "c.toml")
    assert main(["-q", "run", "--config", str(path)]) == 1
    assert capsys.readouterr().err.strip().endswith("/factpl: HTTP 502")
    assert snapshot(good) == before
    assert main(["-q", "run", "--config", str(path)]) == 0  # recovers


def test_unresolvable_host_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.toml").write_text(
        '[site]\nbase_url = "http://feedbot-test.invalid"\n'
        "[fetch]\nretries = 0\nmin_interval_s = 0.0\nconnect_timeout_s = 2.0\n"
        f'[store]\npath = "{tmp_path / "s.db"}"\n[output]\ndir = "{tmp_path / "out"}"\n',
        encoding="utf-8",
    )
    assert main(["-q", "run", "--config", str(tmp_path / "c.toml")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "connection failed" in err[0] and "feedbot-test.invalid" in err[0]


def test_connection_refused_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "c.toml").write_text(
        f'[site]\nbase_url = "http://127.0.0.1:{port}"\n[fetch]\nretries = 1\nbackoff_s = 0.01\n'
        f'min_interval_s = 0.0\n[store]\npath = "{tmp_path / "s.db"}"\n'
        f'[output]\ndir = "{tmp_path / "out"}"\n',
        encoding="utf-8",
    )
    assert main(["-q", "run", "--config", str(tmp_path / "c.toml")]) == 1
    assert "connection failed (ConnectError" in capsys.readouterr().err


def test_robots_5xx_disallows_for_the_run_and_404_allows(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    replica.script("/robots.txt", *[Scripted(503)] * 2)
    with pytest.raises(FetchError, match="disallowed by robots"):
        execute(config, fixed_now)
    assert not any(r.path.startswith("/factpl") for r in replica.requests)
    replica.script("/robots.txt", Scripted(404))
    assert execute(config, fixed_now).new == 45


def test_redirects_off_host_and_in_loops_skip_the_article(
    replica: ReplicaServer, good: Config
) -> None:
    replica.script(VICTIM, Scripted(302, headers={"Location": "https://evil.example/x"}))
    report = execute(good, fixed_now)
    assert any("leaves the allowed hosts" in line for line in report.failures)
    assert not any("evil" in r.path for r in replica.requests)


@pytest.mark.slow
def test_kill_9_at_random_points_never_corrupts(replica: ReplicaServer, tmp_path: Path) -> None:
    """20 runs killed at random moments (mid-fetch, mid-transaction, mid-write): afterwards every
    published feed parses and the store opens with everything it had committed."""
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml")
    replica.site.delay_s = 0.02  # a slow site: every run lasts long enough to be cut short
    rng = random.Random(4287)
    committed = 0
    killed = 0
    for round_ in range(20):
        replica.site.add(fresh_story(100 + round_))  # something to store and publish each time
        process = subprocess.Popen(
            [sys.executable, "-m", "feedbot", "-q", "run", "--config", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # kill inside a run's lifetime, not after it (the old window, 0.3-1.6 s with a fast
        # site, mostly killed runs that had already finished)
        time.sleep(rng.uniform(0.15, 0.9))
        process.send_signal(signal.SIGKILL)
        killed += process.wait() == -signal.SIGKILL  # it was still running
        for name in FEEDS:
            feed = config.output.dir / name
            if feed.exists():
                assert feedparser.parse(feed.read_bytes()).bozo == 0, (round_, name)
        with Store(config.store.path) as store:
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = store.count()
        assert count >= committed
        committed = count
    assert killed >= 10, killed  # most rounds were cut short, not allowed to finish
    replica.site.delay_s = 0.0
    execute(config, fixed_now)  # a normal run afterwards completes everything
    # everything the first max_pages list pages show, except the three broken specials
    listed = replica.site.listing()[: replica.site.per_page * config.site.max_pages]
    expected = {item.id for item in listed} - {25400400, 25400690, 25401010}
    with Store(config.store.path) as store:
        stored = {s.article.id for s in store.latest(100)}
    assert expected <= stored  # nothing the site lists was lost
    assert stored <= {item.id for item in replica.site.listing()}  # nothing invented
    assert_feeds_valid(config)


def test_corrupt_store_is_a_clear_error_and_nothing_is_destroyed(
    good: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(good.store.path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the schema page
    good.store.path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(good.store.path) + suffix).unlink(missing_ok=True)
    before = snapshot(good)
    path = write_config(good, tmp_path / "c.toml")
    assert main(["-q", "run", "--config", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"feedbot: error: {good.store.path}: cannot")
    assert good.store.path.read_bytes() == bytes(data)
    assert snapshot(good) == before


def test_locked_store_is_a_clear_error(good: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Store, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(good.store.path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="database is locked"):
            execute(good, fixed_now)
    finally:
        holder.rollback()
        holder.close()
    assert execute(good, fixed_now).new == 1


def test_disk_full_keeps_the_old_feeds(good: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import feedbot.publish.files

    before = snapshot(good)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(feedbot.publish.files.os, "fsync", full)
    with pytest.raises(PublishError, match="No space left on device"):
        execute(good, fixed_now)
    monkeypatch.undo()
    assert snapshot(good) == before
    assert not list(good.output.dir.glob(".*.tmp"))  # the temp file was removed
    execute(good, fixed_now)  # space is back: the story (stored already) is published
    ids = {e.id for e in feedparser.parse((good.output.dir / "all.atom").read_bytes()).entries}
    assert "tag:feedbot,2026:joongang.co.kr/article/25402001" in ids


def test_truncated_list_page_still_reads_what_is_there(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    from feedbot.replica.pages import list_page

    site = replica.site
    html = list_page(site.listing()[:16], 1, 3, [], []).encode()
    replica.script("/factpl", Scripted(200, body=html[: len(html) // 2]))
    config = replica_config(replica, tmp_path)
    config = replace(config, site=replace(config.site, max_pages=1))
    report = execute(config, fixed_now)
    assert 3 <= report.cards < 16 and report.new >= 3  # the cards before the cut
    with Store(config.store.path) as store:
        assert store.get(STORIES[0].id) is not None
