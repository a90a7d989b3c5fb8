"""The output directory: every feed valid and readable by real readers, stable bytes, the HTML
pages, OPML, validation before publishing, and `feedbot serve`."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import feedparser
import httpx
import lxml.html
import pytest
from lxml import etree

from feedbot.config import Config
from feedbot.errors import PublishError
from feedbot.normalize import KST
from feedbot.ops.runner import execute
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


def has_class(tag: str, name: str, axis: str = "//") -> str:
    """XPath for `tag` elements with the class `name` (lxml without cssselect)."""
    return f"{axis}{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


STORY_LINKS = has_class("article", "story") + "/h3/a"


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
            *(f.replace(".atom", ".html") for f in FEEDS),
            "index.html",
            "feeds.opml",
            "style.css",
            "icon.png",
            "logo.png",
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


def test_each_feed_has_a_page_with_what_its_atom_document_holds(
    site: tuple[Config, Path],
) -> None:
    """The browser view without XSLT: the same stories in the same order, linked to the site,
    with the subscribe URLs on top and autodiscovery for the feed's three formats."""
    _, out = site
    for name in FEEDS:
        check_feed_page(out, name)


def check_feed_page(out: Path, name: str) -> None:
    root = etree.parse(str(out / name)).getroot()
    stem = name.removesuffix(".atom")
    page = lxml.html.parse(str(out / f"{stem}.html")).getroot()
    entries = list(root.iter(f"{ATOM}entry"))
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert [a.get("href") for a in page.xpath(STORY_LINKS)] == links
    assert page.get("lang") == "ko"
    autodiscovery = {
        (e.get("type"), e.get("href")) for e in page.xpath("//head/link[@rel='alternate']")
    }
    subscribe = [a.get("href") for a in page.xpath(has_class("section", "subscribe") + "//a")]
    for suffix, kind in (
        (".atom", "application/atom+xml"),
        (".json", "application/feed+json"),
        (".rss", "application/rss+xml"),
    ):
        url = f"http://127.0.0.1:8000/{stem}{suffix}"
        assert (kind, url) in autodiscovery and url in subscribe
    assert page.xpath("//head/link[@rel='icon'][@href='icon.png']")
    alternate = next(
        link.get("href")
        for link in root.findall(f"{ATOM}link")
        if link.get("rel") == "alternate" and link.get("type") == "text/html"
    )
    assert alternate == f"http://127.0.0.1:8000/{stem}.html"  # the Atom feed points at its page


def test_a_story_on_a_page_shows_everything_a_reader_needs(site: tuple[Config, Path]) -> None:
    _, out = site
    page = lxml.html.parse(str(out / "ai.html")).getroot()
    gpu = next(
        a.getparent().getparent()
        for a in page.xpath(STORY_LINKS)
        if a.get("href", "").endswith("/25401480")
    )
    image = gpu.xpath(has_class("img", "thumb", ".//"))[0]
    assert image.get("src", "").endswith("a1f0c2d4-gpu.jpg")
    assert image.get("loading") == "lazy" and image.get("referrerpolicy") == "no-referrer"
    assert image.get("alt") == ""  # decorative: the title beside it names the story
    meta = gpu.xpath(has_class("p", "meta", ".//"))[0].text_content()
    assert "2026.11.24 18:30" in meta and "김민지, 박준호" in meta
    assert gpu.xpath(".//time")[0].get("datetime") == "2026-11-24T18:30:00+09:00"
    assert [b.text_content() for b in gpu.xpath(has_class("li", "badge", ".//"))] == ["AI"]
    assert "GPU 1만 장을 들여와" in gpu.xpath(has_class("p", "summary", ".//"))[0].text_content()
    assert "점수" in gpu.xpath(has_class("p", "why", ".//"))[0].text_content()
    member = next(
        a.getparent().getparent()
        for a in page.xpath(STORY_LINKS)
        if a.get("href", "").endswith("/25401244")
    )
    assert member.xpath(has_class("span", "member", ".//"))[0].text_content() == "회원 전용"
    seed = lxml.html.parse(str(out / "all.html")).getroot()
    badges = [
        [b.text_content() for b in story.xpath(has_class("li", "badge", ".//"))]
        for story in seed.xpath(has_class("article", "story"))
        if story.xpath(f".//h3/a[contains(@href, '/{SEED_ID}')]")
    ]
    assert badges == [["AI", "가상자산", "중소기업·스타트업 정책"]]


def test_index_page_leads_to_every_feed_page_with_its_newest_stories(
    site: tuple[Config, Path],
) -> None:
    _, out = site
    text = (out / "index.html").read_text(encoding="utf-8")
    page = lxml.html.fromstring(text)
    for name in FEEDS:
        pattern = (
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
            rf'href="http://127\.0\.0\.1:8000/{re.escape(name)}">'
        )
        assert re.search(pattern, text), name
    sections = page.xpath(has_class("section", "feed"))
    assert [s.xpath(".//h2/a")[0].get("href") for s in sections] == [
        f.replace(".atom", ".html") for f in FEEDS
    ]
    for section, topic in zip(sections, (None, "ai", "crypto", "sme"), strict=True):
        stories = section.xpath(has_class("article", "story", ".//"))
        assert len(stories) == min(5, len(expected_ids(topic)))  # the newest five, badged
        assert all(story.xpath(has_class("li", "badge", ".//")) for story in stories)
    assert text.index("국가 AI 컴퓨팅센터") < text.index("네이버 하이퍼클로바X")


def test_pages_link_only_to_files_that_exist(site: tuple[Config, Path]) -> None:
    """Every relative href and src of every page resolves to a file of the output directory."""
    _, out = site
    for path in out.rglob("*.html"):
        page = lxml.html.parse(str(path)).getroot()
        for element in page.iter():
            for attr in ("href", "src"):
                target = element.get(attr)
                if target is None or re.match(r"https?://|#", target):
                    continue
                assert (path.parent / target).resolve().is_file(), (path, target)


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


def test_serve_uses_feed_mime_types_and_answers_304(served: str, site: tuple[Config, Path]) -> None:
    _, out = site
    (out / "status.json").write_text('{"last_run": null}\n')  # as output.status_path may put it
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    with httpx.Client(trust_env=False) as client:
        for path, kind in (
            ("/ai.atom", "application/atom+xml; charset=utf-8"),
            ("/ai.rss", "application/rss+xml; charset=utf-8"),
            ("/ai.json", "application/feed+json; charset=utf-8"),
            ("/status.json", "application/json"),
            ("/feeds.opml", "text/x-opml; charset=utf-8"),
            ("/ai.html", "text/html; charset=utf-8"),
            ("/", "text/html; charset=utf-8"),
            ("/style.css", "text/css; charset=utf-8"),
            ("/icon.png", "image/png"),
        ):
            answer = client.get(served + path)
            assert answer.status_code == 200 and answer.headers["content-type"] == kind, path
            # one type per file: no XSLT to apply, so a browser gets the same answer
            assert client.get(served + path, headers=browser).headers["content-type"] == kind
            assert "vary" not in answer.headers
        atom = client.get(served + "/ai.atom")
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
