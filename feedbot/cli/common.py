"""What the command handlers share: loading the config (checked), the store a command reads,
the one-line summary of a run, reading a page from a file, binding a server."""

from __future__ import annotations

import argparse
import re
import socket
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import TypeVar

from feedbot.config import Config, check_paths, load_config
from feedbot.errors import ConfigError
from feedbot.models import RunReport
from feedbot.normalize import KST


def summary(report: RunReport, out_dir: Path) -> str:
    feeds = ", ".join(str(out_dir / name) for name in report.feeds_written) or "none (unchanged)"
    return (
        f"list pages {report.list_pages}, cards {report.cards}, articles fetched "
        f"{report.fetched}: new {report.new}, updated {report.updated}, unchanged "
        f"{report.unchanged}, failed {report.failed}; {report.requests} requests; "
        f"feeds written: {feeds}"
    )


def load(args: argparse.Namespace) -> Config:
    return load_config(Path(args.config) if args.config else None)


def checked_config(args: argparse.Namespace) -> Config:
    """The config, with its paths checked: for commands that run."""
    config = load(args)
    check_paths(config, Path(args.config) if args.config else None)
    return config


def store_path(args: argparse.Namespace, config: Config) -> Path:
    """--store when given (the demo keeps its own store), else store.path; it must exist."""
    path = Path(args.store) if getattr(args, "store", None) else config.store.path
    if not path.is_file():
        raise ConfigError(f"store.path: no store at {path} (run feedbot first, or pass --store)")
    return path


def read_page(path: str) -> str:
    from feedbot.pipeline.decoding import page_text

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return page_text(data, None, path)


def write_text(target: str, text: str) -> None:
    """To standard output for "-", else to the file (a one-line error when it cannot be)."""
    if target == "-":
        sys.stdout.write(text)
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from exc


T = TypeVar("T")


def bound(start: Callable[[], T], args: argparse.Namespace) -> T:
    """A server bound to --host/--port, or a one-line usage error saying why it cannot be."""
    try:
        return start()
    except socket.gaierror as exc:
        raise ConfigError(f"--host {args.host!r}: not an address here ({exc.strerror})") from exc
    except OSError as exc:
        raise ConfigError(
            f"--host {args.host} --port {args.port}: cannot listen there ({exc.strerror or exc})"
        ) from exc


def since_day(text: str) -> datetime:
    """`--since YYYY-MM-DD` as the start of that day in Korea time; not after today."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"--since: not a date (YYYY-MM-DD): {text!r}") from exc
    today = datetime.now(KST).date()
    if day > today:
        raise ConfigError(f"--since: {day} is in the future (today is {today} in Korea)")
    return datetime.combine(day, time(), KST)
