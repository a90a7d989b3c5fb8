"""The published directory: every feed valid and readable by real readers, stable bytes, index,
OPML, stylesheet, validation before publishing, and `feedbot serve`."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import feedparser
import httpx
import pytest
from lxml import etree

from feedbot.cli import execute
from feedbot.config import Config
from feedbot.errors import PublishError
from feedbot.normalize import KST
from feedbot.ops.serve import make_server
from feedbot.publish.build import write_output
from feedbot.render.atom import entry_id
from feedbot.replica import ReplicaServer
from feedbot.replica.stories import SEED_ID, STORIES
from feedbot.store.db import Store
from tests.helpers import (
    OPML_SCHEMA,
    fixed_now,
    jing_check,
    newsboat_items,
    replica_config,
    semiconductor_topics,
)

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["all.atom", "ai.atom", "crypto.atom", "sme.atom"]


@pytest.fixture
def site(replica: ReplicaServer, tmp_path: Path) -> tuple[Config, Path]:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    return config, config.output.dir


def expected_ids(topic: str | None) -> set[str]:
    stories = [s for s in STORIES if (topic in s.topics if topic else s.topics)]
    return {entry_id(s.id) for s in stories} | {entry_id(SEED_ID)}  # the seed has all three


def test_directory_holds_every_output(site: tuple[Config, Path]) -> None:
    _, out = site
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            *FEEDS,
            *(f.replace(".atom", ".json") for f in FEEDS),
            *(f.replace(".atom", ".rss") for f in FEEDS),
            "index.html",
            "feeds.opml",
            "feed.xsl",
            "icon.png",
            "logo.png",
            "status.json",
        ]
    )


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_is_valid_and_complete(site: tuple[Config, Path], name: str) -> None:
    _, out = site
    path = out / name
    jing_check(path)
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0
    topic = None if name == "all.atom" else name.removesuffix(".atom")
    assert {e.id for e in parsed.entries} == expected_ids(topic)
    for entry in parsed.entries:
        assert entry.link.startswith("https://www.joongang.co.kr/article/")
        assert entry.published.endswith("+09:00") and entry.updated.endswith("+09:00")
        assert entry.updated >= entry.published
        if topic:
            assert topic in {t.term for t in entry.tags}
    assert parsed.feed.language == "ko"
    assert parsed.feed.links[0].href == f"http://127.0.0.1:8000/{name}"


def test_all_feed_carries_every_topic_category_once_per_story(site: tuple[Config, Path]) -> None:
    _, out = site
    root = etree.parse(str(out / "all.atom")).getroot()
    seed = next(
        e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == entry_id(SEED_ID)
    )
    topics = [
        c.get("term")
        for c in seed.iter(f"{ATOM}category")
        if c.get("scheme") == "tag:feedbot,2026:topics"
    ]
    assert topics == ["ai", "crypto", "sme"]
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))


def test_entries_have_media_thumbnail_footer_and_clean_content(site: tuple[Config, Path]) -> None:
    _, out = site
    root = etree.parse(str(out / "ai.atom")).getroot()
    assert root.nsmap["media"] == "http://search.yahoo.com/mrss/"
    entry = next(
        e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == entry_id(25401480)
    )
    thumb = entry.find("{http://search.yahoo.com/mrss/}thumbnail")
    assert thumb is not None and thumb.get("url", "").endswith("a1f0c2d4-gpu.jpg")
    assert [link.get("rel", "alternate") for link in entry.iter(f"{ATOM}link")] == ["alternate"]
    content = entry.findtext(f"{ATOM}content") or ""
    assert "feedbot 분류: AI(" in content and "점수" in content
    assert content.count("<figcaption>") == 1 and 'referrerpolicy="no-referrer"' in content
    member = next(
        e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == entry_id(25401244)
    )
    assert "회원 전용" in (member.findtext(f"{ATOM}content") or "")


def test_feeds_open_with_the_stylesheet_and_it_renders_headlines(site: tuple[Config, Path]) -> None:
    _, out = site
    data = (out / "ai.atom").read_bytes()
    assert data.splitlines()[1] == b'<?xml-stylesheet type="text/xsl" href="feed.xsl"?>'
    transform = etree.XSLT(etree.parse(str(out / "feed.xsl")))
    html = str(transform(etree.fromstring(data)))
    assert "국가 AI 컴퓨팅센터 GPU 1만 장 확보" in html and "피드 리더에" in html
    assert "http://127.0.0.1:8000/ai.atom" in html


def test_index_page_links_every_feed_for_autodiscovery(site: tuple[Config, Path]) -> None:
    _, out = site
    page = (out / "index.html").read_text(encoding="utf-8")
    for name in FEEDS:
        pattern = (
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
            rf'href="http://127\.0\.0\.1:8000/{re.escape(name)}">'
        )
        assert re.search(pattern, page), name
    # at most ten headlines per feed, newest first
    assert page.count("<li>") == sum(
        min(10, len(expected_ids(topic))) for topic in (None, "ai", "crypto", "sme")
    )
    assert page.index("국가 AI 컴퓨팅센터") < page.index("네이버 하이퍼클로바X")


def test_opml_is_valid_and_lists_every_feed(site: tuple[Config, Path]) -> None:
    _, out = site
    jing_check(out / "feeds.opml", OPML_SCHEMA)
    root = etree.parse(str(out / "feeds.opml")).getroot()
    urls = [o.get("xmlUrl") for o in root.iter("outline")]
    assert urls == [f"http://127.0.0.1:8000/{name}" for name in FEEDS]


def test_rendering_twice_gives_identical_bytes_and_touches_nothing(
    site: tuple[Config, Path],
) -> None:
    config, out = site
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    with Store(config.store.path) as store:
        assert write_output(config, store).written == ()
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()} == before


def test_one_body_change_moves_only_that_entry_and_the_feed_updated(
    replica: ReplicaServer, site: tuple[Config, Path]
) -> None:
    config, out = site
    config = replace(config, site=replace(config.site, recheck_hours=0.0))
    before = etree.parse(str(out / "crypto.atom")).getroot()
    target = 25401455  # the Upbit story, the newest crypto entry
    story = next(s for s in STORIES if s.id == target)
    replica.site.edit(target, blocks=(*story.blocks, "업비트는 다음 주 보상 계획을 발표한다."))
    later = fixed_now() + timedelta(days=1)
    execute(config, lambda: later)
    after = etree.parse(str(out / "crypto.atom")).getroot()

    def entries(root: etree._Element) -> dict[str, dict[str, str]]:
        return {
            e.findtext(f"{ATOM}id") or "": {c.tag: etree.tostring(c, encoding="unicode") for c in e}
            for e in root.iter(f"{ATOM}entry")
        }

    old, new = entries(before), entries(after)
    changed = {k for k in old if old[k] != new[k]}
    assert changed == {entry_id(target)}
    diff = {
        tag
        for tag in old[entry_id(target)]
        if old[entry_id(target)][tag] != new[entry_id(target)][tag]
    }
    assert diff == {f"{ATOM}updated", f"{ATOM}content"}
    assert after.findtext(f"{ATOM}updated") == later.astimezone(KST).isoformat()


def test_a_feed_failing_validation_is_not_published(
    site: tuple[Config, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, out = site
    good = (out / "ai.atom").read_bytes()
    import feedbot.publish.build

    real = feedbot.publish.build.render_atom

    def broken(articles, **kwargs):  # type: ignore[no-untyped-def]
        data = real(articles, **kwargs)
        name = kwargs["meta"].name
        return data.replace(b"<updated>", b"<updated>not-a-date", 1) if name == "ai" else data

    monkeypatch.setattr(feedbot.publish.build, "render_atom", broken)
    with (
        Store(config.store.path) as store,
        pytest.raises(PublishError, match=r"ai\.atom: fails the Atom schema"),
    ):
        write_output(config, store)
    assert (out / "ai.atom").read_bytes() == good


def test_a_curator_topic_gets_its_own_feed(replica: ReplicaServer, tmp_path: Path) -> None:
    topics = semiconductor_topics()
    config = replace(replica_config(replica, tmp_path), topics=topics)
    execute(config, fixed_now)
    path = config.output.dir / "semiconductor.atom"
    jing_check(path)
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.feed.title == "팩플 큐레이션: 반도체"
    assert entry_id(25401084) in {e.id for e in parsed.entries}


@pytest.fixture
def served(site: tuple[Config, Path]) -> Iterator[str]:
    _, out = site
    server = make_server(out, 0, verbose=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_serve_uses_feed_mime_types_and_answers_304(served: str) -> None:
    with httpx.Client(trust_env=False) as client:
        atom = client.get(served + "/ai.atom")
        assert atom.headers["content-type"] == "application/atom+xml; charset=utf-8"
        assert client.get(served + "/feed.xsl").headers["content-type"].startswith("text/xml")
        # a browser opening the feed gets an XML type it runs feed.xsl on; readers get Atom
        browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
        as_page = client.get(served + "/ai.atom", headers=browser)
        assert as_page.headers["content-type"] == "application/xml; charset=utf-8"
        assert as_page.content == atom.content and atom.headers["vary"] == "Accept"
        reader = {"Accept": "application/atom+xml, application/rss+xml;q=0.9, */*;q=0.1"}
        assert client.get(served + "/ai.atom", headers=reader).headers["content-type"] == (
            "application/atom+xml; charset=utf-8"
        )
        assert client.get(served + "/").headers["content-type"].startswith("text/html")
        again = client.get(served + "/ai.atom", headers={"If-None-Match": atom.headers["etag"]})
        assert again.status_code == 304
        since = client.get(
            served + "/ai.atom", headers={"If-Modified-Since": atom.headers["last-modified"]}
        )
        assert since.status_code == 304
        for path in ("/../config.toml", "/%2e%2e/feedbot.db", "/.ai.atom.tmp", "/nope.atom"):
            assert client.get(served + path).status_code == 404


def test_newsboat_reads_every_feed(served: str, tmp_path: Path) -> None:
    """A real reader, headless: each feed in its own cache stores all of its entries."""
    for name in FEEDS:
        entries = len(
            feedparser.parse(httpx.get(f"{served}/{name}", trust_env=False).content).entries
        )
        assert newsboat_items(f"{served}/{name}", tmp_path / name) == entries > 0, name


def test_shipped_rng_matches_the_rfc_schema() -> None:
    """feedbot/render/atom.rng is generated from schemas/atom.rnc (schemas/build_rng.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_rng", Path(__file__).resolve().parents[1] / "schemas" / "build_rng.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    assert module.build() == module.TARGET.read_text(encoding="utf-8")
