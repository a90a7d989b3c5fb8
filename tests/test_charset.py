"""A page's bytes to characters (extract.decode_page, on bs4's EncodingDetector): a byte order
mark, then the Content-Type header's charset, then <meta charset>, then UTF-8 and CP949, the
first that fits; EUC-KR read as CP949; a stale <meta> never read when the header fits; a label
Python cannot or must not use ignored with a warning, never an error. robots.txt is UTF-8
whatever it is labelled (RFC 9309)."""

from __future__ import annotations

import logging

import httpx
import pytest

from feedbot.config import Config
from feedbot.errors import RobotsDisallowed
from feedbot.extract import decode_page, parse_article
from feedbot.extract.dom import parse, text
from feedbot.fetch.http import Fetcher
from feedbot.fetch.robots import MemoryRobotsCache
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from feedbot.replica.pages import article_page
from feedbot.replica.server import Scripted
from feedbot.store.db import Store
from tests.helpers import fast_fetch, fixed_now, replica_config

KOREAN = "팩플 똠방각하 햏"  # 똠, 햏: CP949 has them, strict EUC-KR does not
UNUSABLE = ["undefined", "idna", "utf-7", "x-user-defined", "no such charset!", "x" * 5000]


def html(head: str = "") -> str:
    return f"<html><head>{head}</head><body><p>{KOREAN}</p></body></html>"


def test_a_bom_alone_decides() -> None:
    """No declaration but the byte order mark; and a BOM beats a header that disagrees."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")):
        body = bom + html().encode(codec)
        for content_type in (None, "text/html; charset=euc-kr"):
            page = decode_page(body, content_type)
            assert page.source == "bom" and KOREAN in page.text and page.text[0] != "\ufeff"


@pytest.mark.parametrize("label", ["EUC-KR", "euc-kr", "ks_c_5601-1987", "cp949", '"EUC-KR"'])
def test_euc_kr_is_read_as_cp949_from_header_or_meta(label: str) -> None:
    body = html().encode("cp949")
    page = decode_page(body, f"text/html; charset={label}")
    assert (page.encoding, page.source, page.replaced) == ("cp949", "Content-Type header", False)
    assert KOREAN in page.text
    meta = html(f'<meta http-equiv="Content-Type" content="text/html; charset={label}">')
    page = decode_page(meta.encode("cp949"), "text/html")
    assert (page.encoding, page.source) == ("cp949", "<meta charset>") and KOREAN in page.text


def test_a_stale_meta_is_never_read_when_the_header_fits() -> None:
    """The header says UTF-8 and the bytes are UTF-8: the page's old `euc-kr` meta is ignored,
    and the parser, given text, does not decode it a second time either."""
    body = html("<meta charset='euc-kr'>").encode()
    page = decode_page(body, "text/html; charset=UTF-8")
    assert (page.encoding, page.source, page.warnings) == ("utf-8", "Content-Type header", ())
    assert text(parse(page.text).root).strip() == KOREAN


def test_header_and_meta_disagreeing_the_one_the_bytes_fit_wins() -> None:
    body = html("<meta charset='euc-kr'>").encode("cp949")
    page = decode_page(body, "text/html; charset=utf-8")
    assert (page.encoding, page.source) == ("cp949", "<meta charset>") and KOREAN in page.text
    assert page.warnings == (
        "the bytes are not utf-8 as the Content-Type header says; read as cp949",
    )


def test_no_declaration_at_all_is_utf8_else_cp949() -> None:
    assert decode_page(html().encode(), None).encoding == "utf-8"
    page = decode_page(html().encode("cp949"), None)
    assert (page.encoding, page.source) == ("cp949", "default") and KOREAN in page.text


def test_broken_utf8_is_replaced_with_a_warning() -> None:
    page = decode_page(b"<p>ok \xff\xfe\xff end</p>", "text/html; charset=utf-8")
    assert page.replaced and "ok" in page.text and "\ufffd" in page.text
    assert page.warnings[-1].startswith("undecodable bytes replaced")


@pytest.mark.parametrize("label", UNUSABLE)
def test_an_unusable_label_in_the_header_falls_back_and_warns(label: str) -> None:
    page = decode_page(html().encode(), f"text/html; charset={label}")
    assert page.encoding == "utf-8" and KOREAN in page.text
    assert len(page.warnings) == 1 and "Content-Type header" in page.warnings[0]
    assert len(page.warnings[0]) < 200  # a 5,000-character label is not repeated in the log


@pytest.mark.parametrize("label", UNUSABLE)
def test_an_unusable_label_in_meta_falls_back_and_warns(label: str) -> None:
    label = label[:300]  # bs4 looks for the declaration in the first 1-2 KB only
    for page_html in (
        html(f'<meta charset="{label}">'),
        f"<?xml version='1.0' encoding='{label}'?>" + html(),
    ):
        page = decode_page(page_html.encode("cp949"), None)
        assert page.encoding == "cp949" and KOREAN in page.text
        assert len(page.warnings) == 1 and "<meta charset>" in page.warnings[0]


def test_utf7_is_never_used_even_when_it_would_decode() -> None:
    """UTF-7 hides markup from filters (`+ADw-script+AD4-`): no web page may be read as it."""
    page = decode_page(b"<meta charset=utf-7><p>+ADw-script+AD4-</p>", None)
    assert page.encoding == "utf-8" and "<script>" not in page.text


def test_a_page_with_an_unusable_charset_header_is_stored(
    replica: ReplicaServer, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    """Through the whole run: the page is read as UTF-8, the label logged, the story stored."""
    config: Config = replica_config(replica, tmp_path)
    story = replica.site.listing()[0]
    page = article_page(replica.site.stories[story.id])
    replica.script(
        f"/article/{story.id}",
        Scripted(
            200, headers={"Content-Type": "text/html; charset=x-user-defined"}, body=page.encode()
        ),
    )
    with caplog.at_level(logging.WARNING, logger="feedbot"):
        execute(config, fixed_now)
    with Store(config.store.path) as store:
        stored = store.get(story.id)
    assert stored is not None and stored.article.title == story.title
    assert "charset 'x-user-defined' in the Content-Type header is unknown" in caplog.text


def robots_fetcher(robots: bytes, content_type: str) -> tuple[Fetcher, list[str]]:
    paths: list[str] = []

    def route(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, content=robots, headers={"Content-Type": content_type})
        return httpx.Response(200, html="<p>ok</p>")

    client = httpx.Client(transport=httpx.MockTransport(route), follow_redirects=False)
    fetcher = Fetcher(
        fast_fetch(),
        frozenset({"site.test"}),
        client=client,
        robots_cache=MemoryRobotsCache(),
        sleep=lambda s: None,
    )
    return fetcher, paths


@pytest.mark.parametrize("label", [*UNUSABLE, "euc-kr", "utf-16"])
def test_robots_txt_is_utf8_whatever_its_label_says(
    label: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A robots.txt labelled with any charset, usable or not, is read as UTF-8 (RFC 9309 §2.3),
    never raises, and its rules are obeyed; the label is logged."""
    robots = "# 한글 주석 똠\nUser-agent: *\nDisallow: /private\n".encode("cp949")
    fetcher, paths = robots_fetcher(robots, f"text/plain; charset={label}")
    with caplog.at_level(logging.WARNING, logger="feedbot"):
        assert fetcher.get("https://site.test/a").body is not None
        with pytest.raises(RobotsDisallowed, match=r"disallowed by robots\.txt"):
            fetcher.get("https://site.test/private")
    assert "robots.txt labelled charset=" in caplog.text and "read as UTF-8" in caplog.text
    assert paths == ["/robots.txt", "/a"]


