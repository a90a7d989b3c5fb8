"""Running unattended: the scheduler, the daemon under SIGTERM, cron overlap and stale locks,
health and markup-change detection, the canary, status, check and backfill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
from apscheduler.triggers.combining import OrTrigger

from feedbot.cli import main
from feedbot.config import HealthConfig, ScheduleConfig, parse_config
from feedbot.errors import ConfigError, SiteChangedError
from feedbot.normalize import KST
from feedbot.ops.daemon import JOB_ID, build_scheduler, build_trigger
from feedbot.ops.runner import check_site, execute, execute_backfill
from feedbot.replica import ReplicaServer
from feedbot.replica.server import Scripted
from feedbot.replica.stories import STORIES
from feedbot.store.db import Store
from tests.helpers import fixed_now, fresh_story, jing_check, replica_config, write_config

ROOT = Path(__file__).resolve().parents[1]


# -- scheduler (inspected unstarted, with an explicit now) ---------------------------------------


def test_scheduler_job_defaults_are_explicit() -> None:
    start = datetime(2026, 11, 25, 12, 0, tzinfo=KST)
    scheduler = build_scheduler(ScheduleConfig(misfire_grace_s=900), lambda: None, now=start)
    job = scheduler.get_job(JOB_ID)
    assert job is not None
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 900)
    assert job.next_run_time == start  # a run at start-up
    assert str(scheduler.timezone) == "Asia/Seoul"


def test_interval_schedule_fires_every_interval() -> None:
    trigger = build_trigger(ScheduleConfig(interval_minutes=30, jitter_s=0))
    now = datetime(2026, 11, 25, 12, 0, tzinfo=KST)
    first = trigger.get_next_fire_time(None, now)
    assert first is not None
    assert trigger.get_next_fire_time(first, first) - first == timedelta(minutes=30)


def test_quieter_nights_with_cron_lines() -> None:
    """Every 30 minutes by day, hourly from 00 to 06 KST."""
    trigger = build_trigger(ScheduleConfig(cron=("*/30 7-23 * * *", "0 0-6 * * *"), jitter_s=0))
    assert isinstance(trigger, OrTrigger)
    fires = []
    moment = datetime(2026, 11, 25, 22, 50, tzinfo=KST)
    previous = None
    for _ in range(6):
        nxt = trigger.get_next_fire_time(previous, moment)
        assert nxt is not None
        fires.append(nxt.strftime("%H:%M"))
        previous, moment = nxt, nxt + timedelta(seconds=1)
    assert fires == ["23:00", "23:30", "00:00", "01:00", "02:00", "03:00"]


def test_jitter_delays_runs_within_bounds() -> None:
    trigger = build_trigger(ScheduleConfig(interval_minutes=10, jitter_s=60))
    now = datetime(2026, 11, 25, 12, 0, tzinfo=KST)
    base = build_trigger(ScheduleConfig(interval_minutes=10, jitter_s=0)).get_next_fire_time(
        None, now
    )
    for _ in range(20):
        fire = trigger.get_next_fire_time(None, now)
        assert fire is not None and base is not None
        assert timedelta(0) <= fire - base <= timedelta(seconds=60)


def test_bad_cron_line_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"schedule\.cron\[1\]: expected 5 fields"):
        parse_config({"schedule": {"cron": ["0 * * * *", "every hour"]}})
    with pytest.raises(ConfigError, match=r"schedule\.cron\[0\]"):
        build_trigger(ScheduleConfig(cron=("99 * * * *",)))


# -- the daemon under SIGTERM ---------------------------------------------------------------------


def test_daemon_runs_at_start_and_exits_cleanly_on_sigterm(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml", "[schedule]\ninterval_minutes = 60\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "feedbot", "daemon", "--config", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    status = config.status_file
    running: dict[str, Any] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not running.get("next_run"):
        if status.exists():
            running = json.loads(status.read_text())
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    # while the daemon ran, status.json announced the next run, after the first one
    assert running["last_run"]["result"] == "ok" and running["last_run"]["new"] == 45
    assert datetime.fromisoformat(running["next_run"]) > datetime.fromisoformat(
        running["last_success"]
    )
    # once stopped, nothing is scheduled, and the status says why
    data = json.loads(status.read_text())
    assert data["last_run"]["result"] == "ok" and data["next_run"] is None
    assert any("daemon stopped (SIGTERM)" in event for event in data["scheduler_events"])
    jing_check(config.output.dir / "ai.atom")
    assert "SIGTERM received" in err


def test_sigterm_mid_run_abandons_it_and_stores_nothing_half_done(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replace(replica_config(replica, tmp_path, min_interval_s=0.2))
    path = write_config(config, tmp_path / "c.toml")
    process = subprocess.Popen(
        [sys.executable, "-m", "feedbot", "daemon", "--config", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(replica.requests) < 8:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert not (config.output.dir / "all.atom").exists()  # no feed from a half run
    with Store(config.store.path) as store:
        assert store.count() == 0  # nothing half-stored
        assert store.runs(1)[0][0] == "interrupted"
    unhurried = replace(config, fetch=replace(config.fetch, min_interval_s=0.0))
    assert execute(unhurried, fixed_now).new == 45  # the next run does it all


# -- cron overlap and locks ----------------------------------------------------------------------


def test_two_concurrent_runs_one_gets_the_lock_code(replica: ReplicaServer, tmp_path: Path) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml")
    # the first run's list page takes 2 s to answer: it holds the lock meanwhile
    replica.script("/factpl", Scripted(200, body=replica.site.page("/factpl", {}).body, delay_s=2))
    command = [sys.executable, "-m", "feedbot", "-q", "run", "--once", "--config", str(path)]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not replica.requests and time.monotonic() < deadline:  # the first holds the lock
        time.sleep(0.05)
    second = subprocess.run(command, capture_output=True, text=True, timeout=60)
    first.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 3)
    assert second.stderr.strip().splitlines()[-1].startswith("feedbot: error: another feedbot run")
    with Store(config.store.path) as store:
        assert store.count() == 45


def test_lock_of_a_killed_run_does_not_block(replica: ReplicaServer, tmp_path: Path) -> None:
    config = replica_config(replica, tmp_path)
    lock = str(config.store.path) + ".lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from filelock import FileLock; l = FileLock(sys.argv[1]); "
                "l.acquire(); print('held', flush=True); time.sleep(60)"
            ),
            lock,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert Path(lock).exists()  # the stale file is still there
    assert execute(config, fixed_now).new == 45


# -- health and markup changes ----------------------------------------------------------------------


def _add_fresh(replica: ReplicaServer, count: int) -> None:
    for index in range(count):
        replica.site.add(fresh_story(index))


def test_renamed_body_container_is_unhealthy_exit_4(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml")
    assert main(["run", "--config", str(path)]) == 0
    before = {p.name: p.read_bytes() for p in config.output.dir.glob("*.atom")}
    replica.site.redesigns.add("renamed-body")
    _add_fresh(replica, 5)
    capsys.readouterr()
    assert main(["run", "--config", str(path)]) == 4
    err = capsys.readouterr().err
    assert "extraction failed on 5 of 5 article pages" in err
    assert {p.name: p.read_bytes() for p in config.output.dir.glob("*.atom")} == before
    status = json.loads(config.status_file.read_text())
    assert status["last_run"]["result"] == "unhealthy"
    assert any("extraction failed" in note for note in status["health"])
    with Store(config.store.path) as store:
        assert store.count() == 45
        assert not set(store.failures()) & {25402000 + i for i in range(5)}  # not written off
    replica.site.redesigns.clear()  # the site (or our extractor) is fixed: all five arrive
    assert main(["run", "--config", str(path)]) == 0
    with Store(config.store.path) as store:
        assert store.count() == 50


def test_a_field_vanishing_against_the_baseline_is_unhealthy(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)  # the baseline: bylines on almost every story
    replica.site.redesigns.add("no-bylines")
    _add_fresh(replica, 4)
    with pytest.raises(SiteChangedError, match=r"field 'authors' filled on 0% of articles"):
        execute(config, fixed_now)


def test_renamed_cards_fall_back_and_warn(
    replica: ReplicaServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Cards renamed but links intact: the fallback reads the list, the run stays healthy."""
    config = replica_config(replica, tmp_path)
    replica.site.redesigns.add("renamed-cards")
    report = execute(config, fixed_now)
    assert report.new >= 40
    assert "read by fallback selectors" in caplog.text


