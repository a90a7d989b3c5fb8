"""Pages nobody on the team wrote: hypothesis generates one article page of arbitrary shape
(JSON-LD of any JSON, meta values of any text, dates of any year, charset labels real and bogus,
Content-Encoding and Content-Type combinations) and a list page with an odd card, and the run
must end as a run (exit 0, or 4 when it judges itself unhealthy; never "failed" because of one
story), every other story must be published, and every feed must stay valid."""

from __future__ import annotations

import gzip
import json
import shutil
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedbot.config import Config
from feedbot.errors import SiteChangedError
from feedbot.ops.runner import execute
from feedbot.publish.validate import check_atom
from feedbot.replica import ReplicaServer, ReplicaSite
from feedbot.replica.server import Scripted
from feedbot.store.db import Store
from tests.helpers import LD_KEYS, fixed_now, fresh_story, replica_config

VICTIM_ID = 25402001
FEEDS = ("all.atom", "ai.atom", "crypto.atom", "sme.atom")

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(["NewsArticle", "2026-11-24T09:00:00+09:00", "0001-01-01", "9999-12-31"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from([*LD_KEYS, "x"]),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)
dates = st.one_of(
    st.integers(min_value=0, max_value=99999).map(lambda y: f"{y:04d}-11-24T09:00:00+09:00"),
    st.integers(min_value=0, max_value=99999).map(lambda y: f"{y}.11.24 09:00"),
    st.text(max_size=30),
)
CHARSETS = [
    "utf-8",
    "UTF-8",
    "euc-kr",
    "cp949",
    "ks_c_5601-1987",
    "iso-8859-1",
    "utf-16",
    "utf-7",
    "idna",
    "undefined",
    "x-user-defined",
    "bogus",
    "",
    "utf-8; q=1",
    "a" * 300,
]
ENCODINGS = ["", "identity", "gzip", "gzip, gzip", "deflate", "x-gzip", "gzip, deflate"]


def encode(body: bytes, encoding: str, honest: bool) -> bytes:
    """Apply the layers the header names (or not, for a header that lies)."""
    if not honest:
        return body
    for name in [n.strip() for n in encoding.split(",") if n.strip()]:
        if name in ("gzip", "x-gzip"):
            body = gzip.compress(body)
        elif name == "deflate":
            body = zlib.compress(body)
    return body


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ReplicaServer, Config]]:
    """One good run, whose store and feeds every example starts from (copied)."""
    root = tmp_path_factory.mktemp("odd-base")
    with ReplicaServer(ReplicaSite()) as server:
        config = replica_config(server, root)
        config = replace(config, site=replace(config.site, max_pages=1))
        execute(config, fixed_now)
        server.site.add(fresh_story(1))
        yield server, config


def copy_of(good: Config, work: Path) -> Config:
    """`good`'s store and feeds copied into `work`, and its config pointing there."""
    shutil.copy(good.store.path, work / "feedbot.db")
    shutil.copytree(good.output.dir, work / "feeds")
    return replace(
        good,
        store=replace(good.store, path=work / "feedbot.db"),
        output=replace(good.output, dir=work / "feeds"),
    )


