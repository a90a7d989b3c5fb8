"""The polite fetcher: the only module that imports httpx.

- honest User-Agent naming feedbot and a contact URL;
- robots.txt fetched per origin, cached (24 h by default, through the store) and obeyed,
  Crawl-delay included (parsed by protego, not by us);
- one request at a time per host, at least `min_interval_s` apart, plus random jitter;
- connect/read timeouts; bounded retries with exponential backoff on timeouts, connection
  errors and 5xx; 429/503 Retry-After honoured (seconds or HTTP-date), capped;
- conditional GET from validators the caller passes in (the store keeps them);
- body streamed and cut off at `max_bytes`; redirects followed by hand, at most
  `max_redirects`, never to a host outside the allow-list;
- pages handed over as bytes with their Content-Type: the extractor decides their charset
  (extract.decode_page); robots.txt is read as UTF-8 whatever it is labelled (RFC 9309 §2.3).
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from feedbot.config import FetchConfig
from feedbot.errors import FetchError, OffHostRedirect, ResponseTooLarge, RobotsDisallowed
from feedbot.models import FetchResult

log = logging.getLogger(__name__)

_REDIRECTS = {301, 302, 303, 307, 308}
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^\s;"']*)""", re.IGNORECASE)
_UTF8_LABELS = {"utf-8", "utf8", "us-ascii", "ascii"}  # ASCII is UTF-8's subset
DENY_ALL = "User-agent: *\nDisallow: /\n"


class RobotsCache(Protocol):
    """Where robots.txt bodies outlive one run (the store implements it)."""

    def get_robots(self, origin: str) -> tuple[str, datetime] | None: ...

    def put_robots(self, origin: str, body: str, fetched: datetime) -> None: ...


class MemoryRobotsCache:
    def __init__(self) -> None:
        self._items: dict[str, tuple[str, datetime]] = {}

    def get_robots(self, origin: str) -> tuple[str, datetime] | None:
        return self._items.get(origin)

    def put_robots(self, origin: str, body: str, fetched: datetime) -> None:
        self._items[origin] = (body, fetched)


