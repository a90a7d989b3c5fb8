"""The HTML pages as pure renderings: every string escaped, only http(s) URLs linked, no article
HTML, deterministic bytes (issue 15)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from feedbot.models import Author, Classification
from feedbot.render.html import archive_page, feed_page, index_page
from tests.helpers import META, TITLES, stored

NAV = [("all", "전체"), ("ai", "AI")]
UPDATED = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'


def page(*items: object, months: tuple[str, ...] = ()) -> bytes:
    return feed_page(META, list(items), TITLES, updated=UPDATED, months=months, nav=NAV)  # type: ignore[arg-type]


def test_hostile_strings_from_the_site_are_text_not_markup() -> None:
    story = stored(
        title=HOSTILE,
        description=HOSTILE,
        authors=(Author(HOSTILE),),
        body_html="<p><script>steal()</script></p>",
    )
    html = page(story).decode()
    root = lxml.html.fromstring(html)
    assert not root.xpath("//script") and not root.xpath("//*[@onerror]")
    assert "steal()" not in html  # the body's HTML never reaches a page
    title = root.xpath("//article//h3/a")[0]
    assert title.text_content() == HOSTILE  # shown as the text it is
    assert len(root.xpath("//img")) == 0  # the story has no lead image


def test_only_http_urls_become_links_or_images() -> None:
    bad = stored(url="javascript:alert(1)", image="data:image/png;base64,AAAA")
    good = stored(story_id=25400002, image="https://pds.joongang.co.kr/a.jpg")
    html = page(bad, good).decode()
    assert "javascript:" not in html and "data:image" not in html
    root = lxml.html.fromstring(html)
    assert [img.get("src") for img in root.xpath("//img")] == ["https://pds.joongang.co.kr/a.jpg"]
    titles = root.xpath("//article//h3")
    assert [bool(h.xpath("a")) for h in titles] == [True, False]  # newest first: good, bad


def test_pages_are_deterministic_and_order_independent() -> None:
    items = [
        stored(story_id=25400000 + i, published=datetime(2026, 11, 1 + i, tzinfo=UTC))
        for i in range(5)
    ]
    assert page(*items) == page(*reversed(items))
    front = [(META, items, UPDATED, 5)]
    assert index_page(front, TITLES, site_title="t", nav=NAV) == index_page(
        [(META, list(reversed(items)), UPDATED, 5)], TITLES, site_title="t", nav=NAV
    )


def test_a_corrected_story_says_so_with_its_time() -> None:
    first = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    story = stored(first_seen=first, changed=datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    root = lxml.html.fromstring(page(story))
    mark = root.xpath("//span[contains(@class, 'fixed')]")[0]
    assert "수정됨" in mark.text_content()
    assert mark.xpath("time")[0].get("datetime") == "2026-11-25T12:00:00+09:00"


def test_months_are_listed_newest_first_on_the_feed_page() -> None:
    root = lxml.html.fromstring(page(stored(), months=("2026-09", "2026-10")))
    links = root.xpath("//nav[@class='months']//a")
    assert [a.get("href") for a in links] == [
        "archive/all/2026-10.html",
        "archive/all/2026-09.html",
    ]
    assert [a.text_content() for a in links] == ["2026년 10월", "2026년 9월"]


def test_archive_page_links_back_and_older_only() -> None:
    html = archive_page(META, [stored()], TITLES, month="2026-10", older="2026-09")
    root = lxml.html.fromstring(html)
    assert [a.get("href") for a in root.xpath("//main/nav//a")] == [
        "../../all.html",
        "2026-09.html",
    ]
    assert root.xpath("//link[@rel='stylesheet']")[0].get("href") == "../../style.css"
    assert "2026년 10월" in root.xpath("//h1")[0].text_content()
    autodiscovery = [link.get("href") for link in root.xpath("//link[@rel='alternate']")]
    assert autodiscovery == [META.self_url, META.json_url, META.rss_url]  # the feed, to subscribe


def test_a_story_without_a_lead_shows_the_start_of_its_text() -> None:
    story = stored(description=None, body_text="가" * 400)
    summary = lxml.html.fromstring(page(story)).xpath("//p[@class='summary']")[0]
    assert summary.text_content() == "가" * 160 + "…"


@settings(max_examples=60)
@given(st.text(max_size=60), st.text(max_size=60), st.text(max_size=60))
def test_any_text_in_any_field_stays_text(title: str, lead: str, topic: str) -> None:
    """Whatever the site sends (control characters included), the page parses and shows no
    element or attribute that the text did not come from."""
    story = stored(
        title=title or "x",
        description=lead,
        topics=Classification(("ai",), {"ai": 9.0}, {"ai": ()}),
    )
    html = feed_page(
        replace(META, title=topic or "t"),
        [story],
        {"ai": topic or "AI"},
        updated=UPDATED,
        months=(),
        nav=NAV,
    )
    root = lxml.html.fromstring(html)
    assert not root.xpath("//script | //iframe | //*[@onerror] | //*[@onclick]")
    assert len(root.xpath("//article")) == 1