def test_list_without_cards_keeps_feeds_and_says_why_in_status(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    from feedbot.replica.server import Scripted

    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    before = (config.output.dir / "all.atom").read_bytes()
    replica.script("/factpl", Scripted(200, body=b"<html><main id='container'></main></html>"))
    with pytest.raises(SiteChangedError):
        execute(config, fixed_now)
    assert (config.output.dir / "all.atom").read_bytes() == before
    status = json.loads(config.status_file.read_text())
    assert status["last_run"]["result"] == "site changed"
    assert "no article cards found" in status["health"][0]
    assert status["last_success"] is not None


def test_canary_drift_is_reported(replica: ReplicaServer, tmp_path: Path) -> None:
    target = STORIES[1]
    config = replica_config(replica, tmp_path)
    config = replace(config, health=HealthConfig(canary_id=target.id, canary_hours=0.0))
    report = execute(config, fixed_now)
    assert report.notes == ()
    replica.site.edit(target.id, title="업비트 해킹, 피해액 두 배로 늘어")
    report = execute(config, fixed_now)
    assert any(f"canary {target.id}: 'title' changed" in note for note in report.notes)
    status = json.loads(config.status_file.read_text())
    assert any("canary" in note for note in status["health"])


def test_run_records_fill_rates_and_status_counts(replica: ReplicaServer, tmp_path: Path) -> None:
    config = replica_config(replica, tmp_path)
    report = execute(config, fixed_now)
    assert set(report.fill) == {"title", "published", "authors", "body", "image"}
    with Store(config.store.path) as store:
        stored = [s.article for s in store.latest(100)]
    assert report.extracted == len(stored) == 45
    long_bodies = sum(len(a.body_text) >= 80 for a in stored) / len(stored)
    with_authors = sum(bool(a.authors) for a in stored) / len(stored)
    assert report.fill["title"] == 1.0
    assert report.fill["body"] == round(long_bodies, 3)
    assert report.fill["authors"] == round(with_authors, 3)
    assert report.statuses["200"] >= 48 and report.statuses["404"] == 1


# -- status, check, backfill ------------------------------------------------------------------------


def test_status_command_prints_the_last_run(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml")
    assert main(["status", "--config", str(path)]) == 1  # nothing yet
    assert main(["-q", "run", "--config", str(path)]) == 0
    capsys.readouterr()
    assert main(["status", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "last run:     ok" in out and "new 45" in out
    assert "feed ai.atom" in out and "next run:     not scheduled" in out


def test_check_on_a_good_and_a_broken_site(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    report = check_site(config)
    assert report.healthy
    text = "\n".join(report.lines)
    assert "48 cards (selector: story_list)" not in text  # only page 1's 16
    assert "16 cards (selector: story_list), last page 3" in text
    assert "article 25401480: 국가 AI 컴퓨팅센터" in text
    assert not config.store.path.exists()  # check writes nothing
    replica.site.redesigns.add("renamed-body")
    path = write_config(config, tmp_path / "c.toml")
    assert main(["check", "--config", str(path)]) == 4
    assert "PROBLEM: first article 25401480" in capsys.readouterr().out


def test_backfill_interrupted_resumes_without_duplicates(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    replica.site.per_page = 8  # 48 cards on 6 pages
    config = replica_config(replica, tmp_path)
    config = replace(config, site=replace(config.site, max_pages=1))
    assert execute(config, fixed_now).new == 8 - 0  # page 1 only
    seen_pages: list[int] = []

    def stop_after_three(page: int, cards: int, new: int) -> None:
        seen_pages.append(page)
        if page == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute_backfill(config, pages=6, since=None, progress=stop_after_three, now=fixed_now)
    replica.clear_requests()
    report = execute_backfill(
        config, pages=6, since=None, progress=lambda *a: seen_pages.append(a[0]), now=fixed_now
    )
    assert seen_pages == [1, 2, 3, 4, 5, 6]  # resumed at 4
    listed = [r.path for r in replica.requests if r.path.startswith("/factpl")]
    assert listed == ["/factpl?page=4", "/factpl?page=5", "/factpl?page=6"]
    fetched = [r.path for r in replica.requests if r.path.startswith("/article/")]
    # only the redirect special's target is asked twice (once through the redirect)
    assert {p for p in fetched if fetched.count(p) > 1} <= {"/article/25400398"}
    assert report.new > 0
    with Store(config.store.path) as store:
        assert store.count() == 45
    parsed = feedparser.parse((config.output.dir / "all.atom").read_bytes())
    ids = [e.id for e in parsed.entries]
    assert len(ids) == len(set(ids))
    published = [e.published for e in parsed.entries]
    assert published == sorted(published, reverse=True)


def test_backfill_since_stops_at_the_date(replica: ReplicaServer, tmp_path: Path) -> None:
    replica.site.per_page = 8
    config = replica_config(replica, tmp_path)
    execute_backfill(
        config,
        pages=None,
        since=datetime(2026, 11, 18).date(),
        progress=lambda *a: None,
        now=fixed_now,
    )
    listed = [r.path for r in replica.requests if r.path.startswith("/factpl")]
    assert listed[-1] != "/factpl?page=6"  # stopped before the end
    with Store(config.store.path) as store:
        assert store.get(25401110) is not None  # 18 Nov
        assert store.get(25163321) is None  # the 2023 seed is far older


def test_json_log_format(replica: ReplicaServer, tmp_path: Path) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml")
    result = subprocess.run(
        [sys.executable, "-m", "feedbot", "--log-format", "json", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    summary = [entry for entry in lines if entry["message"].startswith("run done")]
    assert len(summary) == 1 and summary[0]["level"] == "info"


def test_internal_errors_are_one_line_without_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import feedbot.cli.commands

    def boom(args: object) -> int:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(feedbot.cli.commands, "cmd_status", boom)
    assert main(["status"]) == 1
    assert capsys.readouterr().err.strip() == (
        "feedbot: internal error: RuntimeError: unexpected (run with --debug for the "
        "traceback, and please report it)"
    )
    with pytest.raises(RuntimeError):
        main(["--debug", "status"])


def test_contrib_unit_file_is_shipped_and_hardened() -> None:
    unit = (ROOT / "contrib" / "feedbot.service").read_text(encoding="utf-8")
    for line in (
        "Restart=on-failure",
        "User=feedbot",
        "ProtectSystem=strict",
        "ReadWritePaths=",
        "ExecStart=",
        "feedbot daemon",
        "NoNewPrivileges=true",
    ):
        assert line in unit


def test_scheduler_events_are_logged_and_passed_to_status(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from apscheduler.events import (
        EVENT_JOB_ERROR,
        EVENT_JOB_MAX_INSTANCES,
        EVENT_JOB_MISSED,
        JobExecutionEvent,
        JobSubmissionEvent,
    )

    from feedbot.ops.daemon import Daemon

    seen: list[list[str]] = []
    daemon = Daemon(ScheduleConfig(), lambda stop: None, lambda events, nxt: seen.append(events))
    when = datetime(2026, 11, 25, 3, 0, tzinfo=KST)
    # the event classes APScheduler itself emits for these codes
    daemon._listen(JobExecutionEvent(EVENT_JOB_MISSED, JOB_ID, "default", when))
    daemon._listen(JobSubmissionEvent(EVENT_JOB_MAX_INSTANCES, JOB_ID, "default", [when]))
    daemon._listen(
        JobExecutionEvent(EVENT_JOB_ERROR, JOB_ID, "default", when, exception=ValueError("bug"))
    )
    assert "run missed (scheduled 2026-11-25 03:00:00+09:00)" in seen[-1][0]
    assert "the previous one is still running" in seen[-1][1]
    assert "run crashed: ValueError('bug')" in seen[-1][2]
    assert "scheduler: " in caplog.text


def test_a_sighup_during_a_run_runs_once_more_when_it_ends() -> None:
    """max_instances=1 would drop the run a SIGHUP asks for while one is under way (the
    operator edited the config and wants it applied): the run under way does one more."""
    import signal as signals

    from feedbot.ops.daemon import Daemon

    runs: list[bool] = []
    seen: list[list[str]] = []

    def run_job(stop: object) -> None:
        runs.append(daemon.idle.is_set())
        if len(runs) == 1:
            daemon._run_now(signals.SIGHUP, None)

    daemon = Daemon(ScheduleConfig(), run_job, lambda events, nxt: seen.append(events))
    daemon._job()
    assert runs == [False, False]  # two runs, both while the daemon counted as busy
    assert any("SIGHUP: run again once the current run ends" in e for e in seen[-1])
    assert daemon.idle.is_set()

    runs.clear()
    daemon.stop.set()  # stopping: the run asked for is not started
    daemon._job()
    assert runs == [False]


def test_a_sighup_run_that_meets_the_end_of_a_run_is_tried_again() -> None:
    from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent

    from feedbot.ops.daemon import Daemon

    seen: list[list[str]] = []
    daemon = Daemon(ScheduleConfig(), lambda stop: None, lambda events, nxt: seen.append(events))
    daemon.again.set()  # SIGHUP asked for a run; the one it met has just ended (idle)
    before = datetime.now(KST)
    daemon._listen(JobSubmissionEvent(EVENT_JOB_MAX_INSTANCES, JOB_ID, "default", [before]))
    job = daemon.scheduler.get_job(JOB_ID)
    assert job is not None
    assert timedelta(seconds=0.4) < job.next_run_time - before < timedelta(seconds=5)
    assert not seen  # not a skipped run: it is only late