def test_robots_txt_in_utf8_with_a_bom_is_read_without_warnings(
    caplog: pytest.LogCaptureFixture,
) -> None:
    robots = "\ufeffUser-agent: *\nDisallow: /private\n".encode()
    fetcher, _ = robots_fetcher(robots, "text/plain; charset=utf-8")
    with (
        caplog.at_level(logging.WARNING, logger="feedbot"),
        pytest.raises(RobotsDisallowed, match=r"disallowed by robots\.txt"),
    ):
        fetcher.get("https://site.test/private")
    assert caplog.text == ""


def test_the_extractor_reads_a_decoded_cp949_page() -> None:
    story_page = html().replace("<p>", "<h1 class='headline'>제목</h1><div id='article_body'><p>")
    story_page = story_page.replace("</p>", "</p></div>")
    page = decode_page(story_page.encode("cp949"), "text/html; charset=euc-kr")
    article = parse_article(page.text, "https://www.joongang.co.kr/article/25400001", "https://x")
    assert article.body_text == KOREAN


def test_only_the_first_1024_bytes_can_declare_the_charset() -> None:
    """The HTML standard's prescan (13.2.3.2): a declaration further in is not read."""
    body = "<html><head><meta charset='windows-1252'></head><body>caf\xe9</body></html>"
    page = decode_page(body.encode("cp1252"), "text/html")
    assert (page.encoding, page.source, page.text.count("café")) == ("cp1252", "<meta charset>", 1)
    late = body.replace("<head>", "<head><!--" + "x" * 1100 + "-->", 1)
    page = decode_page(late.encode("cp1252"), "text/html")
    assert page.source == "default"  # bytes not UTF-8 read as CP949, the second default
