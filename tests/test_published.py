"""The output directory changes only when news does (issue 15): status.json lives beside the store
unless the operator publishes it on purpose, a no-change run changes no byte of the output, and
a `git add -A && git commit` publish step then has nothing to commit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feedbot.cli import main
from feedbot.config import Config, load_config
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from tests.helpers import fixed_now, fresh_story, replica_config, write_config


def tree(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `directory` (hidden ones too, so a stray temp file shows): bytes, mtime."""
    return {
        p.relative_to(directory).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(directory).parts
    }


def later(hours: float) -> Callable[[], datetime]:
    moment = fixed_now() + timedelta(hours=hours)
    return lambda: moment


def test_status_json_is_written_beside_the_store_not_into_the_output(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    assert config.status_file == tmp_path / "status.json"
    status = json.loads(config.status_file.read_text(encoding="utf-8"))
    assert status["last_run"]["result"] == "ok"
    assert not any(p.name == "status.json" for p in config.output.dir.rglob("*"))


def test_a_no_change_run_changes_no_byte_of_the_output(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    before = tree(config.output.dir)
    status_before = config.status_file.read_bytes()
    report = execute(config, later(1))
    assert report.feeds_written == ()
    assert tree(config.output.dir) == before  # same files, same bytes, same mtimes
    assert config.status_file.read_bytes() != status_before  # the heartbeat did move


def test_a_git_publish_step_commits_nothing_after_a_no_change_run(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """The README's static-pages recipe: `git add -A && git commit` in the output directory."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git not installed")
    config = replica_config(replica, tmp_path)
    out = config.output.dir
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "feedbot",
        "GIT_AUTHOR_EMAIL": "feedbot@example.org",
        "GIT_COMMITTER_NAME": "feedbot",
        "GIT_COMMITTER_EMAIL": "feedbot@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def publish() -> int:
        """Exit status of the publish step; 0 when it made a commit."""
        add = subprocess.run([git, "add", "-A"], cwd=out, env=env, capture_output=True)
        assert add.returncode == 0, add.stderr
        return subprocess.run(
            [git, "commit", "-qm", "feeds"], cwd=out, env=env, capture_output=True
        ).returncode

    def commits() -> int:
        count = subprocess.run(
            [git, "rev-list", "--count", "HEAD"], cwd=out, env=env, capture_output=True, text=True
        )
        return int(count.stdout)

    execute(config, fixed_now)
    subprocess.run([git, "init", "-q"], cwd=out, env=env, check=True)
    assert publish() == 0 and commits() == 1
    execute(config, later(1))  # nothing new on the site
    assert publish() != 0  # "nothing to commit"
    assert commits() == 1
    replica.site.add(fresh_story(4))  # news: the next publish commits it
    execute(config, later(2))
    assert publish() == 0 and commits() == 2


def test_an_operator_can_publish_status_json_on_purpose(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = replica_config(replica, tmp_path)
    path = write_config(base, tmp_path / "c.toml", 'status_path = "feeds/status.json"\n')
    config = load_config(path)
    assert config.status_file == tmp_path / "feeds" / "status.json"  # relative to the file
    assert main(["-q", "run", "--config", str(path)]) == 0
    assert json.loads((config.output.dir / "status.json").read_text())["last_run"]["new"] == 45
    assert not (tmp_path / "status.json").exists()
    capsys.readouterr()
    assert main(["status", "--config", str(path)]) == 0  # read from where it was written
    assert "last run:     ok" in capsys.readouterr().out


def test_status_path_defaults_and_checks() -> None:
    from feedbot.config import parse_config
    from feedbot.errors import ConfigError

    default = parse_config({"store": {"path": "/var/lib/feedbot/feedbot.db"}})
    assert default.status_file == Path("/var/lib/feedbot/status.json")
    assert parse_config({"output": {"status_path": ""}}).output.status_path is None
    with pytest.raises(ConfigError, match=r"output\.status_path: expected a path string"):
        parse_config({"output": {"status_path": 3}})


def test_status_path_that_is_a_directory_is_a_config_error(tmp_path: Path) -> None:
    from feedbot.config import check_paths
    from feedbot.errors import ConfigError

    (tmp_path / "st").mkdir()
    config = Config()
    config = replace(
        config,
        store=replace(config.store, path=tmp_path / "feedbot.db"),
        output=replace(config.output, dir=tmp_path / "feeds", status_path=tmp_path / "st"),
    )
    with pytest.raises(ConfigError, match=r"output\.status_path: not a file"):
        check_paths(config)


def test_an_empty_feed_keeps_the_date_it_first_appeared(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """A topic with no story yet is dated when its feed was first built (kept in the store):
    not 1970, and not the time of each run, so its files stay put."""
    from feedbot.config import parse_config

    topics = parse_config(
        {"topics": {"quantum": {"title": "양자", "threshold": 6, "terms": {"양자컴퓨터": 3}}}}
    ).topics
    config = replace(replica_config(replica, tmp_path), topics=topics)
    execute(config, fixed_now)
    out = config.output.dir
    feed = feedparser.parse((out / "quantum.atom").read_bytes())
    assert feed.entries == [] and feed.feed.updated == "2026-11-25T12:00:00+09:00"
    rss = etree.parse(str(out / "quantum.rss")).getroot()
    assert rss.findtext("channel/lastBuildDate") == "Wed, 25 Nov 2026 12:00:00 +0900"
    assert "아직 이 주제의 기사가 없습니다" in (out / "quantum.html").read_text(encoding="utf-8")
    before = tree(out)
    execute(config, later(5))
    assert tree(out) == before


def test_status_reads_a_named_file(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`feedbot status --file` reads any status.json (the demo prints the command for its own)."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    assert main(["status", "--file", str(config.status_file)]) == 0
    assert "last run:     ok" in capsys.readouterr().out
    assert main(["status", "--file", str(tmp_path / "nope.json")]) == 1
    assert "no status yet" in capsys.readouterr().err
