"""The polite fetcher against httpx.MockTransport handlers, with a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from feedbot.errors import FetchError, OffHostRedirect, ResponseTooLarge, RobotsDisallowed
from feedbot.fetch.headers import parse_retry_after
from feedbot.fetch.http import Fetcher
from feedbot.fetch.robots import MemoryRobotsCache
from tests.helpers import fast_fetch

HOST = "https://site.test"
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
Handler = Callable[[httpx.Request], httpx.Response]


class Clock:
    """Monotonic time that advances only when the fetcher sleeps."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def make(
    handler: Handler,
    *,
    robots: str = "User-agent: *\nAllow: /\n",
    clock: Clock | None = None,
    cache: MemoryRobotsCache | None = None,
    **config: object,
) -> tuple[Fetcher, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def route(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text=robots)
        return handler(request)

    clock = clock or Clock()
    fetcher = Fetcher(
        fast_fetch(**config),
        frozenset({"site.test"}),
        client=httpx.Client(transport=httpx.MockTransport(route), follow_redirects=False),
        robots_cache=cache,
        now=lambda: NOW,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        rng=lambda: 0.0,
    )
    return fetcher, seen


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, html="<html>ok</html>", headers={"ETag": '"v1"'})


def test_robots_disallow_stops_the_request() -> None:
    fetcher, seen = make(ok, robots="User-agent: *\nDisallow: /article/\n")
    with pytest.raises(RobotsDisallowed):
        fetcher.get(HOST + "/article/1")
    assert [r.url.path for r in seen] == ["/robots.txt"]


def test_robots_names_feedbot_specifically() -> None:
    robots = "User-agent: feedbot\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    fetcher, _ = make(ok, robots=robots)
    with pytest.raises(RobotsDisallowed):
        fetcher.get(HOST + "/factpl")


def test_crawl_delay_longer_than_our_interval_is_obeyed() -> None:
    clock = Clock()
    fetcher, _ = make(ok, robots="User-agent: *\nCrawl-delay: 3\n", clock=clock, min_interval_s=1.0)
    fetcher.get(HOST + "/a")
    fetcher.get(HOST + "/b")
    assert fetcher.interval(HOST + "/a") == 3.0
    assert clock.sleeps and clock.sleeps[-1] == pytest.approx(3.0)


def test_a_crawl_delay_over_the_cap_is_capped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`Crawl-delay: 100000` would hold the run's lock for days: it is capped, and said once."""
    clock = Clock()
    robots = "User-agent: *\nCrawl-delay: 100000\n"
    fetcher, _ = make(ok, robots=robots, clock=clock, min_interval_s=1.0, max_crawl_delay_s=60.0)
    for path in ("/a", "/b", "/c"):
        fetcher.get(HOST + path)
    assert max(clock.sleeps) == pytest.approx(60.0)
    assert caplog.text.count("Crawl-delay 100000s; capped at fetch.max_crawl_delay_s") == 1


def test_min_interval_paces_every_request_to_a_host() -> None:
    clock = Clock()
    fetcher, _ = make(ok, clock=clock, min_interval_s=1.5)
    for path in ("/a", "/b", "/c"):
        fetcher.get(HOST + path)
    # robots.txt, /a, /b, /c: three gaps of 1.5 s
    assert clock.sleeps == pytest.approx([1.5, 1.5, 1.5])


def test_robots_body_is_cached_across_fetchers() -> None:
    cache = MemoryRobotsCache()
    first, seen1 = make(ok, cache=cache)
    first.get(HOST + "/a")
    second, seen2 = make(ok, cache=cache)
    second.get(HOST + "/b")
    assert [r.url.path for r in seen1] == ["/robots.txt", "/a"]
    assert [r.url.path for r in seen2] == ["/b"]