@pytest.mark.slow
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ld=json_values,
    meta_date=dates,
    card_date=dates,
    charset=st.sampled_from(CHARSETS),
    meta_charset=st.sampled_from(CHARSETS),
    encoding=st.sampled_from(ENCODINGS),
    honest=st.booleans(),
    bom=st.booleans(),
)
def test_one_odd_page_never_stops_the_run(
    base: tuple[ReplicaServer, Config],
    tmp_path_factory: pytest.TempPathFactory,
    ld: object,
    meta_date: str,
    card_date: str,
    charset: str,
    meta_charset: str,
    encoding: str,
    honest: bool,
    bom: bool,
) -> None:
    server, good = base
    config = copy_of(good, tmp_path_factory.mktemp("odd"))
    page = server.site.page(f"/article/{VICTIM_ID}", {}).body.decode()
    odd = (
        f'<meta charset="{meta_charset}">'
        f'<meta property="article:published_time" content="{meta_date}">'
        f'<meta property="og:image" content="{meta_date}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    page = page.replace("<head>", "<head>" + odd, 1)
    body = (b"\xef\xbb\xbf" if bom else b"") + page.encode("utf-8")
    headers = {"Content-Type": f"text/html; charset={charset}"}
    if encoding:
        headers["Content-Encoding"] = encoding
    listing = server.site.page("/factpl", {}).body.decode()
    listing = listing.replace('<p class="date">', f'<p class="date">{card_date} ', 1)
    server.script("/factpl", Scripted(200, body=listing.encode()))
    server.script(f"/article/{VICTIM_ID}", Scripted(200, headers, encode(body, encoding, honest)))
    try:
        report = execute(config, fixed_now)
        result = "ok"
    except SiteChangedError:
        result = "unhealthy"
    finally:
        with server._server._lock:  # leave nothing scripted for the next example
            server._server.scripts.clear()
    assert result in ("ok", "unhealthy")
    with Store(config.store.path) as store, Store(good.store.path) as before:
        assert store.count() >= before.count()  # nothing stored before is lost
    if result == "ok":
        assert report.failed <= 1  # at most the odd page itself
    for name in FEEDS:
        data = (config.output.dir / name).read_bytes()
        check_atom(name, data)
        assert feedparser.parse(data).bozo == 0, name


def _in_head(extra: str) -> Callable[[str], str]:
    return lambda page: page.replace("<head>", "<head>" + extra, 1)


def _in_body(extra: str) -> Callable[[str], str]:
    return lambda page: page.replace(
        'itemprop="articleBody">', 'itemprop="articleBody">' + extra, 1
    )


# What the adversarial review of 2026-12-02 sent: each stopped the run, failed the story as an
# internal error, or (the first two) stopped every later run too, the story being stored.
REVIEWED = {
    "og:image with U+FFFE": _in_head(
        '<meta property="og:image" content="https://pds.joongang.co.kr/a\ufffe.jpg">'
    ),
    "JSON-LD image with a lone surrogate": _in_head(
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "image": "https://pds.joongang.co.kr/a\\ud800.jpg"}</script>'
    ),
    "a link no URL parser accepts": _in_body('<p>링크 <a href="HTTPS://[::1/x">여기</a></p>'),
    "an image no URL parser accepts": _in_body('<img src="HTTP://[x">'),
    "3,000 unclosed <font>": _in_body("<p>" + "<font color='red'>글" * 3000 + "</p>"),
    "a byline of 100 kB without an address": lambda page: page.replace(
        '<div class="ab_byline"><p>이서연 기자',
        '<div class="ab_byline"><p>이서연 기자 ' + "a" * 100_000,
        1,
    ),
}


@pytest.mark.parametrize("odd", REVIEWED, ids=list(REVIEWED))
def test_what_the_review_sent_costs_nothing(
    base: tuple[ReplicaServer, Config], tmp_path: Path, odd: str
) -> None:
    """The odd page's story is published like any other (the odd part dropped or flattened),
    every feed stays valid, and the next run has nothing to retry."""
    server, good = base
    config = copy_of(good, tmp_path)
    page = server.site.page(f"/article/{VICTIM_ID}", {}).body.decode()
    changed = REVIEWED[odd](page)
    assert changed != page
    server.script(f"/article/{VICTIM_ID}", Scripted(200, body=changed.encode()))
    try:
        report = execute(config, fixed_now)
    finally:
        with server._server._lock:
            server._server.scripts.clear()
    assert (report.new, report.failed) == (1, 0)
    with Store(config.store.path) as store:
        assert VICTIM_ID not in store.failures()
    for name in FEEDS:
        data = (config.output.dir / name).read_bytes()
        check_atom(name, data)
    for name in ("all.atom", "all.rss", "all.json"):
        data = (config.output.dir / name).read_bytes()
        assert f"/article/{VICTIM_ID}".encode() in data, name
    assert feedparser.parse((config.output.dir / "all.rss").read_bytes()).bozo == 0
    json.loads((config.output.dir / "all.json").read_bytes())
