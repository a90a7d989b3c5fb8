from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from feedbot.config import Config
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer, ReplicaSite
from tests.helpers import fixed_now, fresh_story, replica_config

# Property tests check behaviour, not speed (speed lives in benchmarks/): hypothesis's default
# 200 ms deadline and its too-slow health check would fail them on a busy or slow CI machine.
settings.register_profile(
    "feedbot", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("feedbot")


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


@pytest.fixture
def good(replica: ReplicaServer, tmp_path: Path) -> Config:
    """A store and feeds from one good run, and a new story waiting on the site."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    replica.site.add(fresh_story(1))
    return config
