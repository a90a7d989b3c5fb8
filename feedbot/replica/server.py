"""Serve the replica on 127.0.0.1: list pages, article pages, robots.txt.

Answers ETag/Last-Modified and 304 to conditional requests, logs every request (tests count
them) and lets tests script faults for a path (status, headers, delays, partial bodies).
"""

from __future__ import annotations

import hashlib
import re
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from feedbot.replica import pages
from feedbot.replica.stories import SEED, SEED_ID, SPECIALS, STORIES, Special, Story

HTML = "text/html; charset=UTF-8"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # path with query
    headers: dict[str, str]
    client: tuple[str, int] = ("", 0)  # the connection it came over (address, port)

    @property
    def conditional(self) -> bool:
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


@dataclass(frozen=True)
class Scripted:
    """A canned response for fault tests, served once per request in order."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay_s: float = 0.0  # before the status line
    stall_after: int | None = None  # send this many body bytes, then stall `stall_s`
    stall_s: float = 0.0
    raw: bytes | None = None  # send these bytes instead of an HTTP response (garbage, TLS)
    reset: bool = False  # after what was sent, reset the connection (RST, not FIN)
    chunks: int = 0  # send the body in this many pieces (streamed; 0 = at once)
    trickle_s: float = 0.0  # send the body one byte at a time, this long apart (a slow-loris)
    header_trickle_s: float = 0.0  # likewise the status line and headers


@dataclass(frozen=True)
class Page:
    status: int
    body: bytes
    modified: datetime | None
    content_type: str = HTML
    location: str | None = None


# Site redesigns tests can switch on: (pattern, replacement) applied to the rendered HTML.
REDESIGNS: dict[str, tuple[tuple[str, str], ...]] = {
    # the list's container and cards get new names (the /article/ links stay)
    "renamed-cards": (
        (r'<ul id="story_list" class="story_list">', '<ul class="news_feed">'),
        (r'<li class="card">', '<li class="news_item">'),
    ),
    # the article body container is renamed
    "renamed-body": (
        (
            r'<div id="article_body" class="article_body fs3" itemprop="articleBody">',
            '<div class="story_text">',
        ),
    ),
    # reporters vanish from header, body end and meta
    "no-bylines": (
        (r'<div class="byline">.*?</div>\n', ""),
        (r'<div class="ab_byline">.*?</div>\n', ""),
        (r'<meta property="dable:author"[^>]*>\n?', ""),
    ),
}


class ReplicaSite:
    """The replica's content, which tests may change between runs."""

    def __init__(self, per_page: int = 16) -> None:
        self.per_page = per_page
        self.stories: dict[int, Story] = {s.id: s for s in (*STORIES, SEED)}
        self.specials: dict[int, Special] = {s.id: s for s in SPECIALS}
        self.robots = pages.ROBOTS_ALLOW
        self.redesigns: set[str] = set()  # names from REDESIGNS
        self.delay_s = 0.0  # every page answers this late (a slow site)
        self.lock = threading.Lock()

    def _redesign(self, html: str) -> str:
        for name in sorted(self.redesigns):
            for pattern, replacement in REDESIGNS[name]:
                html = re.sub(pattern, replacement, html, flags=re.DOTALL)
        return html

    # -- changes tests make -------------------------------------------------------------------
    def add(self, story: Story) -> None:
        with self.lock:
            self.stories[story.id] = story

    def remove(self, story_id: int) -> None:
        """The story is taken down: its card goes and its page answers 404."""
        with self.lock:
            del self.stories[story_id]

    def edit(self, story_id: int, **changes: Any) -> Story:
        with self.lock:
            story = replace(self.stories[story_id], **changes)
            self.stories[story_id] = story
            return story

    # -- rendering ----------------------------------------------------------------------------
    def listing(self) -> list[Story | Special]:
        items: list[Story | Special] = [*self.stories.values(), *self.specials.values()]
        return sorted(items, key=lambda item: (item.published, item.id), reverse=True)

    @property
    def last_page(self) -> int:
        return max(1, -(-len(self.listing()) // self.per_page))

    def page(self, path: str, query: dict[str, list[str]]) -> Page:
        with self.lock:
            if path == "/robots.txt":
                return Page(200, self.robots.encode(), None, "text/plain; charset=utf-8")
            if path in ("/factpl", "/factpl/"):
                return self._list_page(query)
            if path.startswith(("/article/", "/plus/article/")):
                tail = path.rstrip("/").rsplit("/", 1)[-1]
                if tail.isdigit():
                    return self._article(int(tail))
            return Page(404, pages.not_found_page().encode(), None)

    def _list_page(self, query: dict[str, list[str]]) -> Page:
        try:
            number = int(query.get("page", ["1"])[0])
        except ValueError:
            number = 1
        number = max(1, number)
        listing = self.listing()
        start = (number - 1) * self.per_page
        items = listing[start : start + self.per_page]
        stories = [s for s in listing if isinstance(s, Story)]
        showcase = stories[:2] if number == 1 else []
        # the ranking sidebar shares one id with the list, the rest come from older pages
        ranking = [stories[0], *stories[20:24]]
        html = self._redesign(pages.list_page(items, number, self.last_page, showcase, ranking))
        newest = max((_modified(i) for i in items), default=None)
        return Page(200, html.encode(), newest)

    def _article(self, article_id: int) -> Page:
        special = self.specials.get(article_id)
        if special is not None:
            if special.kind == "missing":
                return Page(404, pages.not_found_page().encode(), None)
            if special.kind == "notice":
                return Page(200, pages.notice_page().encode(), special.published)
            return Page(301, b"", None, location=f"/article/{special.target}")
        story = self.stories.get(article_id)
        if story is None:
            return Page(404, pages.not_found_page().encode(), None)
        html = self._redesign(
            pages.seed_page() if story.id == SEED_ID else pages.article_page(story)
        )
        return Page(200, html.encode(), _modified(story))


def _modified(item: Story | Special) -> datetime:
    updated = getattr(item, "updated", None)
    return updated or item.published


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms each
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self.server.record(
            Request(
                "GET",
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.client_address[:2],
            )
        )
        parts = urlsplit(self.path)
        scripted = self.server.next_scripted(parts.path)
        if scripted is not None:
            self._send_scripted(scripted)
            return
        time.sleep(self.server.site.delay_s)
        page = self.server.site.page(parts.path, parse_qs(parts.query))
        headers = {"Content-Type": page.content_type}
        if page.location:
            headers["Location"] = page.location
        if page.status == 200:
            etag = '"' + hashlib.sha1(page.body).hexdigest()[:20] + '"'
            headers["ETag"] = etag
            if page.modified is not None:
                headers["Last-Modified"] = format_datetime(
                    page.modified.astimezone(UTC), usegmt=True
                )
            if self._not_modified(etag, page.modified):
                self._send(304, headers, b"")
                return
        self._send(page.status, headers, page.body)

    def _not_modified(self, etag: str, modified: datetime | None) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since and modified is not None:
            try:
                return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def _send_scripted(self, scripted: Scripted) -> None:
        time.sleep(scripted.delay_s)
        if scripted.trickle_s or scripted.header_trickle_s:
            self._trickle(scripted)
            return
        if scripted.raw is not None:
            self.wfile.write(scripted.raw)
            self.wfile.flush()
            self._end_abruptly(scripted.reset)
            return
        self.send_response(scripted.status)
        headers = {"Content-Type": HTML, **scripted.headers}
        headers.setdefault("Content-Length", str(len(scripted.body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if scripted.stall_after is None:
            if scripted.chunks:
                size = -(-len(scripted.body) // scripted.chunks)
                try:
                    for start in range(0, len(scripted.body), size):
                        self.wfile.write(scripted.body[start : start + size])
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client stopped reading: fine
                return
            self.wfile.write(scripted.body)
            return
        self.wfile.write(scripted.body[: scripted.stall_after])
        self.wfile.flush()
        time.sleep(scripted.stall_s)
        self._end_abruptly(scripted.reset)

    def _trickle(self, scripted: Scripted) -> None:
        head = [f"HTTP/1.1 {scripted.status} OK", f"Content-Type: {HTML}"]
        head += [f"{k}: {v}" for k, v in scripted.headers.items()]
        head += [f"Content-Length: {len(scripted.body)}", "", ""]
        try:
            for part, pause in (
                ("\r\n".join(head).encode(), scripted.header_trickle_s),
                (scripted.body, scripted.trickle_s),
            ):
                for index in range(len(part)):
                    self.wfile.write(part[index : index + 1])
                    self.wfile.flush()
                    if pause:
                        time.sleep(pause)
        except OSError:
            pass  # the client gave up on us: that is the point
        self.close_connection = True

    def _end_abruptly(self, reset: bool) -> None:
        self.close_connection = True
        if reset:  # SO_LINGER 0: close() sends RST, the client sees "connection reset"
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request stderr line; requests are in `server.requests`."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: ReplicaSite) -> None:
        super().__init__(address, _Handler)
        self.site = site
        self.requests: list[Request] = []
        self.scripts: dict[str, deque[Scripted]] = {}
        self._lock = threading.Lock()

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def next_scripted(self, path: str) -> Scripted | None:
        with self._lock:
            queue = self.scripts.get(path)
            return queue.popleft() if queue else None


class ReplicaServer:
    """The replica on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(
        self, site: ReplicaSite | None = None, port: int = 0, host: str = "127.0.0.1"
    ) -> None:
        self.site = site or ReplicaSite()
        self._server = _Server((host, port), self.site)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[Request]:
        with self._server._lock:
            return list(self._server.requests)

    def clear_requests(self) -> None:
        with self._server._lock:
            self._server.requests.clear()

    def script(self, path: str, *responses: Scripted) -> None:
        """Serve `responses` (in order, once each) for `path` before the normal page."""
        with self._server._lock:
            self._server.scripts.setdefault(path, deque()).extend(responses)

    def start(self) -> ReplicaServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread (for `feedbot replica`)."""
        self._server.serve_forever()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
