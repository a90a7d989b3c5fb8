"""Atomic writes inside the output directory: temp file in the same directory, fsync, rename.
A failed run never leaves a half-written feed, and unchanged bytes are not rewritten (so
mtimes, ETags and rsync stay quiet).

Nothing is ever written outside the output directory: the path below it is walked one directory
at a time with `O_NOFOLLOW` (a symlink planted as `archive/` or as a feed cannot redirect the
write), and every file is created and replaced relative to its directory's descriptor.
"""

from __future__ import annotations

import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path, PurePosixPath

from feedbot.errors import PublishError

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _parts(relative: str) -> tuple[str, ...]:
    """The components of a path below the output directory; anything else is refused."""
    path = PurePosixPath(relative)
    parts = path.parts
    if not parts or path.is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise PublishError(f"{relative!r}: not a plain path inside the output directory")
    if "\\" in relative or "\x00" in relative:
        raise PublishError(f"{relative!r}: not a plain path inside the output directory")
    return parts


def _open_directory(root: Path, parts: tuple[str, ...]) -> int:
    """A descriptor of root/parts[0]/…, each level created when missing and never a symlink."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, _DIRECTORY & ~os.O_NOFOLLOW)  # the root itself is the operator's choice
    try:
        for part in parts:
            with suppress(FileExistsError):
                os.mkdir(part, 0o755, dir_fd=fd)
            child = os.open(part, _DIRECTORY, dir_fd=fd)  # ELOOP/ENOTDIR for a symlink
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def _same_bytes(directory: int, name: str, data: bytes) -> bool:
    try:
        # O_NONBLOCK: a FIFO planted in place of a feed would block this open for ever
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
        fd = os.open(name, flags, dir_fd=directory)
    except FileNotFoundError:
        return False
    except OSError:
        return False  # a symlink or something odd in its place: replace it
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return False
        return handle.read(len(data) + 1) == data


def write_file(root: Path, relative: str, data: bytes) -> bool:
    """Write `root/relative` atomically; return False when the file already held `data`."""
    *folders, name = _parts(relative)
    target = root.joinpath(*_parts(relative))
    try:
        directory = _open_directory(root, tuple(folders))
    except OSError as exc:
        raise PublishError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    try:
        if _same_bytes(directory, name, data):
            return False
        tmp = f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(
                tmp,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o644,
                dir_fd=directory,
            )
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fchmod(handle.fileno(), 0o644)  # whatever the umask: the output is public
                os.fsync(handle.fileno())
            # rename() replaces a symlink at `name` itself; it never writes through it
            os.replace(tmp, name, src_dir_fd=directory, dst_dir_fd=directory)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(tmp, dir_fd=directory)
            raise
    except OSError as exc:
        raise PublishError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    finally:
        os.close(directory)
    return True
