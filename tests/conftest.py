from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from feedbot.config import (
    Config,
    FetchConfig,
    OutputConfig,
    SiteConfig,
    StoreConfig,
    parse_config,
)
from feedbot.models import TopicSpec
from feedbot.replica import ReplicaServer, ReplicaSite

# Property tests check behaviour, not speed (speed lives in benchmarks/): hypothesis's default
# 200 ms deadline and its too-slow health check would fail them on a busy or slow CI machine.
settings.register_profile(
    "feedbot", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("feedbot")

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
ATOM_SCHEMA = SCHEMAS / "atom-rfc3339.rnc"
OPML_SCHEMA = SCHEMAS / "opml2.rnc"


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to 127.0.0.1 only; a proxy from the environment must not get in the way."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(ReplicaSite()) as server:
        yield server


def fast_fetch(**changes: object) -> FetchConfig:
    """Politeness shortened for tests against our own replica."""
    values: dict[str, object] = {
        "min_interval_s": 0.0,
        "jitter_s": 0.0,
        "retries": 1,
        "backoff_s": 0.01,
        "timeout_s": 5.0,
    }
    values.update(changes)
    return FetchConfig(**values)  # type: ignore[arg-type]


def replica_config(replica: ReplicaServer, tmp_path: Path, **fetch: object) -> Config:
    return Config(
        site=SiteConfig(base_url=replica.url),
        fetch=fast_fetch(**fetch),
        store=StoreConfig(path=tmp_path / "feedbot.db"),
        output=OutputConfig(dir=tmp_path / "feeds"),
    )


def semiconductor_topics() -> tuple[TopicSpec, ...]:
    """The built-in topics plus one a curator adds in config alone."""
    return parse_config(
        {
            "topics": {
                "semiconductor": {
                    "title": "반도체",
                    "threshold": 6,
                    "terms": {"반도체": 3, "HBM": 3},
                }
            }
        }
    ).topics


def fixed_now() -> datetime:
    return datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def require_tool(name: str, env: str) -> str:
    """The path of a Debian tool the tests use. .ci/run installs it and sets `env`=1, which
    turns its absence into a failure; elsewhere the test is skipped."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get(env) == "1":
            pytest.fail(f"{name} is required ({env}=1) but not installed")
        pytest.skip(f"{name} not installed (apt-get install {name})")
    return found


def newsboat_items(url: str, home: Path) -> int:
    """Load one feed URL in newsboat, headless, with its own config and cache; return how many
    items it stored."""
    import sqlite3

    newsboat = require_tool("newsboat", "FEEDBOT_REQUIRE_NEWSBOAT")
    home.mkdir(parents=True, exist_ok=True)
    (home / "urls").write_text(url + "\n", encoding="utf-8")
    (home / "config").write_text("", encoding="utf-8")
    result = subprocess.run(
        [
            newsboat,
            "-x",
            "reload",
            "-u",
            str(home / "urls"),
            "-c",
            str(home / "cache.db"),
            "-C",
            str(home / "config"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(home / "cache.db") as db:
        return int(db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0])


def jing_check(path: Path, schema: Path = ATOM_SCHEMA) -> None:
    """Validate an Atom file against RFC 4287's RELAX NG schema (with RFC 3339 offsets).

    jing is installed by .ci/run; where it is missing the check is skipped unless
    FEEDBOT_REQUIRE_JING=1 (set in CI), which turns its absence into a failure."""
    jing = require_tool("jing", "FEEDBOT_REQUIRE_JING")
    result = subprocess.run([jing, "-c", str(schema), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
