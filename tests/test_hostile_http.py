"""What an adversarial review of the HTTP layer sent (2026-12-02), after the pages and the list
held: a cookie of raw UTF-8, a 404 in an encoding we do not read, a 304 nobody asked for, a
Location with a control character, thousands of Content-Encoding layers, a gzip member split
one byte in, a robots.txt of megabytes, a hub that trickles or never answers. Each costs at
most its page (or its ping), with one line naming it; none stops the run."""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from protego import Protego

from feedbot.errors import FetchError
from feedbot.fetch.encoding import MAX_LAYERS, Decoder, EncodingError, layers
from feedbot.fetch.http import Fetcher
from feedbot.fetch.robots import MAX_ROBOTS_BYTES, robots_text
from feedbot.models import Attempts
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from feedbot.replica.server import Scripted
from feedbot.store.db import Store
from tests.helpers import fast_fetch, fixed_now, fresh_story, replica_config

VICTIM_ID = 25402001
# A cookie value of raw UTF-8 bytes, as Korean sites send them (http.server writes headers as
# Latin-1, so these characters go out as the UTF-8 bytes of "인공지능")
UTF8_COOKIE = "recent=인공지능; Path=/".encode().decode("latin-1")


def test_a_cookie_of_raw_utf8_is_ignored_not_sent_back(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """httpx kept the cookie and failed to encode it into every later request of the run
    (UnicodeEncodeError: on robots.txt the whole run, on one article all the others)."""
    config = replica_config(replica, tmp_path)
    robots = replica.site.page("/robots.txt", {})
    replica.script(
        "/robots.txt",
        Scripted(
            200, headers={"Content-Type": "text/plain", "Set-Cookie": UTF8_COOKIE}, body=robots.body
        ),
    )
    report = execute(config, fixed_now)
    assert report.new == 45
    assert not any("Cookie" in r.headers for r in replica.requests)


def test_a_404_in_an_encoding_we_cannot_read_is_still_a_404(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """The status decides before the body is read: robots.txt answering 404 in brotli means
    no rules (it was "robots.txt unreachable", every run), and a story answering so is taken
    down (it was a failure, retried)."""
    config = replica_config(replica, tmp_path)
    brotli_404 = Scripted(404, headers={"Content-Encoding": "br"}, body=b"\x8b\x02\x80")
    replica.script("/robots.txt", brotli_404)
    assert execute(config, fixed_now).new == 45
    with Store(config.store.path) as store:
        victim = store.latest(1)[0].article.id
    fetcher = Fetcher(fast_fetch(), frozenset({replica.url.split("//")[1]}))
    replica.script(f"/article/{victim}", brotli_404)
    with fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"{replica.url}/article/{victim}")
    assert (caught.value.status, caught.value.reason) == (404, "HTTP 404")


def test_a_304_to_a_request_without_validators_is_a_failure_not_unchanged(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """ "Not modified" since nothing: the story was counted unchanged, never stored, and its
    failure record wiped, silently, on every run."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    replica.site.add(fresh_story(1))
    replica.script(f"/article/{VICTIM_ID}", Scripted(304))
    report = execute(config, fixed_now)
    assert (report.new, report.unchanged, report.failed) == (0, 0, 1)
    assert report.failures == (
        f"{replica.url}/article/{VICTIM_ID}: HTTP 304 to a request without validators",
    )
    with Store(config.store.path) as store:
        assert store.failures()[VICTIM_ID] == Attempts(1, False)
    assert execute(config, fixed_now).new == 1  # asked again next run, and answered


def test_a_location_with_a_control_character_is_a_broken_redirect(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """httpx refuses it while building the next request; that was reported as a connection
    failure and retried (and counted towards "the site seems to be failing")."""
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    replica.site.add(fresh_story(1))
    replica.script(f"/article/{VICTIM_ID}", Scripted(302, headers={"Location": "/a\x01b"}))
    report = execute(config, fixed_now)
    assert report.failed == 1 and "redirect to a broken URL" in report.failures[0]
    assert "connection failed" not in report.failures[0]  # and no retry within the run:
    assert [r.path for r in replica.requests].count(f"/article/{VICTIM_ID}") == 1


def test_more_content_encoding_layers_than_any_server_applies_are_refused() -> None:
    """Each layer holds its own inflater: 14,000 of them, named by one 100 kB header, took
    524 MB for a 567 kB body."""
    assert len(layers(", ".join(["gzip"] * MAX_LAYERS))) == MAX_LAYERS
    with pytest.raises(EncodingError, match=f"6 Content-Encoding layers; at most {MAX_LAYERS}"):
        layers(", ".join(["gzip"] * (MAX_LAYERS + 1)))
    assert layers(", ".join(["identity"] * 1000)) == []  # no layer at all


def test_gzip_members_split_anywhere_are_read_whole() -> None:
    """A read that ended one byte into the next member lost that byte, and with it the rest of
    the page (read as trailing junk), silently."""
    body = gzip.compress(b"hello ", mtime=0) + gzip.compress(b"world", mtime=0)
    for cut in range(1, len(body)):
        assert b"".join(Decoder("gzip", 10**6).stream([body[:cut], body[cut:]])) == b"hello world"
    junk = gzip.compress(b"hello", mtime=0) + b"x\x1f\x8b"  # not a member: trailing, ignored
    for cut in range(1, len(junk)):
        assert b"".join(Decoder("gzip", 10**6).stream([junk[:cut], junk[cut:]])) == b"hello"


def test_only_the_first_500_kib_of_robots_txt_are_read() -> None:
    """RFC 9309 §2.5's limit, cut at a line: 5 MB of wildcard rules cost 0.2 s per URL."""
    early = b"User-agent: *\nDisallow: /private/\n"
    late = b"Disallow: /article/\n"
    body = early + b"Disallow: /*a*b*c*" * (MAX_ROBOTS_BYTES // 18) + b"\n" + late
    text = robots_text(body, "text/plain", "https://site.test/robots.txt")
    assert text.startswith(early.decode()) and "/article/" not in text
    assert text.endswith("\n") and len(text.encode()) <= MAX_ROBOTS_BYTES
    assert robots_text(early + late, None, "u") == (early + late).decode()  # small: untouched


class _RawHub:
    """A hub on a socket that sends `answer`, then one more byte every 0.1 s for up to 20 s (a
    body trickled, or a header that never ends), recording each request it was sent."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer
        self.received: list[bytes] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.done.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:  # a timeout, or closed
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.received.append(conn.recv(65536))
                conn.sendall(self.answer)
                for _ in range(200):
                    if self.done.wait(0.1):
                        return
                    conn.sendall(b"x")
            except OSError:
                return

    def close(self) -> None:
        self.done.set()
        self.sock.close()


@pytest.fixture
def raw_hub(request: pytest.FixtureRequest) -> Iterator[_RawHub]:
    hub = _RawHub(request.param)
    yield hub
    hub.close()


TRICKLED_BODY = (
    b"HTTP/1.1 202 Accepted\r\nContent-Length: 1000000\r\nSet-Cookie: "
    + UTF8_COOKIE.encode("latin-1")
    + b"\r\n\r\n"
)


@pytest.mark.parametrize("raw_hub", [TRICKLED_BODY], indirect=True)
def test_a_hub_answering_then_trickling_its_body_is_announced_at_once(raw_hub: _RawHub) -> None:
    """Its answer is its status: the body is never read (a trickle took 367 s; a gzip bomb of
    194 kB, 211 MB of memory), and its raw UTF-8 cookie is not sent back to it."""
    feeds = ["https://x/a.atom", "https://x/b.atom"]
    with Fetcher(fast_fetch(), frozenset({"127.0.0.1"})) as fetcher:
        assert fetcher.ping_hub(raw_hub.url, feeds, timeout_s=30) == []
    assert len(raw_hub.received) == 2 and not any(b"Cookie" in r for r in raw_hub.received)


@pytest.mark.parametrize("raw_hub", [b"HTTP/1.1 202 Accepted\r\nX-Slow: "], indirect=True)
def test_a_hub_trickling_its_headers_is_given_up_within_its_timeout(raw_hub: _RawHub) -> None:
    """A byte every 0.1 s never lets the read time out; the watchdog ends each attempt."""
    waits: list[float] = []
    with Fetcher(fast_fetch(), frozenset({"127.0.0.1"}), sleep=waits.append) as fetcher:
        errors = fetcher.ping_hub(raw_hub.url, ["https://x/a.atom"], timeout_s=0.5, retries=1)
    assert errors == [
        f"WebSub ping to {raw_hub.url} for https://x/a.atom failed: took longer than 0.5s"
    ]
    assert waits == [0.5] and len(raw_hub.received) == 2


def test_a_robots_txt_cut_never_keeps_half_a_line_or_a_group_without_its_rules() -> None:
    """protego splits lines at CR alone too: a cut looking only for LF left `Allow: /article/`
    as `Allow: /`. And a group cut off after its User-agent line would allow everything."""
    head = b"User-agent: *\rDisallow: /\r"
    filler = b"Disallow: /x*y*z\r"
    cr_only = head + filler * ((MAX_ROBOTS_BYTES - len(head) - 8) // len(filler))
    cr_only += b"Allow: /article/\r" + b"Disallow: /q\r" * 10
    assert not Protego.parse(robots_text(cr_only, None, "u")).can_fetch("https://s/p", "feedbot")
    head = b"User-agent: *\nDisallow: /\n"
    filler = b"Disallow: /x*y\n"
    group = b"User-agent: feedbot\n"
    lf = head + filler * ((MAX_ROBOTS_BYTES - len(head) - len(group) - 20) // len(filler))
    lf += b"#" * (MAX_ROBOTS_BYTES - len(lf) - len(group) - 1) + b"\n"  # the group ends the limit
    lf += group + b"Allow: /\n" * 10  # and its rules lie past it
    text = robots_text(lf, None, "u")
    assert not text.rstrip().endswith("User-agent: feedbot")
    assert not Protego.parse(text).can_fetch("https://s/p", "feedbot")  # `*` decides


@pytest.mark.parametrize("answer", ["304", "redirect", "404"])
def test_an_answer_that_is_not_the_page_keeps_the_connection(
    replica: ReplicaServer, answer: str
) -> None:
    """Its body is read and dropped, undecoded: left unread, it closed the connection, and
    every conditional GET answered 304 cost a new handshake."""
    host = replica.url.split("//")[1]
    page = f"{replica.url}/article/25401455"  # a replica story
    with Fetcher(fast_fetch(), frozenset({host})) as fetcher:
        etag = fetcher.get(page).etag  # robots.txt, then the page: one connection so far
        for n in range(4):
            if answer == "redirect":
                replica.script(f"/moved{n}", Scripted(301, headers={"Location": "/factpl"}))
                fetcher.get(f"{replica.url}/moved{n}")
            elif answer == "404":
                replica.script(f"/gone{n}", Scripted(404, body=b"<html>not found</html>"))
                with suppress(FetchError):
                    fetcher.get(f"{replica.url}/gone{n}")
            else:
                assert fetcher.get(page, etag=etag).not_modified  # the replica's own 304
    assert len(replica.requests) >= 6
    assert len({r.client for r in replica.requests}) == 1
