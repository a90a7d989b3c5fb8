"""robots.txt beside the parser (protego, in http.py): where bodies outlive a run, and how its
bytes become text (RFC 9309 §2.3: UTF-8, whatever the label says)."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Protocol

from feedbot.models import CachedRobots

log = logging.getLogger(__name__)

_CHARSET = re.compile(r"""charset\s*=\s*["']?([^\s;"']*)""", re.IGNORECASE)
_UTF8_LABELS = {"utf-8", "utf8", "us-ascii", "ascii"}  # ASCII is UTF-8's subset
DENY_ALL = "User-agent: *\nDisallow: /\n"


class RobotsCache(Protocol):
    """Where robots.txt bodies outlive one run (the store implements it)."""

    def get_robots(self, origin: str) -> CachedRobots | None: ...

    def put_robots(self, origin: str, body: str, fetched: datetime) -> None: ...


class MemoryRobotsCache:
    def __init__(self) -> None:
        self._items: dict[str, CachedRobots] = {}

    def get_robots(self, origin: str) -> CachedRobots | None:
        return self._items.get(origin)

    def put_robots(self, origin: str, body: str, fetched: datetime) -> None:
        self._items[origin] = CachedRobots(body, fetched)


# RFC 9309 §2.5: a parsing limit of at least 500 KiB. What lies past it is not read: protego
# checks every wildcard rule for every URL, and 5 MB of them cost 0.2 s of CPU a request.
MAX_ROBOTS_BYTES = 500 * 1024


def robots_text(body: bytes, content_type: str | None, url: str) -> str:
    """robots.txt as text. RFC 9309 §2.3 says it is UTF-8; a charset label that says otherwise
    (or is no charset at all) is logged and not followed, and broken bytes are replaced. Only
    its first `MAX_ROBOTS_BYTES` are read (`_cut`)."""
    cut = len(body) > MAX_ROBOTS_BYTES
    if cut:
        log.warning(
            "robots.txt of %d bytes: only its first %d are read (RFC 9309 §2.5) url=%s",
            len(body),
            MAX_ROBOTS_BYTES,
            url,
        )
        body = body[:MAX_ROBOTS_BYTES]
    match = _CHARSET.search(content_type or "")
    label = match.group(1) if match else None
    if label is not None and label.strip().lower() not in _UTF8_LABELS:
        log.warning(
            "robots.txt labelled charset=%.40r, read as UTF-8 (RFC 9309) url=%s", label, url
        )
    text = body.decode("utf-8", errors="replace")
    if cut:
        text = _cut(text)
    if "\ufffd" in text and "\ufffd".encode() not in body:
        log.warning("robots.txt: bytes that are not UTF-8 replaced url=%s", url)
    return text.removeprefix("\ufeff")


def _cut(head: str) -> str:
    """The first MAX_ROBOTS_BYTES of a longer robots.txt as rules: without the line the cut
    went through (split as protego splits lines, CR alone included, so that `Allow: /article/`
    cut short is not `Allow: /`), and without a group's User-agent lines left with none of its
    rules after them (an empty group allows everything; without it, `*` decides)."""
    lines = head.splitlines(keepends=True)
    if lines and lines[-1].splitlines()[0] == lines[-1]:  # no line break: cut through
        lines.pop()
    while lines and (
        not lines[-1].strip()
        or lines[-1].lstrip().startswith("#")
        or lines[-1].split(":", 1)[0].strip().lower() == "user-agent"
    ):
        lines.pop()
    return "".join(lines)
