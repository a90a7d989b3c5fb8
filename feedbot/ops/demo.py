"""`feedbot demo`: the replica on 127.0.0.1, one run against it, into a directory of the
user's choosing, checked like a configured one (the output must not be a parent of the working
directory, nor hold the store)."""

from __future__ import annotations

import socket
from pathlib import Path

from feedbot.config import (
    Config,
    FetchConfig,
    OutputConfig,
    SiteConfig,
    StoreConfig,
    check_paths,
)
from feedbot.models import RunReport
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer


def free_port(preferred: int) -> int:
    """`preferred` when it is free (stable URLs let a second demo send conditional requests),
    else any free port."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_config(base_url: str, out: Path, store: Path) -> Config:
    return Config(
        site=SiteConfig(base_url=base_url),
        # the replica is ours: a short politeness delay keeps the demo quick
        fetch=FetchConfig(min_interval_s=0.05, jitter_s=0.02, retries=1, backoff_s=0.1),
        store=StoreConfig(path=store.resolve()),
        output=OutputConfig(dir=out.resolve()),
    )


def run_demo(out: Path, store: Path, port: int) -> tuple[Config, RunReport]:
    """Check the paths (ConfigError naming --out or --store), then serve and scrape."""
    check_paths(demo_config("http://127.0.0.1", out, store))
    with ReplicaServer(port=free_port(port)) as replica:
        config = demo_config(replica.url, out, store)
        print(f"replica of 팩플 serving at {replica.url}/factpl", flush=True)
        return config, execute(config)
