"""The run lock beside the store: the only filelock user.

filelock's FileLock uses flock(2), which the kernel releases when the holder dies, so a lock
left by a killed run never blocks the next one (the lock file itself may stay; that is fine).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from feedbot.errors import LockedError, StoreError


@contextmanager
def run_lock(store_path: Path) -> Iterator[None]:
    path = store_path.with_name(store_path.name + ".lock")
    # filelock reports a lock file it cannot open (no permission, a read-only or odd file
    # system such as /proc) as "held by someone else": open it ourselves first, so that the
    # operator reads what is really wrong
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the lock file: {exc.strerror or exc}") from exc
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise LockedError(f"another feedbot run holds {path}; try again later") from exc
    except OSError as exc:
        raise StoreError(f"{path}: cannot lock: {exc.strerror or exc}") from exc
    try:
        yield
    finally:
        lock.release()
