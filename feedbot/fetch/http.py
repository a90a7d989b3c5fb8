"""The polite fetcher: the only module that imports httpx.

- honest User-Agent naming feedbot and a contact URL;
- robots.txt fetched per origin, cached (24 h by default, through the store) and obeyed,
  Crawl-delay included (parsed by protego, not by us);
- one request at a time per host, at least `min_interval_s` apart, plus random jitter;
- connect/read timeouts, and a total deadline per request (a server trickling one byte a second
  never holds a run); bounded retries with exponential backoff on timeouts, connection errors
  and 5xx; 429/503 Retry-After honoured (seconds or HTTP-date), capped; Crawl-delay capped;
- conditional GET from validators the caller passes in (the store keeps them);
- body streamed and cut off at `max_bytes`, before and after each Content-Encoding layer
  (encoding.py); redirects followed by hand, at most `max_redirects`, never to a host and port
  outside the allow-list;
- pages handed over as bytes with their Content-Type: the extractor decides their charset
  (extract.decode_page); robots.txt is read as UTF-8 whatever it is labelled (RFC 9309 §2.3).
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urlsplit

import httpx
from protego import Protego

from feedbot.config import FetchConfig
from feedbot.errors import FetchError, OffHostRedirect, ResponseTooLarge, RobotsDisallowed
from feedbot.fetch.encoding import ACCEPTED, Decoder, EncodingError, TooLarge
from feedbot.fetch.headers import parse_retry_after, validator
from feedbot.fetch.limits import Deadline, Watchdog
from feedbot.fetch.robots import DENY_ALL, MemoryRobotsCache, RobotsCache, robots_text
from feedbot.fetch.urls import allowed_endpoints, host_port, origin_of, redirect_target
from feedbot.models import FetchResult

log = logging.getLogger(__name__)

_REDIRECTS = {301, 302, 303, 307, 308}
_DRAIN_BYTES = 64 * 1024  # the most of a body that is not the page read to keep its connection
_BAD_LOCATION = "Invalid URL in location header"  # httpx's words (_client.py, _redirect_url)


def _no_cookies() -> CookieJar:
    """A jar that keeps nothing. feedbot needs no cookie, and httpx sends back what it keeps:
    one cookie of raw UTF-8 (Korean sites set them) made every later request of the run fail
    with UnicodeEncodeError while its headers were built."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def make_client(config: FetchConfig) -> httpx.Client:
    """A client that never follows redirects itself (`Fetcher.get` checks every hop) and keeps
    no cookies."""
    return httpx.Client(
        timeout=httpx.Timeout(config.timeout_s, connect=config.connect_timeout_s),
        follow_redirects=False,
        cookies=_no_cookies(),
        headers={
            "User-Agent": config.user_agent_header,
            "Accept-Language": "ko,en;q=0.5",
            "Accept-Encoding": ACCEPTED,
        },
    )


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
        self._capped: set[str] = set()  # origins whose Crawl-delay was capped (warned once)
        self._endpoints = allowed_endpoints(allowed_hosts)
        self._watchdog = Watchdog()
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
        """GET `url` (conditionally when validators are given), following allowed redirects.
        The whole of it (every hop, retry and wait) ends within `fetch.deadline_s`."""
        current = url
        deadline = Deadline(self.config.deadline_s)
        for _hop in range(self.config.max_redirects + 1):
            self._check_host(current, url)
            self._check_robots(current)
            headers: dict[str, str] = {}
            if (tag := validator(etag)) is not None:
                headers["If-None-Match"] = tag
            if (since := validator(last_modified)) is not None:
                headers["If-Modified-Since"] = since
            status, response_headers, body = self._request_with_retries(current, headers, deadline)
            if status in _REDIRECTS:
                current = redirect_target(current, status, response_headers.get("location"))
                etag = last_modified = None  # validators belong to the original URL
                continue
            if status == 304:
                if not headers:  # "not modified" since nothing: the page was never had
                    raise FetchError(current, "HTTP 304 to a request without validators")
                return FetchResult(current, 304, None, None, etag, last_modified)
            if status >= 400:
                transient = status == 429 or status >= 500
                raise FetchError(current, f"HTTP {status}", status=status, transient=transient)
            return FetchResult(
                current,
                status,
                body,
                response_headers.get("content-type"),
                validator(response_headers.get("etag")),
                validator(response_headers.get("last-modified")),
                self._now(),
            )
        raise FetchError(url, f"more than {self.config.max_redirects} redirects")

    def interval(self, url: str) -> float:
        """Seconds between requests to this URL's host: our minimum or robots' Crawl-delay,
        which is capped at `max_crawl_delay_s` (a delay of days would hold the lock for days)."""
        origin = origin_of(url)
        robots = self._robots.get(origin)
        delay = robots.crawl_delay(self.config.user_agent) if robots is not None else None
        wanted = float(delay or 0.0)
        cap = self.config.max_crawl_delay_s
        if wanted > cap:
            if origin not in self._capped:
                self._capped.add(origin)
                log.warning(
                    "robots.txt asks for Crawl-delay %gs; capped at fetch.max_crawl_delay_s = "
                    "%gs origin=%s",
                    wanted,
                    cap,
                    origin,
                )
            wanted = cap
        return max(self.config.min_interval_s, wanted)

    def ping_hub(
        self, hub: str, feed_urls: list[str], *, timeout_s: float, retries: int = 2
    ) -> list[str]:
        """Tell a WebSub hub that feeds changed (`hub.mode=publish`, one POST per feed), each
        attempt over within `timeout_s` (a watchdog, as for pages) and its body never read, with
        a few retries (waiting with the fetcher's own sleep). Returns one line per feed that
        could not be announced; a hub being down never fails a run (readers poll)."""
        errors = []
        watchdog = Watchdog()
        with httpx.Client(
            timeout=timeout_s,
            follow_redirects=False,
            cookies=_no_cookies(),
            headers={"User-Agent": self.config.user_agent_header},
        ) as client:
            for url in feed_urls:
                for attempt in range(retries + 1):
                    watchdog.start(timeout_s)
                    try:
                        with client.stream(
                            "POST",
                            hub,
                            data={"hub.mode": "publish", "hub.url": url},
                            extensions={"trace": watchdog.trace},
                        ) as response:  # closed unread: a hub's answer is its status
                            status = response.status_code
                        if 200 <= status < 300:
                            break
                        reason = f"HTTP {status}"
                    except (httpx.HTTPError, UnicodeError) as exc:  # never the run's failure
                        reason = f"{type(exc).__name__}: {exc}"
                        if watchdog.fired:
                            reason = f"took longer than {timeout_s:g}s"
                    finally:
                        watchdog.stop()
                    if attempt == retries:
                        errors.append(f"WebSub ping to {hub} for {url} failed: {reason}")
                    else:
                        self._sleep(0.5 * 2**attempt)
        return errors

    # -- checks ---------------------------------------------------------------------------------
    def _check_host(self, url: str, original: str) -> None:
        endpoint = host_port(url)
        if endpoint is None or endpoint not in self._endpoints:
            if url == original:
                raise FetchError(url, f"{endpoint or 'URL'} is not in fetch.allowed_hosts")
            raise OffHostRedirect(original, f"redirect to {url} leaves the allowed hosts")

    def _check_robots(self, url: str) -> None:
        origin = origin_of(url)
        robots = self._robots.get(origin)
        if robots is None:
            body = self._robots_body(origin)
            try:
                robots = Protego.parse(body)
            except Exception as exc:  # protego on text nobody wrote as robots.txt
                raise FetchError(
                    origin + "/robots.txt", f"robots.txt could not be read ({type(exc).__name__})"
                ) from exc
            self._robots[origin] = robots
        if not robots.can_fetch(url, self.config.user_agent):
            raise RobotsDisallowed(url, "disallowed by robots.txt")

    def _robots_body(self, origin: str) -> str:
        cached = self.robots_cache.get_robots(origin)
        max_age = timedelta(hours=self.config.robots_cache_hours)
        if cached is not None and self._now() - cached.fetched < max_age:
            return cached.body
        url = origin + "/robots.txt"
        try:
            status, headers, body = self._robots_request(url)
        except FetchError as exc:
            # The host itself is unreachable (DNS, refused, timeout): say that, rather than
            # "disallowed by robots.txt", which is what RFC 9309 §2.3.1.4 would make of it.
            raise FetchError(
                url, f"robots.txt unreachable: {exc.reason}", transient=exc.transient
            ) from exc
        if status >= 500:
            log.warning(
                "robots.txt answered HTTP %d, nothing will be fetched this run url=%s", status, url
            )
            return DENY_ALL  # not cached: try again next run
        # RFC 9309 §2.3.1.3: 4xx means no rules; so do more than five redirects (§2.3.1.2)
        text = robots_text(body, headers.get("content-type"), url) if status == 200 else ""
        self.robots_cache.put_robots(origin, text, self._now())
        return text

    def _robots_request(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """robots.txt, following up to five redirects on the allowed hosts (RFC 9309
        §2.3.1.2: an http -> https move of robots.txt is common)."""
        deadline = Deadline(self.config.deadline_s)
        current = url
        for _hop in range(6):
            status, headers, body = self._request_with_retries(current, {}, deadline)
            if status not in _REDIRECTS:
                return status, headers, body
            current = redirect_target(current, status, headers.get("location"))
            self._check_host(current, url)
        return 404, {}, b""  # more than five redirects: as if there were no robots.txt

    # -- transport ------------------------------------------------------------------------------
    def _pace(self, url: str) -> float:
        """Wait out the gap since the last request to this host; return the seconds waited."""
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        wait = 0.0
        if last is not None:
            wait = (
                last + self.interval(url) + self._rng() * self.config.jitter_s - self._monotonic()
            )
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._monotonic()
        return max(wait, 0.0)

    def _request_with_retries(
        self, url: str, headers: dict[str, str], deadline: Deadline
    ) -> tuple[int, dict[str, str], bytes]:
        """One request with its retries, all of it before `deadline`: a site that
        answers slowly, or says "later" every time, costs one deadline per page, not retries
        times it."""
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                status, response_headers, body = self._request(url, headers, deadline)
            except FetchError as exc:
                if last or not exc.transient:
                    raise
                self._wait(self._backoff(attempt), url, exc.reason, deadline)
                continue
            if status == 429 or status >= 500:
                if last:
                    return status, response_headers, body
                wait = parse_retry_after(response_headers.get("retry-after"), self._now())
                if wait is not None and status in (429, 503):
                    wait = min(wait, self.config.max_retry_after_s)
                    self._wait(wait, url, f"HTTP {status} (Retry-After)", deadline)
                else:
                    self._wait(self._backoff(attempt), url, f"HTTP {status}", deadline)
                continue
            return status, response_headers, body
        raise AssertionError("unreachable")  # the loop returns or raises on its last attempt

    def _backoff(self, attempt: int) -> float:
        return float(self.config.backoff_s * (2**attempt) * (1 + self._rng() * 0.5))

    def _wait(self, seconds: float, url: str, reason: str, deadline: Deadline) -> None:
        """Wait before trying again, unless the request's deadline would pass meanwhile."""
        if deadline.at is not None and self._monotonic() + seconds >= deadline.at:
            raise FetchError(url, f"{reason}; {self._too_slow} with retries", transient=True)
        log.info("retrying in %.1fs after %s url=%s", seconds, reason, url)
        self._sleep(seconds)

    def _request(
        self, url: str, headers: dict[str, str], deadline: Deadline
    ) -> tuple[int, dict[str, str], bytes]:
        paced = self._pace(url)
        remaining = deadline.begin(self._monotonic(), paced)
        if remaining <= 0:
            raise FetchError(url, self._too_slow, transient=True)
        self.requests += 1
        self._watchdog.start(remaining)
        try:
            with (
                _translate(url, self.statuses, self._watchdog, self._too_slow),
                self.client.stream(
                    "GET", url, headers=headers, extensions={"trace": self._watchdog.trace}
                ) as r,
            ):
                self.statuses[str(r.status_code)] += 1
                response_headers = {k.lower(): v for k, v in r.headers.items()}
                # the status decides first: only a success's body is read (a 404 in brotli
                # is a page taken down, not an encoding we cannot read)
                if 200 <= r.status_code < 300:
                    return r.status_code, response_headers, self._body(url, r, deadline.at or 0.0)
                self._drain(r, deadline.at or 0.0)
                return r.status_code, response_headers, b""
        finally:
            self._watchdog.stop()

    def _drain(self, response: httpx.Response, deadline: float) -> None:
        """Read and drop the body of an answer that is not the page (a 304, a redirect, an
        error page), undecoded, so that the connection can serve the next request: unread, it
        is closed, and every conditional GET answered 304 would cost a new handshake. One that
        is big, slow or broken is left unread, and its connection closed."""
        if response.is_stream_consumed:
            return
        read = 0
        try:
            for chunk in response.iter_raw():
                read += len(chunk)
                if read > _DRAIN_BYTES or self._monotonic() > deadline:
                    return
        except httpx.HTTPError:
            return

    @property
    def _too_slow(self) -> str:
        return f"took longer than fetch.deadline_s = {self.config.deadline_s:g}s"

    def _body(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        """The body, decoded from its Content-Encoding, never more than `max_bytes` before or
        after decoding, and never read past the request's deadline."""
        cap = self.config.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise ResponseTooLarge(url, f"Content-Length {declared} over {cap}")

        encoding = response.headers.get("content-encoding")
        if response.is_stream_consumed:
            # built in memory (httpx.MockTransport in tests): httpx has decoded it already
            source: Iterable[bytes] = [response.content]
            encoding = None
        else:
            source = response.iter_raw()

        def raw() -> Iterator[bytes]:
            size = 0
            for chunk in source:
                size += len(chunk)
                if size > cap:
                    raise ResponseTooLarge(url, f"body over {cap} bytes")
                if self._monotonic() > deadline:
                    raise FetchError(url, self._too_slow, transient=True)
                yield chunk

        try:
            decoder = Decoder(encoding, cap)
            body = b"".join(decoder.stream(raw()))
        except TooLarge as exc:
            raise ResponseTooLarge(url, f"decoded body over {cap} bytes ({exc})") from exc
        except EncodingError as exc:
            raise FetchError(url, str(exc)) from exc
        for name in decoder.passed_through:
            log.warning("body labelled %s is not %s; read as it is url=%s", name, name, url)
        return body


@contextmanager
def _translate(
    url: str, statuses: Counter[str], watchdog: Watchdog, too_slow: str
) -> Iterator[None]:
    """httpx's exceptions -> FetchError (status None = worth retrying), cause chained."""
    try:
        yield
    except httpx.InvalidURL as exc:  # a URL httpx will not send (never worth retrying)
        raise FetchError(url, f"not a URL that can be requested ({exc})") from exc
    except httpx.TransportError as exc:  # timeouts included
        if isinstance(exc, httpx.RemoteProtocolError) and str(exc).startswith(_BAD_LOCATION):
            # httpx builds a redirect's next request even when it does not follow it, and
            # fails so on a Location it cannot parse: the server's broken URL, not a failing line
            statuses["redirect"] += 1
            raise FetchError(url, f"redirect to a broken URL ({exc})") from exc
        if watchdog.fired:
            statuses["timeout"] += 1
            reason = too_slow
        elif isinstance(exc, httpx.TimeoutException):
            statuses["timeout"] += 1
            reason = f"timed out ({type(exc).__name__})"
        else:
            statuses["error"] += 1
            reason = f"connection failed ({type(exc).__name__}: {exc})"
        raise FetchError(url, reason, transient=True) from exc
