"""Errors that tell the truth: however a run ends, the history and status.json say so; a path
that cannot be used is named before anything is fetched; a user's mistake is one line and a
documented exit code, never "internal error"."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path

import pytest

import feedbot.pipeline.run
from feedbot.cli import main
from feedbot.errors import PublishError, StoreError
from feedbot.ops.runner import execute
from feedbot.ops.status import kst
from feedbot.replica import ReplicaServer
from feedbot.store.db import Store
from tests.helpers import fixed_now, replica_config, write_config


def test_a_crashed_run_is_recorded_as_crashed_in_history_and_status(
    replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug outside any one story (here in the listing) ends the run; status.json must not
    go on saying the last run was ok."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)

    def boom(*args: object) -> object:
        raise RuntimeError("a bug in the listing")

    monkeypatch.setattr(feedbot.pipeline.run, "_read_lists", boom)
    with pytest.raises(RuntimeError):
        execute(config, fixed_now)
    status = json.loads(config.status_file.read_text(encoding="utf-8"))
    assert status["last_run"]["result"] == "crashed"
    assert status["health"][0] == "internal error: RuntimeError: a bug in the listing"
    with Store(config.store.path) as store:
        assert store.runs(1)[0][0] == "crashed"


def test_an_output_directory_that_cannot_be_written_is_found_before_fetching(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """The directory cannot be created or written (here a file stands where its parent should
    be; permissions do the same for an unprivileged user): the run stops before any request,
    and the message names the directory."""
    config = replica_config(replica, tmp_path)
    (tmp_path / "blocked").write_text("a file", encoding="utf-8")
    config = replace(config, output=replace(config.output, dir=tmp_path / "blocked" / "feeds"))
    with pytest.raises(PublishError, match=r"blocked/feeds: not writable"):
        execute(config, fixed_now)
    assert replica.requests == []  # nothing was fetched


def test_a_lock_file_that_cannot_be_opened_is_named(tmp_path: Path) -> None:
    """filelock would call it 'another run holds the lock'; the operator needs the truth."""
    from feedbot.ops.lock import run_lock

    store = tmp_path / "state" / "feedbot.db"
    store.parent.mkdir()
    (store.parent / "feedbot.db.lock").mkdir()  # a directory where the lock file must go
    with (
        pytest.raises(StoreError, match=r"feedbot\.db\.lock: cannot open the lock file"),
        run_lock(store),
    ):
        pass


def test_a_busy_port_or_a_bad_host_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert main(["serve", "--dir", str(tmp_path), "--port", port]) == 2
        assert "cannot listen there" in capsys.readouterr().err
        assert main(["replica", "--port", port]) == 2
        assert "cannot listen there" in capsys.readouterr().err
    assert main(["serve", "--dir", str(tmp_path), "--host", "no.such.host.invalid"]) == 2
    assert "not an address here" in capsys.readouterr().err
    assert main(["serve", "--dir", str(tmp_path), "--port", "70000"]) == 2
    assert "a port is 0 to 65535" in capsys.readouterr().err


@pytest.mark.parametrize("pages", ["0", "-1", "two"])
def test_backfill_needs_at_least_one_page(pages: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backfill", "--pages", pages]) == 2
    assert "--pages" in capsys.readouterr().err


def test_explain_reads_the_demo_store_with_store(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    assert main(["explain", "25401455", "--store", str(config.store.path)]) == 0
    assert "kept for: crypto" in capsys.readouterr().out
    assert main(["explain", "25401455", "--store", str(tmp_path / "none.db")]) == 2
    assert "no store at" in capsys.readouterr().err


def test_status_speaks_one_zone_and_one_format(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml")
    assert main(["-q", "run", "--config", str(path)]) == 0
    status = json.loads(config.status_file.read_text(encoding="utf-8"))
    for moment in (status["last_run"]["started"], status["last_success"]):
        assert moment.endswith("+09:00") and "." not in moment
    assert kst("2026-11-25T03:00:00.123456+00:00") == "2026-11-25T12:00:00+09:00"
    assert main(["status", "--config", str(path)]) == 0
    assert "+00:00" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("out", "store", "message"),
    [("..", "x.db", "or one of its parents"), ("pub", "pub/demo.db", "is inside --out")],
)
def test_demo_paths_are_checked_like_configured_ones(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    out: str,
    store: str,
    message: str,
) -> None:
    """`feedbot demo --out ..` once overwrote the parent directory's index.html."""
    (tmp_path / "index.html").write_text("precious", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert main(["demo", "--out", out, "--store", store, "--port", "0"]) == 2
    assert message in capsys.readouterr().err
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "precious"


def test_status_of_a_run_that_ended_before_counting_shows_no_zeros() -> None:
    """A run that failed before its report (network down, locked) has no counts: status says
    so, instead of "cards 0, fetched 0", which reads like a site with nothing on it."""
    from feedbot.ops.status import format_status

    failed = {
        "last_run": {
            "result": "failed",
            "started": "2026-11-25T12:00:00+09:00",
            "finished": "2026-11-25T12:00:05+09:00",
            "error": "https://www.joongang.co.kr/robots.txt: connection failed",
        }
    }
    text = format_status(failed)
    assert "cards 0" not in text
    assert "no counts: https://www.joongang.co.kr/robots.txt: connection failed" in text
    counted = {"last_run": {"result": "ok", "cards": 24, "fetched": 3, "new": 2}}
    assert "cards 24, fetched 3, new 2" in format_status(counted)
