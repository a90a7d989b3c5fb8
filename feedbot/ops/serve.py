"""`feedbot serve`: preview the output directory over HTTP, as a static host would serve it.

Right MIME types, ETag and Last-Modified with 304 answers, files from the directory only (no
listing, nothing outside it, no dotfiles).

One type per file, whoever asks: Atom as `application/atom+xml`, RSS as `application/rss+xml`,
JSON Feed as `application/feed+json`, and any other JSON (status.json, when an operator
publishes it) as `application/json`. feedbot used to send a browser `application/xml` so that
it would apply the feeds' XSLT stylesheet; browsers are removing XSLT, and the HTML pages are
now the browser view, so the feeds no longer carry a stylesheet and nothing depends on the
Accept header (no `Vary: Accept` for caches to get wrong). The README's nginx recipe does the
same.
"""

from __future__ import annotations

import hashlib
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

MIME_TYPES = {
    ".atom": "application/atom+xml; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".css": "text/css; charset=utf-8",
}
PLAIN_JSON = "application/json"  # RFC 8259: no charset parameter; JSON is UTF-8
JSON_FEED_MARK = b'"version": "https://jsonfeed.org/version/'  # how a JSON Feed begins


def content_type(path: Path, body: bytes) -> str:
    """The type of a file: by its suffix, except that only a JSON Feed is a feed."""
    if path.suffix == ".json" and JSON_FEED_MARK not in body[:200]:
        return PLAIN_JSON
    return MIME_TYPES[path.suffix]


def resolve(root: Path, url_path: str) -> Path | None:
    """The file under `root` a request path names, or None (outside root, hidden, missing)."""
    relative = unquote(urlsplit(url_path).path).lstrip("/") or "index.html"
    if "\x00" in relative or any(part.startswith(".") for part in Path(relative).parts):
        return None  # a NUL no file name holds; temp files of an unfinished write, dotfiles
    try:
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root.resolve()) or not candidate.is_file():
            return None
    except (OSError, ValueError):  # a name the file system refuses (too long, …)
        return None
    return candidate


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        path = resolve(self.server.root, self.path)
        if path is None or path.suffix not in MIME_TYPES:
            self.send_error(404)
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        mtime = path.stat().st_mtime
        headers = {
            "Content-Type": content_type(path, body),
            "ETag": etag,
            "Last-Modified": formatdate(mtime, usegmt=True),
            "Cache-Control": "max-age=300",
        }
        if self._not_modified(etag, mtime):
            self.send_response(304)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [t.strip() for t in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, verbose: bool) -> None:
        super().__init__(address, _Handler)
        self.root = root
        self.verbose = verbose


def make_server(root: Path, port: int, host: str = "127.0.0.1", verbose: bool = True) -> _Server:
    return _Server((host, port), root, verbose)
