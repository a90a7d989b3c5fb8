from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedbot.config import Config, FetchConfig, OutputConfig, SiteConfig, StoreConfig
from feedbot.replica import ReplicaServer, ReplicaSite

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


def fixed_now() -> datetime:
    return datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def jing_check(path: Path, schema: Path = ATOM_SCHEMA) -> None:
    """Validate an Atom file against RFC 4287's RELAX NG schema (with RFC 3339 offsets).

    jing is installed by .ci/run; where it is missing the check is skipped unless
    FEEDBOT_REQUIRE_JING=1 (set in CI), which turns its absence into a failure."""
    jing = shutil.which("jing")
    if jing is None:
        if os.environ.get("FEEDBOT_REQUIRE_JING") == "1":
            pytest.fail("jing is required (FEEDBOT_REQUIRE_JING=1) but not installed")
        pytest.skip("jing not installed (apt-get install jing)")
    result = subprocess.run([jing, "-c", str(schema), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
