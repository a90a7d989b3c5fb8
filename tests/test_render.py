"""Atom rendering: valid, deterministic, stable ids, honest dates, sanitized content."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feedbot.models import Tombstone
from feedbot.render.atom import entry_id, entry_updated, render_atom
from tests.helpers import BASE, META, TITLES, jing_check, stored


def test_feed_is_valid_atom(tmp_path: Path) -> None:
    items = [stored(), stored(story_id=25400002, authors=(), published=None)]
    path = tmp_path / "all.atom"
    path.write_bytes(render_atom(items, META, TITLES))
    jing_check(path)
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0 and len(parsed.entries) == 2


def test_output_is_deterministic_and_order_independent() -> None:
    items = [
        stored(story_id=25400000 + i, published=datetime(2026, 11, 1 + i, tzinfo=UTC))
        for i in range(5)
    ]
    assert render_atom(items, META, TITLES) == render_atom(list(reversed(items)), META, TITLES)


def test_newest_first_and_feed_updated_is_newest_entry_not_now() -> None:
    old = stored(story_id=25400001, published=datetime(2026, 11, 1, tzinfo=UTC))
    new = stored(
        story_id=25400002,
        published=datetime(2026, 11, 2, tzinfo=UTC),
        updated=datetime(2026, 11, 3, tzinfo=UTC),
    )
    parsed = feedparser.parse(render_atom([old, new], META, TITLES))
    assert [e.id for e in parsed.entries] == [entry_id(25400002), entry_id(25400001)]
    assert parsed.feed.updated == "2026-11-03T09:00:00+09:00"
    assert parsed.entries[0].published == "2026-11-02T09:00:00+09:00"


def test_entry_id_depends_on_article_id_only() -> None:
    assert entry_id(25401480) == "tag:feedbot,2026:joongang.co.kr/article/25401480"


def test_updated_moves_only_for_changes_seen_after_first_sight() -> None:
    published = datetime(2026, 11, 1, tzinfo=UTC)
    first = datetime(2026, 11, 2, tzinfo=UTC)
    unchanged = stored(published=published, first_seen=first)
    assert entry_updated(unchanged) == published
    edited = stored(
        published=published, first_seen=first, changed=datetime(2026, 11, 5, tzinfo=UTC)
    )
    assert entry_updated(edited) == datetime(2026, 11, 5, tzinfo=UTC)


def test_content_is_sanitized_and_images_are_private() -> None:
    body = (
        '<p onclick="x()">글<script>alert(1)</script></p><img src="javascript:alert(1)">'
        '<figure><img src="https://pds.joongang.co.kr/a.jpg" alt="사진"></figure>'
        '<iframe src="https://evil.test"></iframe>'
    )
    # read the raw content: feedparser would sanitize it again and hide what we wrote
    root = etree.fromstring(render_atom([stored(body_html=body)], META, TITLES))
    content = root.findtext(
        "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content"
    )
    assert content is not None
    for bad in ("script", "onclick", "javascript", "iframe", "evil.test"):
        assert bad not in content
    assert 'referrerpolicy="no-referrer"' in content and 'loading="lazy"' in content


def test_member_only_entries_say_so() -> None:
    xml = render_atom([stored(member_only=True)], META, TITLES).decode()
    assert "회원 전용" in feedparser.parse(xml).entries[0].content[0].value


@settings(max_examples=60)
@given(st.text(min_size=1, max_size=80), st.text(max_size=200))
def test_any_unicode_in_fields_yields_parseable_feed(title: str, body: str) -> None:
    """Control characters and lone surrogates must not break the XML."""
    item = stored(title=title, body_text=body, body_html=f"<p>{body}</p>", description=body)
    parsed = feedparser.parse(render_atom([replace(item)], META, TITLES))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert len(parsed.entries) == 1


def test_an_empty_feed_is_dated_when_it_first_appeared_not_1970() -> None:
    """A new topic with no story yet: `updated` is the feed's stable first-build date."""
    parsed = feedparser.parse(render_atom([], META, TITLES))
    assert parsed.bozo == 0 and parsed.entries == []
    assert parsed.feed.updated == "2026-10-01T18:30:00+09:00"
    assert render_atom([], META, TITLES) == render_atom([], META, TITLES)


def test_tombstone_namespace_only_in_a_feed_that_holds_a_tombstone() -> None:
    """An unused namespace declaration is what the W3C feed validator warned about."""
    without = render_atom([stored()], META, TITLES)
    assert b"tombstones" not in without
    deleted = datetime(2026, 11, 20, tzinfo=UTC)
    with_one = render_atom([stored()], META, TITLES, tombstones=[Tombstone(25400009, deleted)])
    root = etree.fromstring(with_one)
    assert root.nsmap["at"] == "http://purl.org/atompub/tombstones/1.0"
    (tombstone,) = root.findall("{http://purl.org/atompub/tombstones/1.0}deleted-entry")
    assert tombstone.get("ref") == entry_id(25400009)


def test_feed_links_its_page_and_the_site_section_and_carries_no_stylesheet() -> None:
    data = render_atom([stored()], META, TITLES)
    assert b"<?xml-stylesheet" not in data  # browsers are removing XSLT; the page replaces it
    links = {
        (link.get("rel"), link.get("type")): link.get("href")
        for link in etree.fromstring(data).findall("{http://www.w3.org/2005/Atom}link")
    }
    assert links[("alternate", "text/html")] == BASE + "all.html"
    assert links[("related", "text/html")] == "https://www.joongang.co.kr/factpl"


def test_an_image_url_that_is_not_http_never_reaches_the_feed() -> None:
    data = render_atom([stored(image="javascript:alert(1)")], META, TITLES)
    assert b"javascript" not in data and b"media:thumbnail" not in data
