"""The run lock beside the store: the only filelock user.

filelock's FileLock uses flock(2), which the kernel releases when the holder dies, so a lock
left by a killed run never blocks the next one (the lock file itself may stay; that is fine).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from feedbot.errors import LockedError


@contextmanager
def run_lock(store_path: Path) -> Iterator[None]:
    path = store_path.with_name(store_path.name + ".lock")
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise LockedError(f"another feedbot run holds {path}; try again later") from exc
    try:
        yield
    finally:
        lock.release()
