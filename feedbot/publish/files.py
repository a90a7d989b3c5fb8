"""Atomic writes into the output directory: temp file in the same directory, fsync, rename.
A failed run never leaves a half-written feed, and unchanged bytes are not rewritten (so
mtimes, ETags and rsync stay quiet)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from feedbot.errors import PublishError


def write_file(out_dir: Path, name: str, data: bytes) -> bool:
    """Write `out_dir/name` atomically; return False when the file already held `data`."""
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        raise PublishError(f"{name!r}: feed names must be plain file names")  # stay inside out_dir
    target = out_dir / name
    try:
        if target.is_file() and target.read_bytes() == data:
            return False
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PublishError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    return True
