"""Extractor behaviour on small hand-made pages: each test names the site variation it covers."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedbot.errors import ExtractError
from feedbot.extract import parse_article, parse_list_page

BASE = "https://www.joongang.co.kr"
URL = "http://127.0.0.1:9/article/25400001"


def page(head: str = "", header: str = "", body: str = "<p>본문 문단.</p>", after: str = "") -> str:
    return (
        f"<html><head><meta charset='utf-8'>{head}</head><body><main id='container'>"
        f"<article class='article'><header class='article_header'>{header}</header>"
        f"<div id='article_body' class='article_body'>{body}</div>{after}</article></main>"
        "</body></html>"
    )


def test_title_falls_back_to_og_title_without_suffix() -> None:
    """No h1: og:title minus ' | 중앙일보', with the [팩플] prefix removed and flagged."""
    html = page(head='<meta property="og:title" content="[팩플] 제목이다 | 중앙일보">')
    article = parse_article(html, URL, BASE)
    assert article.title == "제목이다" and article.factpl_tag
    assert article.provenance["title"] == "meta"


def test_title_tag_inside_the_headline_is_not_stripped() -> None:
    """Only an exact [팩플] at either end is the section tag."""
    html = page(header="<h1 class='headline'> 팩플 [팩플] 이야기 </h1>")
    assert parse_article(html, URL, BASE).title == "팩플 [팩플] 이야기"


def test_json_ld_in_a_graph_is_found() -> None:
    """JSON-LD may wrap the NewsArticle in @graph; its dates and authors win the cascade."""
    ld = (
        '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": '
        '"NewsArticle", "headline": "h", "datePublished": "2026-01-02T03:04:00+09:00", '
        '"author": {"@type": "Person", "name": "홍길동 기자"}}]}</script>'
    )
    html = page(head=ld, header="<h1 class='headline'>제목</h1>")
    article = parse_article(html, URL, BASE)
    assert (
        article.published is not None
        and article.published.isoformat() == "2026-01-02T03:04:00+09:00"
    )
    assert [a.name for a in article.authors] == ["홍길동"]
    assert article.provenance["published"] == "jsonld"


def test_broken_json_ld_is_ignored() -> None:
    html = page(
        head='<script type="application/ld+json">{not json</script>',
        header="<h1 class='headline'>제목</h1><p class='date'>입력 2021.08.21 18:35</p>",
    )
    article = parse_article(html, URL, BASE)
    assert (
        article.published is not None
        and article.published.isoformat() == "2021-08-21T18:35:00+09:00"
    )


def test_window_article_time_is_korea_time() -> None:
    html = page(
        head="<script>window.article = {SERVICE_DAYTIME: '2026-03-14 00:34:00'};</script>",
        header="<h1 class='headline'>제목</h1>",
    )
    published = parse_article(html, URL, BASE).published
    assert published is not None and published.isoformat() == "2026-03-14T00:34:00+09:00"


def test_paper_name_is_never_an_author() -> None:
    """The bare '중앙일보' line and a meta author of '중앙일보' are the paper, not a reporter."""
    html = page(
        head='<meta name="author" content="중앙일보"><meta property="dable:author" content="중앙일보">',
        header="<h1 class='headline'>제목</h1><p>중앙일보</p>",
    )
    assert parse_article(html, URL, BASE).authors == ()


def test_body_links_become_absolute_and_scripts_vanish() -> None:
    body = (
        "<p>관련 <a href='/article/25400002?cloc=x'>기사</a> 참고<script>alert(1)</script>"
        "<a href='javascript:alert(1)'>클릭</a></p>"
        "<div class='ab_photo'><img src='//pds.joongang.co.kr/a/b.jpg/_ir50_/' alt='사진'>"
        "<p class='caption'>사진</p></div><style>p{}</style>"
    )
    article = parse_article(page(header="<h1 class='headline'>t</h1>", body=body), URL, BASE)
    assert '<a href="http://127.0.0.1:9/article/25400002?cloc=x">기사</a>' in article.body_html
    assert "javascript" not in article.body_html and "alert" not in article.body_html
    assert '<img src="https://pds.joongang.co.kr/a/b.jpg" alt="사진">' in article.body_html
    assert "p{}" not in article.body_html


def test_br_separated_old_body_becomes_paragraphs() -> None:
    """2021-era bodies are loose text separated by <br><br>."""
    body = "첫 문단이다.<br><br>둘째 문단이다.<br><br>ⓒ중앙일보"
    article = parse_article(page(header="<h1 class='headline'>t</h1>", body=body), URL, BASE)
    assert article.body_text == "첫 문단이다.\n\n둘째 문단이다."
    assert article.body_html == "<p>첫 문단이다.</p>\n<p>둘째 문단이다.</p>"


def test_redirected_page_of_another_article_is_refused() -> None:
    html = page(
        head='<meta property="og:url" content="https://www.joongang.co.kr/article/25499999">',
        header="<h1 class='headline'>t</h1>",
    )
    with pytest.raises(ExtractError, match="page is article 25499999"):
        parse_article(html, URL, BASE)


def test_empty_body_is_an_error_not_an_empty_entry() -> None:
    with pytest.raises(ExtractError, match="body is empty"):
        parse_article(
            page(header="<h1 class='headline'>t</h1>", body="<div class='ad_wrap'>x</div>"),
            URL,
            BASE,
        )


def test_list_fallback_when_story_list_is_gone() -> None:
    """Without #story_list, /article/ links in main count, minus the ranking sidebar (U1)."""
    html = (
        "<main id='container'><div class='new_list'><a href='/article/25400010'>하나</a>"
        "<a href='https://news.joins.com/article/25400011#home'>둘 [팩플]</a></div>"
        "<ul class='card_right_list rank_list'><li><a href='/article/25400012'>랭킹</a></li></ul>"
        "</main>"
    )
    page_ = parse_list_page(html, "https://www.joongang.co.kr/factpl", BASE)
    assert page_.strategy == "fallback"
    assert [(c.id, c.title) for c in page_.cards] == [(25400010, "하나"), (25400011, "둘")]


@settings(max_examples=150)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_extractor(junk: str) -> None:
    """Any input gives an Article or an ExtractError, nothing else."""
    for html in (junk, page(header=f"<h1 class='headline'>{junk}</h1>", body=junk)):
        with contextlib.suppress(ExtractError):
            parse_article(html, URL, BASE)
        parse_list_page(html, "https://www.joongang.co.kr/factpl", BASE)
