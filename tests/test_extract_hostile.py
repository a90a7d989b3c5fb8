"""Hostile values in an article page (issue 13, found by an adversarial tester): JSON-LD of any
JSON shape, meta and date strings of any text, dates out of range. The extractor returns an
Article or raises ExtractError, nothing else; odd values are ignored with a warning; every date
it returns is aware and in range; every e-mail it returns is an address."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import feedbot.extract.body
from feedbot.errors import ExtractError
from feedbot.extract import parse_article, parse_list_page
from feedbot.extract.body import MAX_DEPTH
from feedbot.models import Article
from feedbot.normalize import (
    FIRST_YEAR,
    LAST_YEAR,
    parse_iso_datetime,
    parse_site_datetime,
    public_url,
    valid_email,
)
from tests.helpers import LD_KEYS

URL = "https://www.joongang.co.kr/article/25400001"
BASE = "https://www.joongang.co.kr"


def page(ld: str = "", head: str = "", header: str = "", body: str = "<p>본문 문단.</p>") -> str:
    block = f'<script type="application/ld+json">{ld}</script>' if ld else ""
    return (
        f"<html><head>{block}{head}</head><body><article class='article'>"
        f"<header class='article_header'><h1 class='headline'>제목</h1>{header}</header>"
        f"<div id='article_body'>{body}</div></article></body></html>"
    )


def news(**fields: object) -> str:
    return json.dumps({"@type": "NewsArticle", **fields})


def check(article: Article) -> None:
    for moment in (article.published, article.updated):
        if moment is not None:
            assert isinstance(moment, datetime) and moment.utcoffset() is not None
            assert FIRST_YEAR <= moment.year <= LAST_YEAR
            moment.astimezone(datetime.now().astimezone().tzinfo)  # no overflow either way
    for author in article.authors:
        assert author.email is None or valid_email(author.email)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(LD_KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)
article_types = st.sampled_from(["NewsArticle", "Article", "WebPage", 3, None, ["NewsArticle"]])


@settings(max_examples=300)
@given(
    json_values,
    st.dictionaries(st.sampled_from(LD_KEYS), json_values, max_size=6),
    article_types,
    st.text(max_size=40),
    st.text(max_size=40),
    st.text(max_size=40),
)
def test_any_json_ld_and_any_date_text_give_an_article_or_an_extract_error(
    anything: object,
    fields: dict[str, object],
    kind: object,
    meta_date: str,
    time_attr: str,
    date_line: str,
) -> None:
    for ld in (json.dumps(anything), json.dumps({**fields, "@type": kind})):
        html = page(
            ld,
            head=f'<meta property="article:published_time" content="{meta_date}">',
            header=(
                f'<p class="date">입력 <time itemprop="datePublished" datetime="{time_attr}">x'
                f'</time></p><p class="date">업데이트 {date_line}</p>'
            ),
        )
        html = html.replace("\x00", "")
        try:
            article = parse_article(html, URL, BASE)
        except ExtractError:
            continue
        check(article)


@pytest.mark.parametrize(
    ("ld", "warned"),
    [
        (json.dumps({"@type": {"name": "NewsArticle"}}), None),
        (json.dumps({"@type": [{"a": 1}, {"b": 2}], "headline": "h"}), None),
        (json.dumps({"@graph": 5}), None),
        (json.dumps({"@graph": "NewsArticle"}), None),
        (news(datePublished=20260101), "published: jsonld value 20260101 is not a date"),
        (news(datePublished=["2026-01-01"]), "published: jsonld value ['2026-01-01']"),
        (news(datePublished={"@value": "2026-01-01"}), "published: jsonld value {'@value'"),
        (news(dateModified="0001-01-01T00:00:00+09:00"), "updated: jsonld value '0001-01-01"),
        (news(datePublished="9999-12-31T23:59:59-09:00"), "published: jsonld value '9999"),
        (news(author=7), "authors: jsonld value 7 names no one"),
        (news(author={"name": "홍길동 기자", "email": "홍길동@중앙"}), "is not an e-mail address"),
        (news(author={"name": "홍길동", "email": ["a@b.com"]}), "is not an e-mail address"),
        (news(description={"x": 1}), "description: jsonld value {'x': 1} is not text"),
        ("[" * 10_000 + "]" * 10_000, None),
        ("1" * 5_000, None),
        (news(datePublished=10**400), "is not a date"),
        (json.dumps([[[[{"@type": ["x", "NewsArticle"], "description": 1e308}]]]]), "not text"),
    ],
)
def test_odd_json_ld_values_are_ignored_with_a_warning(ld: str, warned: str | None) -> None:
    """The page still extracts (title, body from the markup); the odd field is missing."""
    article = parse_article(page(ld), URL, BASE)
    check(article)
    assert article.title == "제목" and article.body_text == "본문 문단."
    if warned is not None:
        assert any(warned in w for w in article.warnings), article.warnings


def test_a_headline_that_is_not_text_is_passed_over() -> None:
    html = page(news(headline=["h"])).replace("<h1 class='headline'>제목</h1>", "")
    html = html.replace("</head>", "<title>제목 | 중앙일보</title></head>")
    article = parse_article(html, URL, BASE)
    assert article.title == "제목" and article.provenance["title"] == "title"
    assert "title: jsonld value ['h'] is not text; ignored" in article.warnings


def test_an_invalid_author_email_is_dropped_the_name_kept() -> None:
    html = page(body="<p>본문.</p><div class='ab_byline'>홍길동 기자 hong@@joongang</div>")
    article = parse_article(html, URL, BASE)
    assert [(a.name, a.email) for a in article.authors] == [("홍길동", None)]
    ld = news(author={"name": "김철수", "email": "mailto:kim.cs@joongang.co.kr"})
    assert parse_article(page(ld), URL, BASE).authors[0].email == "kim.cs@joongang.co.kr"


@pytest.mark.parametrize(
    "line", ["입력 0001.01.01 00:00", "입력 9999.12.31 23:59", "입력 1989.12.31 23:59"]
)
def test_a_page_date_out_of_range_is_missing_and_warned(line: str) -> None:
    article = parse_article(page(header=f"<p class='date'>{line}</p>"), URL, BASE)
    assert article.published is None
    assert any(w.startswith("published: page value") for w in article.warnings)


def test_a_card_date_out_of_range_is_missing_and_warned() -> None:
    html = (
        "<ul id='story_list'><li class='card'><h2 class='headline'>"
        "<a href='/article/25400001'>제목</a></h2><p class='date'>0001.01.01 00:00</p></li>"
        "<li class='card'><h2 class='headline'><a href='/article/25400002'>둘</a></h2>"
        "<p class='date'>2026.03.14 00:34</p></li></ul>"
    )
    listing = parse_list_page(html, BASE + "/factpl", BASE)
    assert [c.date is None for c in listing.cards] == [True, False]
    assert listing.warnings == (
        "card 25400001: date '0001.01.01 00:00' is not a date in 1990–2100; ignored",
    )


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+09:00",
        "9999-12-31T23:59:59-09:00",
        "1989-12-31",
        "2101-01-01",
        "0001.01.01",
        "9999.12.31 23:59",
    ],
)
def test_normalize_reads_dates_out_of_range_as_none(text: str) -> None:
    assert parse_iso_datetime(text) is None and parse_site_datetime(text) is None


def test_normalize_keeps_the_ends_of_the_range() -> None:
    first = parse_site_datetime("1990.01.01 00:00")
    last = parse_iso_datetime("2100-12-31T23:59:59+00:00")
    assert first is not None and first.year == 1990
    assert last is not None and last.year == 2100


# -- found by the adversarial review of 2026-12-02 ---------------------------------------------

NONCHARACTERS = ["\ufffe", "\uffff", "\ud800"]  # XML cannot carry them: lxml refused the feed


@pytest.mark.parametrize("bad", NONCHARACTERS)
def test_a_url_xml_cannot_carry_is_not_public(bad: str) -> None:
    assert public_url(f"https://pds.joongang.co.kr/a{bad}.jpg") is None
    assert public_url("https://www.joongang.co.kr/tag/업비트") is not None  # Korean is fine


@pytest.mark.parametrize("bad", NONCHARACTERS)
def test_an_image_url_xml_cannot_carry_gives_way_to_the_next_source(bad: str) -> None:
    """JSON-LD's image first, then og:image, then the body's first photo: a candidate that no
    feed could carry is passed over, and a story without a usable one has no image."""
    good = "https://pds.joongang.co.kr/news/good.jpg"
    ld = news(image=f"https://pds.joongang.co.kr/a{bad}.jpg")  # json.dumps escapes a surrogate
    html = page(ld, head=f'<meta property="og:image" content="{good}">')
    assert parse_article(html, URL, BASE).image == good
    if bad != "\ud800":  # a lone surrogate cannot be written into a page's bytes, only escaped
        body = f"<p>본문 문단.</p><img src='/a{bad}.jpg'>"  # the first photo: the lead image
        html = page(head=f'<meta property="og:image" content="/x{bad}">', body=body)
        article = parse_article(html, URL, BASE)
        assert article.image is None and bad not in article.body_html


@pytest.mark.parametrize(
    "html",
    [
        page(body='<p>본문 문단. <a href="HTTPS://[::1/x">링크</a></p>'),
        page(body='<p>본문 문단. <a href="http://[::1/x?">링크</a></p>'),
        page(body='<p>본문 문단. <a href="x://a]b">링크</a></p>'),
        page(body='<p>본문 문단.</p><img src="HTTP://[x">'),
        page(head='<meta property="og:image" content="Https://[bad/x.jpg">'),
        page(news(image="https://[bad/x.jpg#")),
    ],
)
def test_a_link_or_image_no_url_parser_accepts_is_dropped_not_an_error(html: str) -> None:
    """`urljoin` raises ValueError ("Invalid IPv6 URL") for these: the link is unwrapped (its
    text kept), the image dropped, the story extracted."""
    article = parse_article(html, URL, BASE)
    assert article.body_text.startswith("본문 문단.") and article.image is None
    assert "[" not in article.body_html.replace("링크", "")


def test_a_card_whose_thumbnail_no_parser_accepts_is_kept() -> None:
    html = (
        "<ul id='story_list'><li class='card'><img src='HTTP://[x'><h2 class='headline'>"
        "<a href='/article/25400001'>제목</a></h2></li></ul>"
    )
    listing = parse_list_page(html, BASE + "/factpl", BASE)
    assert [(c.id, c.title, c.image) for c in listing.cards] == [(25400001, "제목", None)]
    assert listing.strategy == "story_list" and listing.warnings == ()  # not "card skipped"


@pytest.mark.parametrize(
    ("open_", "close"),
    [
        ("<font color='red'>글", ""),  # unclosed, as old CMS markup leaves it
        ("<b>글", ""),
        ("<span>글", "</span>"),
        ("<div>글", "</div>"),
        ("<blockquote>글", "</blockquote>"),
        ("<ul><li>글", "</li></ul>"),
    ],
)
def test_a_body_nested_thousands_deep_is_read_as_text(open_: str, close: str) -> None:
    """The builder recurses once per level: 600 levels overflowed Python's stack
    (RecursionError). Below MAX_DEPTH the markup is kept; deeper, its text."""
    depth = 3000
    html = page(body="<p>본문 문단.</p><div>" + open_ * depth + close * depth + "</div>")
    article = parse_article(html, URL, BASE)
    assert article.body_text.startswith("본문 문단.")
    assert article.body_text.count("글") == depth


def test_byline_addresses_pair_with_their_names() -> None:
    """The bounded e-mail pattern (tests/test_linear_time.py) still finds every address,
    right after 기자 too: `\\w` is Hangul, so an address glued to it was lost for a while."""
    pairs = (
        "홍길동 기자 hong.gd@joongang.co.kr 김철수 기자(kim+x@joongang.co.kr) 이영희 기자lee@a.kr"
    )
    html = page(body=f"<p>본문 문단.</p><div class='ab_byline'>{pairs}</div>")
    assert [(a.name, a.email) for a in parse_article(html, URL, BASE).authors] == [
        ("홍길동", "hong.gd@joongang.co.kr"),
        ("김철수", "kim+x@joongang.co.kr"),
        ("이영희", "lee@a.kr"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        # a container whose text starts with the label: its walk ends at the budget, not a label
        "<div><p>ADVERTISEMENT</p>" + "<div class='slot'></div>" * 13 + "<p>첫 문단.</p></div>",
        "<div>ADVERTISEMENT" + "<br>" * 14 + "첫 문단.</div>",
    ],
)
def test_text_after_an_ad_label_and_many_elements_is_kept(body: str) -> None:
    assert parse_article(page(body=body), URL, BASE).body_text.endswith("첫 문단.")


def test_a_nest_deeper_than_max_depth_keeps_its_paragraphs_and_drops_its_junk() -> None:
    """Read flat past MAX_DEPTH, a block still ends a paragraph, `<br><br>` still splits one,
    and the advertisement label, the copyright line and the promo line are still dropped."""
    deep = "<div>" * (MAX_DEPTH + 5)
    body = (
        deep
        + "<div>하나</div><div>둘</div><font size=3>셋<br><br>넷</font><span>ADVERTISEMENT</span>"
        + "<p>ⓒ 중앙일보</p><p>👉 https://www.joongang.co.kr/factpl</p><p>다섯</p>"
    )
    article = parse_article(page(body=body), URL, BASE)
    assert article.body_text == "하나\n\n둘\n\n셋\n\n넷\n\n다섯"


def test_a_url_with_spaces_or_line_breaks_is_read_as_a_browser_reads_it() -> None:
    """The URL standard drops tabs and line breaks inside a URL; a space is sent as %20."""
    body = (
        "<p>본문 <a href='https://search.joongang.co.kr/search?keyword=챗 GPT'>검색</a></p>"
        "<div class='ab_photo'><img data-src='https://pds.joongang.co.kr/a/photo\n 1.jpg'>"
        "<p class='caption'>사진</p></div>"
    )
    article = parse_article(page(body=body), URL, BASE)
    assert 'href="https://search.joongang.co.kr/search?keyword=챗%20GPT"' in article.body_html
    assert article.image == "https://pds.joongang.co.kr/a/photo%201.jpg"


def test_an_offset_with_seconds_is_written_as_rfc_3339() -> None:
    """Python reads `+09:00:30`; RFC 3339 has no such offset: the same moment in Korea time."""
    moment = parse_iso_datetime("2026-11-24T09:00:00+09:00:30")
    assert moment is not None and moment.utcoffset() == timedelta(hours=9)
    assert moment.isoformat() == "2026-11-24T08:59:30+09:00"
    assert parse_iso_datetime("2026-11-24T09:00:00+05:30").isoformat().endswith("+05:30")  # type: ignore[union-attr]


_words = st.sampled_from(["가", "나 다", "라마", "ab", " 바 "])
_inline = st.recursive(
    _words,
    lambda inner: st.builds(
        lambda tag, parts: f"<{tag}>{''.join(parts)}</{tag}>",
        st.sampled_from(["span", "b", "font", "em"]),
        st.lists(inner, max_size=3),
    ),
    max_leaves=6,
)
# a line break only between inline elements: one inside <b> is split from a second one outside
# it by `</strong>` in the builder's output, so `<b>a<br></b><br>b` is one paragraph there and
# two read flat (the flat reading is the right one; the builder's is what stored stories hold)
_line = _inline | st.just("<br>")
_block = st.recursive(
    st.builds(lambda parts: f"<p>{''.join(parts)}</p>", st.lists(_line, min_size=1, max_size=4))
    | st.builds(
        lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
        st.lists(_inline, min_size=1, max_size=3),  # a list item's text is read whole
    ),
    lambda inner: st.builds(
        lambda tag, parts: f"<{tag}>{''.join(parts)}</{tag}>",
        st.sampled_from(["div", "blockquote", "section"]),
        st.lists(inner | _line, min_size=1, max_size=3),
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_block, min_size=1, max_size=4))
def test_read_flat_a_body_has_the_text_it_has_read_whole(blocks: list[str]) -> None:
    """What past MAX_DEPTH is read flat (here: all of it) gives the same text, paragraphs and
    lines as the builder gives it read whole."""
    html = page(body="".join(blocks))
    try:
        whole = parse_article(html, URL, BASE).body_text
    except ExtractError:
        whole = None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(feedbot.extract.body, "MAX_DEPTH", 0)
        try:
            flat = parse_article(html, URL, BASE).body_text
        except ExtractError:
            flat = None
    assert flat == whole