def test_robots_cache_expires() -> None:
    cache = MemoryRobotsCache()
    cache.put_robots(HOST, "User-agent: *\nDisallow: /\n", NOW - timedelta(hours=25))
    fetcher, seen = make(ok, cache=cache)
    fetcher.get(HOST + "/a")  # the stale deny-all was re-read and now allows
    assert [r.url.path for r in seen] == ["/robots.txt", "/a"]


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (410, True), (500, False), (503, False)]
)
def test_robots_status_rules(status: int, allowed: bool) -> None:
    """RFC 9309: a 4xx robots.txt means no rules; a 5xx means disallow everything for now."""

    def handler(request: httpx.Request) -> httpx.Response:
        return ok(request)

    seen: list[str] = []

    def route(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(status)
        return handler(request)

    fetcher = Fetcher(
        fast_fetch(retries=0),
        frozenset({"site.test"}),
        client=httpx.Client(transport=httpx.MockTransport(route)),
        sleep=lambda s: None,
    )
    if allowed:
        assert fetcher.get(HOST + "/a").status == 200
    else:
        with pytest.raises(RobotsDisallowed):
            fetcher.get(HOST + "/a")
        assert "/a" not in seen


def test_user_agent_names_feedbot_and_contact() -> None:
    fetcher = Fetcher(
        fast_fetch(contact="https://ops.example.org/feedbot"), frozenset({"site.test"}), client=None
    )
    ua = fetcher.client.headers["User-Agent"]
    fetcher.close()
    assert ua.startswith("feedbot/") and "(+https://ops.example.org/feedbot)" in ua


def test_5xx_is_retried_with_backoff_then_succeeds() -> None:
    calls = iter([502, 500, 200])
    clock = Clock()
    fetcher, seen = make(
        lambda r: httpx.Response(next(calls), html="<p>x</p>"),
        clock=clock,
        retries=3,
        backoff_s=1.0,
        min_interval_s=0.0,
    )
    assert fetcher.get(HOST + "/a").status == 200
    assert len([r for r in seen if r.url.path == "/a"]) == 3
    assert clock.sleeps == pytest.approx([1.0, 2.0])  # exponential backoff


def test_5xx_gives_up_after_the_retry_budget() -> None:
    fetcher, seen = make(lambda r: httpx.Response(500), retries=2)
    with pytest.raises(FetchError) as info:
        fetcher.get(HOST + "/a")
    assert info.value.status == 500
    assert len([r for r in seen if r.url.path == "/a"]) == 3


def test_429_retry_after_seconds_is_honoured() -> None:
    calls = iter([httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, html="x")])
    clock = Clock()
    fetcher, _ = make(lambda r: next(calls), clock=clock, min_interval_s=0.0)
    assert fetcher.get(HOST + "/a").status == 200
    assert 7.0 in clock.sleeps


def test_503_retry_after_http_date_is_honoured_and_capped() -> None:
    later = format_datetime(NOW + timedelta(seconds=40), usegmt=True)
    far = format_datetime(NOW + timedelta(hours=5), usegmt=True)
    calls = iter(
        [
            httpx.Response(503, headers={"Retry-After": later}),
            httpx.Response(503, headers={"Retry-After": far}),
            httpx.Response(200, html="x"),
        ]
    )
    clock = Clock()
    fetcher, _ = make(
        lambda r: next(calls),
        clock=clock,
        min_interval_s=0.0,
        retries=3,
        max_retry_after_s=60.0,
        deadline_s=300.0,
    )
    assert fetcher.get(HOST + "/a").status == 200
    assert clock.sleeps[:2] == pytest.approx([40.0, 60.0])


def test_retries_and_waits_end_within_the_deadline() -> None:
    """One deadline for a request with all its retries: a site saying "later" on every try
    costs deadline_s, not retries x Retry-After (it once took a run 20 hours)."""
    clock = Clock()
    fetcher, seen = make(
        lambda r: httpx.Response(503, headers={"Retry-After": "50"}),
        clock=clock,
        min_interval_s=0.0,
        retries=10,
        max_retry_after_s=120.0,
        deadline_s=120.0,
    )
    with pytest.raises(FetchError, match="with retries") as caught:
        fetcher.get(HOST + "/a")
    assert caught.value.transient
    assert sum(clock.sleeps) < 120.0 and len([r for r in seen if r.url.path == "/a"]) == 3


def test_retry_after_parsing() -> None:
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after(format_datetime(NOW + timedelta(seconds=30), usegmt=True), NOW) == 30.0
    assert parse_retry_after(format_datetime(NOW - timedelta(seconds=30), usegmt=True), NOW) == 0.0
    assert parse_retry_after("soon", NOW) is None


def test_timeouts_are_retried_then_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    fetcher, seen = make(handler, retries=2)
    with pytest.raises(FetchError, match="timed out"):
        fetcher.get(HOST + "/a")
    assert len([r for r in seen if r.url.path == "/a"]) == 3
    assert fetcher.statuses["timeout"] == 3


def test_connection_error_then_success() -> None:
    state = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        state["n"] += 1
        if state["n"] == 1:
            raise httpx.ConnectError("reset", request=request)
        return ok(request)

    fetcher, _ = make(handler)
    assert fetcher.get(HOST + "/a").status == 200


def test_403_is_not_retried() -> None:
    fetcher, seen = make(lambda r: httpx.Response(403), retries=3)
    with pytest.raises(FetchError, match="HTTP 403"):
        fetcher.get(HOST + "/a")
    assert len([r for r in seen if r.url.path == "/a"]) == 1


