"""Soak: `feedbot daemon` against the replica on a short interval for many runs, watched from
outside through /proc: resident memory, open files and threads after warm-up and at the end, and
whether every run was recorded. A new story arrives every 25 runs, so some runs store and
publish, most find nothing new (what a daemon mostly does).

    python -m benchmarks.run soak          (FEEDBOT_SOAK_RUNS, default 500)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

WARM_UP = 50


def _proc(pid: int) -> tuple[int, int, int]:
    """(resident kB, open file descriptors, threads) of a running process."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    rss = int(fields["VmRSS"].split()[0])
    threads = int(fields["Threads"])
    return rss, len(os.listdir(f"/proc/{pid}/fd")), threads


def _runs(db: Path) -> tuple[int, int]:
    """(runs recorded, of them ok)."""
    if not db.exists():
        return 0, 0
    with sqlite3.connect(db, timeout=10) as con:
        total, ok = con.execute(
            "SELECT COUNT(*), COALESCE(SUM(result = 'ok'), 0) FROM runs"
        ).fetchone()
    return int(total), int(ok)


def soak(runs: int) -> dict[str, float]:
    from feedbot.replica import ReplicaServer
    from feedbot.replica.stories import STORIES

    with tempfile.TemporaryDirectory() as tmp, ReplicaServer() as replica:
        root = Path(tmp)
        config = root / "c.toml"
        config.write_text(
            f'[site]\nbase_url = "{replica.url}"\n'
            "[fetch]\nmin_interval_s = 0.0\njitter_s = 0.0\n"
            '[store]\npath = "feedbot.db"\n[output]\ndir = "feeds"\n'
            "[schedule]\ninterval_minutes = 0.003\njitter_s = 0.0\nmisfire_grace_s = 3600.0\n",
            encoding="utf-8",
        )
        log = (root / "daemon.log").open("w")
        daemon = subprocess.Popen(
            [sys.executable, "-m", "feedbot", "-q", "daemon", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        db = root / "feedbot.db"
        warm: tuple[int, int, int] | None = None
        added = 0
        started = time.monotonic()
        try:
            while True:
                total, _ok = _runs(db)
                if total // 25 > added:  # a new story now and then
                    added += 1
                    base = STORIES[added % len(STORIES)]
                    replica.site.add(
                        replace(
                            base,
                            id=25_500_000 + added,
                            title=f"{base.title} ({added})",
                            published=base.published.replace(year=2027),
                        )
                    )
                if warm is None and total >= WARM_UP:
                    warm = _proc(daemon.pid)
                if total >= runs:
                    end = _proc(daemon.pid)
                    break
                if daemon.poll() is not None:
                    raise RuntimeError(f"the daemon exited with {daemon.returncode}")
                time.sleep(0.2)
            elapsed = time.monotonic() - started
        finally:
            daemon.send_signal(signal.SIGTERM)
            code = daemon.wait(timeout=120)
            log.close()
        total, ok = _runs(db)
        assert warm is not None
        return {
            "runs": total,
            "ok": ok,
            "exit": code,
            "seconds": elapsed,
            "rss_warm_kb": warm[0],
            "rss_end_kb": end[0],
            "fds_warm": warm[1],
            "fds_end": end[1],
            "threads_warm": warm[2],
            "threads_end": end[2],
            "stories_added": added,
        }