def make_client(config: FetchConfig) -> httpx.Client:
    """A client that never follows redirects itself: `Fetcher.get` checks every hop."""
    return httpx.Client(
        timeout=httpx.Timeout(config.timeout_s, connect=config.connect_timeout_s),
        follow_redirects=False,
        headers={"User-Agent": config.user_agent_header, "Accept-Language": "ko,en;q=0.5"},
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def robots_text(body: bytes, content_type: str | None, url: str) -> str:
    """robots.txt as text. RFC 9309 §2.3 says it is UTF-8; a charset label that says otherwise
    (or is no charset at all) is logged and not followed, and broken bytes are replaced."""
    match = _CHARSET.search(content_type or "")
    label = match.group(1) if match else None
    if label is not None and label.strip().lower() not in _UTF8_LABELS:
        log.warning(
            "robots.txt labelled charset=%.40r, read as UTF-8 (RFC 9309) url=%s", label, url
        )
    text = body.decode("utf-8", errors="replace")
    if "\ufffd" in text and "\ufffd".encode() not in body:
        log.warning("robots.txt: bytes that are not UTF-8 replaced url=%s", url)
    return text.removeprefix("\ufeff")


class Fetcher:
    """Fetches pages politely. `client`, clocks, `sleep` and `rng` are injectable for tests."""

    def __init__(
        self,
        config: FetchConfig,
        allowed_hosts: frozenset[str],
        *,
        client: httpx.Client | None = None,
        robots_cache: RobotsCache | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.config = config
        self.allowed_hosts = allowed_hosts
        self.client = client or make_client(config)
        self._owns_client = client is None
        self.robots_cache = robots_cache or MemoryRobotsCache()
        self._now = now
        self._monotonic = monotonic
        self._sleep = sleep
        self._rng = rng
        self._robots: dict[str, Protego] = {}
        self._last_request: dict[str, float] = {}
        self.requests = 0
        self.statuses: Counter[str] = Counter()  # "200", "304", "timeout", …

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ---------------------------------------------------------------------------------
    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url` (conditionally when validators are given), following allowed redirects."""
        current = url
        for _hop in range(self.config.max_redirects + 1):
            self._check_host(current, url)
            self._check_robots(current)
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            status, response_headers, body = self._request_with_retries(current, headers)
            if status in _REDIRECTS:
                location = response_headers.get("location")
                if not location:
                    raise FetchError(current, f"HTTP {status} without a Location", status=status)
                current = urljoin(current, location)
                etag = last_modified = None  # validators belong to the original URL
                continue
            if status == 304:
                return FetchResult(current, 304, None, None, etag, last_modified)
            if status >= 400:
                raise FetchError(current, f"HTTP {status}", status=status)
            return FetchResult(
                current,
                status,
                body,
                response_headers.get("content-type"),
                response_headers.get("etag"),
                response_headers.get("last-modified"),
                self._now(),
            )
        raise FetchError(url, f"more than {self.config.max_redirects} redirects")

    def interval(self, url: str) -> float:
        """Seconds between requests to this URL's host: our minimum or robots' Crawl-delay."""
        robots = self._robots.get(_origin(url))
        delay = robots.crawl_delay(self.config.user_agent) if robots is not None else None
        return max(self.config.min_interval_s, float(delay or 0.0))

    # -- checks ---------------------------------------------------------------------------------
    def _check_host(self, url: str, original: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or host not in self.allowed_hosts:
            if url == original:
                raise FetchError(url, f"host {host!r} is not in fetch.allowed_hosts")
            raise OffHostRedirect(original, f"redirect to {url} leaves the allowed hosts")

    def _check_robots(self, url: str) -> None:
        origin = _origin(url)
        robots = self._robots.get(origin)
        if robots is None:
            robots = Protego.parse(self._robots_body(origin))
            self._robots[origin] = robots
        if not robots.can_fetch(url, self.config.user_agent):
            raise RobotsDisallowed(url, "disallowed by robots.txt")

    def _robots_body(self, origin: str) -> str:
        cached = self.robots_cache.get_robots(origin)
        max_age = timedelta(hours=self.config.robots_cache_hours)
        if cached is not None and self._now() - cached[1] < max_age:
            return cached[0]
        url = origin + "/robots.txt"
        try:
            status, headers, body = self._request_with_retries(url, {})
        except FetchError as exc:
            # The host itself is unreachable (DNS, refused, timeout): say that, rather than
            # "disallowed by robots.txt", which is what RFC 9309 §2.3.1.4 would make of it.
            raise FetchError(url, f"robots.txt unreachable: {exc.reason}") from exc
        if status >= 500:
            log.warning(
                "robots.txt answered HTTP %d, nothing will be fetched this run url=%s", status, url
            )
            return DENY_ALL  # not cached: try again next run
        # RFC 9309 §2.3.1.3: 4xx means no rules; redirects count as unavailable, so allow too.
        text = robots_text(body, headers.get("content-type"), url) if status == 200 else ""
        self.robots_cache.put_robots(origin, text, self._now())
        return text

    # -- transport ------------------------------------------------------------------------------
    def _pace(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None:
            wait = (
                last + self.interval(url) + self._rng() * self.config.jitter_s - self._monotonic()
            )
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._monotonic()

    def _request_with_retries(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                status, response_headers, body = self._request(url, headers)
            except FetchError as exc:
                if isinstance(exc, ResponseTooLarge) or last or exc.status is not None:
                    raise
                self._backoff(attempt, url, exc.reason)
                continue
            if status == 429 or status >= 500:
                if last:
                    return status, response_headers, body
                wait = parse_retry_after(response_headers.get("retry-after"), self._now())
                if wait is not None and status in (429, 503):
                    wait = min(wait, self.config.max_retry_after_s)
                    log.info("HTTP %d, waiting %.1fs (Retry-After) url=%s", status, wait, url)
                    self._sleep(wait)
                else:
                    self._backoff(attempt, url, f"HTTP {status}")
                continue
            return status, response_headers, body
        raise AssertionError("unreachable")  # the loop returns or raises on its last attempt

    def _backoff(self, attempt: int, url: str, reason: str) -> None:
        wait = self.config.backoff_s * (2**attempt) * (1 + self._rng() * 0.5)
        log.info("retrying in %.1fs after %s url=%s", wait, reason, url)
        self._sleep(wait)

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self._pace(url)
        self.requests += 1
        with _translate(url, self.statuses), self.client.stream("GET", url, headers=headers) as r:
            self.statuses[str(r.status_code)] += 1
            response_headers = {k.lower(): v for k, v in r.headers.items()}
            declared = response_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.config.max_bytes:
                raise ResponseTooLarge(
                    url, f"Content-Length {declared} over {self.config.max_bytes}"
                )
            chunks = []
            size = 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > self.config.max_bytes:
                    raise ResponseTooLarge(url, f"body over {self.config.max_bytes} bytes")
                chunks.append(chunk)
            return r.status_code, response_headers, b"".join(chunks)


@contextmanager
def _translate(url: str, statuses: Counter[str]) -> Iterator[None]:
    """httpx's exceptions -> FetchError (status None = worth retrying), cause chained."""
    try:
        yield
    except httpx.TimeoutException as exc:
        statuses["timeout"] += 1
        raise FetchError(url, f"timed out ({type(exc).__name__})") from exc
    except httpx.TransportError as exc:
        statuses["error"] += 1
        raise FetchError(url, f"connection failed ({type(exc).__name__}: {exc})") from exc


def ping_hub(
    hub: str,
    feed_urls: list[str],
    *,
    user_agent: str,
    timeout_s: float,
    retries: int = 2,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Tell a WebSub hub that feeds changed (`hub.mode=publish`, one POST per feed), with a
    timeout and a few retries. Returns one line per feed that could not be announced; a hub
    being down never fails a run (readers still poll)."""
    errors = []
    with httpx.Client(
        timeout=timeout_s, follow_redirects=False, headers={"User-Agent": user_agent}
    ) as client:
        for url in feed_urls:
            for attempt in range(retries + 1):
                try:
                    response = client.post(hub, data={"hub.mode": "publish", "hub.url": url})
                    if 200 <= response.status_code < 300:
                        break
                    reason = f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    reason = f"{type(exc).__name__}: {exc}"
                if attempt == retries:
                    errors.append(f"WebSub ping to {hub} for {url} failed: {reason}")
                else:
                    sleep(0.5 * 2**attempt)
    return errors
