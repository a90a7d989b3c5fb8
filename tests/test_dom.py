"""The HTML tree the extractors read (feedbot/extract/dom.py): BeautifulSoup on lxml, built as
the extractors need it (raw classes, the page's own whitespace, only the parts asked for)."""

from __future__ import annotations

from feedbot.extract import parse_article
from feedbot.extract.dom import Index, Parts, content, find, find_all, find_within, parse, text

URL = "http://127.0.0.1:9/article/25400001"
BASE = "https://www.joongang.co.kr"
EVERY = Parts(
    tags=frozenset({"h1", "p", "meta"}),
    classes=frozenset({"a", "b", "w", "x", "plus_login"}),
    ids=frozenset({"dup", "missing", "outer", "article_body"}),
)


def body_text(body: str) -> str:
    html = (
        "<html><body><article class='article'><header class='article_header'>"
        "<h1 class='headline'>제목</h1></header>"
        f"<div id='article_body'>{body}</div></article></body></html>"
    )
    return parse_article(html, URL, BASE).body_text


def test_an_empty_document_has_no_elements() -> None:
    for html in ("", "   \n", "<!-- only a comment -->"):
        root = parse(html).root
        assert root.find(True) is None and text(root) == ""


def test_the_text_is_never_decoded_twice_whatever_the_page_declares() -> None:
    """The page is decoded before it is parsed; a stale `<meta charset>` or XML declaration
    must not make the parser read the characters as EUC-KR."""
    for head in ("<meta charset='euc-kr'>", "<?xml version='1.0' encoding='euc-kr'?>"):
        root = parse(f"{head}<p>한글 본문</p>").root
        assert text(root).strip() == "한글 본문"


def test_lone_surrogates_and_nul_do_not_break_parsing() -> None:
    root = parse("<p>a\ud800b\x00c</p>").root
    assert text(root).startswith("a") and text(root).endswith("c")


def test_text_after_a_dropped_element_is_kept() -> None:
    cleaned = body_text(
        "<p>앞 문장<span class='ad_wrap'>광고</span> 뒷 문장</p>"
        "<div class='ad_wrap'>광고 상자</div>남은 문장<script>x()</script> 끝."
    )
    assert cleaned == "앞 문장 뒷 문장\n\n남은 문장 끝."


def test_comments_vanish_without_splitting_words() -> None:
    assert body_text("<p>붙은<!-- 주석 -->단어</p>") == "붙은단어"
    root = parse("<p>a <!-- x --> b<?pi ?>c<b>d</b>e</p>").root
    assert list(content(root.find("p"))) == ["a  bc", root.find("b"), "e"]
    assert text(root, "|") == "a  bc|d|e"


def test_whitespace_is_kept_as_the_page_has_it() -> None:
    """bs4 would fold a whitespace-only string into one newline; the extractors fold it."""
    root = parse("<h1>a<b>b</b>\n\n  <i>c</i></h1>").root
    assert text(root) == "ab\n\n  c"


def test_classes_stay_the_string_the_page_wrote() -> None:
    root = parse("<p class=' a  b '>x</p>").root
    assert root.find("p").get("class") == " a  b "


def test_find_all_is_descendants_only_in_document_order() -> None:
    document = parse(
        "<div class='x' id='outer'><p class='x'>1</p><span><b class='x'>2</b></span></div>"
    )
    outer = Index(document, EVERY).id("outer")
    assert [text(e) for e in find_all(outer, cls="x")] == ["1", "2"]
    assert find(outer, "div") is None  # never the node itself
    assert [e.name for e in find_all(document.root, cls="x")] == ["div", "p", "b"]


def test_find_within_yields_each_element_once() -> None:
    document = parse(
        "<div class='w'><a>1</a><div class='w'><a>2</a></div></div><div class='w'><a>3</a>"
    )
    outers = Index(document, EVERY).cls("w")
    assert len(outers) == 3
    assert [text(a) for a in find_within(outers, "a")] == ["1", "2", "3"]


def test_index_answers_by_tag_class_and_first_id() -> None:
    index = Index(
        parse(
            "<p id='dup' class='a b'>1</p><p id='dup' class='b'>2</p><span class='ab'>3</span>"
            "<h1 class='headline x'>4</h1><h1>5</h1>"
        ),
        EVERY,
    )
    assert text(index.id("dup")) == "1"
    assert index.id("missing") is None
    assert [text(e) for e in index.cls("b")] == ["1", "2"]
    assert [text(e) for e in index.cls("a")] == ["1"]  # "ab" is another class
    assert [text(e) for e in index.tag("h1", "x")] == ["4"]
    assert [text(e) for e in index.tag("h1")] == ["4", "5"]


def test_an_anchor_name_is_not_an_id() -> None:
    index = Index(parse("<a name='article_body'>x</a><div id='article_body'>본문</div>"), EVERY)
    found = index.id("article_body")
    assert found is not None and found.name == "div"


def test_only_the_parts_asked_for_are_built_with_their_subtrees() -> None:
    parts = Parts(tags=frozenset({"meta"}), classes=frozenset({"w"}), ids=frozenset({"k"}))
    document = parse(
        "<head><meta name='a' content='1'></head><body><nav><ul><li>menu</li></ul></nav>"
        "<div><section class='x w'><p>안 <b>쪽</b></p></section></div><p id='k'>k</p></body>",
        parts,
    )
    assert [e.name for e in document.root.find_all(True)] == ["meta", "section", "p", "b", "p"]
    assert text(document.root) == "안 쪽k"


def test_elements_after_the_pages_end_count_only_for_ids_and_classes() -> None:
    """What a broken template puts after </html> stays outside the page, as lxml kept it: tag
    lookups and walks miss it, the id table and class lookups find it."""
    html = (
        "<html><body><p>본문</p></body></html><meta name='a' content='밖'>"
        "<div class='plus_login' id='article_body'><h1>밖</h1></div>"
    )
    for parts in (EVERY, None):
        document = parse(html, parts)
        index = Index(document, EVERY)
        assert index.tag("meta") == [] and index.tag("h1") == []
        assert [e.name for e in index.cls("plus_login")] == ["div"]
        assert index.id("article_body") is not None
        assert "밖" not in text(document.root)
