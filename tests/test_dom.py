"""The HTML tree the extractors read (feedbot/extract/dom.py), where lxml's model differs from the
BeautifulSoup tree the extractors were first written on."""

from __future__ import annotations

from feedbot.extract import parse_article
from feedbot.extract.dom import Index, find, find_all, find_within, parse, text

URL = "http://127.0.0.1:9/article/25400001"
BASE = "https://www.joongang.co.kr"


def body_text(body: str) -> str:
    html = (
        "<html><body><article class='article'><header class='article_header'>"
        "<h1 class='headline'>제목</h1></header>"
        f"<div id='article_body'>{body}</div></article></body></html>"
    )
    return parse_article(html, URL, BASE).body_text


def test_an_empty_document_is_an_empty_html_element() -> None:
    for html in ("", "   \n", "<!-- only a comment -->"):
        root = parse(html)
        assert root.tag == "html" and len(root) <= 1 and text(root) == ""


def test_the_text_is_never_decoded_twice_whatever_the_page_declares() -> None:
    """The fetcher has already decoded the page; a stale `<meta charset>` or XML declaration must
    not make the parser read the characters as EUC-KR (or refuse a declared str)."""
    for head in ("<meta charset='euc-kr'>", "<?xml version='1.0' encoding='euc-kr'?>"):
        root = parse(f"{head}<p>한글 본문</p>")
        assert text(root).strip() == "한글 본문"


def test_lone_surrogates_and_nul_do_not_break_parsing() -> None:
    root = parse("<p>a\ud800b\x00c</p>")
    assert text(root).startswith("a") and text(root).endswith("c")


def test_text_after_a_dropped_element_is_kept() -> None:
    """In lxml the words after an element are its tail: dropping an ad must not drop them."""
    cleaned = body_text(
        "<p>앞 문장<span class='ad_wrap'>광고</span> 뒷 문장</p>"
        "<div class='ad_wrap'>광고 상자</div>남은 문장<script>x()</script> 끝."
    )
    assert cleaned == "앞 문장 뒷 문장\n\n남은 문장 끝."


def test_comments_vanish_without_splitting_words() -> None:
    assert body_text("<p>붙은<!-- 주석 -->단어</p>") == "붙은단어"


def test_find_all_is_descendants_only_in_document_order() -> None:
    root = parse(
        "<div class='x' id='outer'><p class='x'>1</p><span><b class='x'>2</b></span></div>"
    )
    outer = Index(root).id("outer")
    assert [text(e) for e in find_all(outer, cls="x")] == ["1", "2"]
    assert find(outer, "div") is None  # never the node itself
    assert [e.tag for e in find_all(root, cls="x")] == ["div", "p", "b"]


def test_find_within_yields_each_element_once() -> None:
    root = parse(
        "<div class='w'><a>1</a><div class='w'><a>2</a></div></div><div class='w'><a>3</a>"
    )
    outers = Index(root).cls("w")
    assert len(outers) == 3
    assert [text(a) for a in find_within(outers, "a")] == ["1", "2", "3"]


def test_index_answers_by_tag_class_and_first_id() -> None:
    root = parse(
        "<p id='dup' class='a b'>1</p><p id='dup' class='b'>2</p><span class='ab'>3</span>"
        "<h1 class='headline x'>4</h1><h1>5</h1>"
    )
    index = Index(root)
    assert text(index.id("dup")) == "1"
    assert index.id("missing") is None
    assert [text(e) for e in index.cls("b")] == ["1", "2"]
    assert [text(e) for e in index.cls("a")] == ["1"]  # "ab" is another class
    assert [text(e) for e in index.tag("h1", "headline")] == ["4"]
    assert [text(e) for e in index.tag("h1")] == ["4", "5"]


def test_an_anchor_name_is_not_an_id() -> None:
    """libxml2 files `<a name>` in an HTML document's ID table too."""
    index = Index(parse("<a name='article_body'>x</a><div id='article_body'>본문</div>"))
    found = index.id("article_body")
    assert found is not None and found.tag == "div"