def test_oversized_body_is_cut_off_while_streaming() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        # a stream without Content-Length: only counting while reading can stop it
        return httpx.Response(200, stream=httpx.ByteStream(b"x" * 5000), headers={})

    fetcher, _ = make(handler, max_bytes=1000)
    with pytest.raises(ResponseTooLarge):
        fetcher.get(HOST + "/big")


def test_declared_oversize_is_refused_before_reading() -> None:
    fetcher, _ = make(lambda r: httpx.Response(200, content=b"x" * 2000), max_bytes=1000)
    with pytest.raises(ResponseTooLarge, match="Content-Length 2000"):
        fetcher.get(HOST + "/big")


def test_redirect_off_host_is_refused() -> None:
    fetcher, seen = make(lambda r: httpx.Response(302, headers={"Location": "https://evil.test/x"}))
    with pytest.raises(OffHostRedirect, match=r"evil\.test"):
        fetcher.get(HOST + "/a")
    assert all(r.url.host == "site.test" for r in seen)


def test_redirect_on_host_is_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        return ok(request)

    fetcher, _ = make(handler)
    result = fetcher.get(HOST + "/old")
    assert result.url == HOST + "/new" and result.status == 200


def test_redirect_loop_stops_after_five_hops() -> None:
    fetcher, seen = make(lambda r: httpx.Response(302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.get(HOST + "/loop")
    assert len([r for r in seen if r.url.path == "/loop"]) == 6


def test_host_outside_allow_list_is_never_requested() -> None:
    fetcher, seen = make(ok)
    with pytest.raises(FetchError, match=r"not in fetch\.allowed_hosts"):
        fetcher.get("https://other.test/a")
    assert seen == []


def test_allowed_hosts_compare_the_port_too() -> None:
    """An entry without a port allows the scheme's default ports only; a redirect to another
    port on an allowed host is refused like a redirect to another host."""
    fetcher, seen = make(
        lambda r: httpx.Response(302, headers={"Location": "https://site.test:8443/x"})
    )
    with pytest.raises(OffHostRedirect, match=r"site\.test:8443"):
        fetcher.get(HOST + "/a")
    assert all(r.url.port is None for r in seen)
    with pytest.raises(FetchError, match=r"site\.test:81 is not in fetch\.allowed_hosts"):
        fetcher.get("http://site.test:81/a")
    with pytest.raises(FetchError, match=r"not in fetch\.allowed_hosts"):
        fetcher.get("ftp://site.test/a")


def test_a_host_with_a_port_allows_exactly_that_port() -> None:
    fetcher = Fetcher(
        fast_fetch(),
        frozenset({"site.test:8443"}),
        client=httpx.Client(transport=httpx.MockTransport(ok)),
        robots_cache=MemoryRobotsCache(),
    )
    assert fetcher.get("https://site.test:8443/a").status == 200
    with pytest.raises(FetchError, match=r"not in fetch\.allowed_hosts"):
        fetcher.get("https://site.test/a")


@pytest.mark.parametrize(
    ("status", "transient"), [(404, False), (403, False), (410, False), (500, True), (429, True)]
)
def test_whether_a_failure_is_worth_retrying_is_part_of_the_error(
    status: int, transient: bool
) -> None:
    fetcher, _ = make(lambda r: httpx.Response(status), retries=0)
    with pytest.raises(FetchError) as caught:
        fetcher.get(HOST + "/a")
    assert caught.value.status == status and caught.value.transient is transient


def test_conditional_get_sends_validators_and_reports_304() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304)
        return ok(request)

    fetcher, seen = make(handler)
    result = fetcher.get(HOST + "/a", etag='"v1"', last_modified="Wed, 25 Nov 2026 00:00:00 GMT")
    assert result.not_modified and result.body is None
    assert seen[-1].headers["If-Modified-Since"] == "Wed, 25 Nov 2026 00:00:00 GMT"


def test_pages_are_handed_over_as_the_bytes_received_with_their_content_type() -> None:
    """The fetcher decodes no page: the extractor decides the charset, the archive keeps the
    bytes (tests/test_charset.py decodes them)."""
    body = "<html><body>팩플 똠방각하 \xff</body></html>".encode("cp949", errors="replace")
    body += b"\xff\xfe"
    fetcher, _ = make(
        lambda r: httpx.Response(
            200, content=body, headers={"Content-Type": "text/html; charset=EUC-KR"}
        )
    )
    result = fetcher.get(HOST + "/a")
    assert result.body == body and result.content_type == "text/html; charset=EUC-KR"
