"""The daemon as an operator meets it: it exits on SIGTERM even when a request hangs, and what
it cannot do (a config broken by an edit) or was told to do (SIGHUP) is in status.json."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from feedbot.replica import ReplicaServer
from feedbot.replica.server import Scripted
from tests.helpers import replica_config, write_config


def start(path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "feedbot", "daemon", "--config", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(check: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def events(status: Path) -> list[str]:
    try:
        return list(json.loads(status.read_text(encoding="utf-8"))["scheduler_events"])
    except (OSError, ValueError, KeyError):
        return []


def test_sigterm_ends_the_daemon_even_while_a_request_hangs(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """The list page sends 10 bytes, then nothing for 30 s (under every timeout but the
    total one): after SIGTERM the daemon is gone within shutdown_timeout_s, not 30 s later."""
    config = replica_config(replica, tmp_path)
    replica.script("/factpl", Scripted(200, body=b"<html>" * 200, stall_after=10, stall_s=30))
    path = write_config(
        config,
        tmp_path / "c.toml",
        "[schedule]\nshutdown_timeout_s = 1.0\n",
    )
    process = start(path)
    wait_for(lambda: any(r.path == "/factpl" for r in replica.requests))
    stopped = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    assert time.monotonic() - stopped < 8
    assert process.returncode == 0, err
    assert "did not stop within 1s; exiting anyway" in err


def test_a_config_broken_by_an_edit_and_a_sighup_are_in_status(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml", "[schedule]\ninterval_minutes = 60\n")
    good = path.read_text(encoding="utf-8")
    status = config.status_file
    process = start(path)
    try:
        wait_for(lambda: status.exists() and json.loads(status.read_text())["last_run"])
        path.write_text(good + "[health]\nmin_fill_ratio = nan\n", encoding="utf-8")
        process.send_signal(signal.SIGHUP)  # run now, with the config read again
        wait_for(lambda: any("config no longer loads" in e for e in events(status)))
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    found = events(status)
    assert any("SIGHUP: run" in e for e in found), found
    broken = next(e for e in found if "config no longer loads" in e)
    assert "health.min_fill_ratio: expected a finite number" in broken
    assert process.returncode == 0, err


def test_a_second_signal_while_stopping_changes_nothing(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """Ctrl-C twice is common: the second one is noted and ignored, the exit stays 0."""
    config = replica_config(replica, tmp_path)
    replica.script("/factpl", Scripted(200, body=b"<html>" * 200, stall_after=10, stall_s=30))
    path = write_config(config, tmp_path / "c.toml", "[schedule]\nshutdown_timeout_s = 2.0\n")
    process = start(path)
    wait_for(lambda: any(r.path == "/factpl" for r in replica.requests))
    process.send_signal(signal.SIGINT)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "received again: already stopping" in err and "internal error" not in err


def test_after_a_config_edit_the_status_follows_the_new_paths(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml", "[schedule]\ninterval_minutes = 60\n")
    process = start(path)
    try:
        wait_for(lambda: config.status_file.exists())
        moved = tmp_path / "moved"
        moved.mkdir()
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace(str(config.store.path), str(moved / "feedbot.db"))
            .replace(str(config.output.dir), str(moved / "feeds"))
            .replace("interval_minutes = 60", "interval_minutes = 90"),
            encoding="utf-8",
        )
        process.send_signal(signal.SIGHUP)
        new_status = moved / "status.json"
        wait_for(lambda: "schedule changed" in " ".join(events(new_status)))
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    data = json.loads(new_status.read_text(encoding="utf-8"))
    assert data["next_run"] is None  # the stop was written where the runs now go
    assert any("daemon stopped (SIGTERM)" in e for e in data["scheduler_events"])
