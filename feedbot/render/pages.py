"""The index page and the OPML list of feeds. Pure: values in, bytes out, deterministic (dates
come from the feeds' newest entries, never from the clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from importlib import resources
from xml.etree import ElementTree

from feedbot import __version__
from feedbot.normalize import to_kst

STATIC_FILES = ("feed.xsl", "icon.png", "logo.png")


@dataclass(frozen=True, slots=True)
class Headline:
    title: str
    url: str
    published: datetime | None


@dataclass(frozen=True, slots=True)
class FeedSummary:
    file: str  # "ai.atom"
    url: str  # absolute
    title: str
    subtitle: str
    updated: datetime
    entries: int
    headlines: tuple[Headline, ...]  # newest first, at most 10


def static_file(name: str) -> bytes:
    return (resources.files("feedbot.render") / name).read_bytes()


def _kst(moment: datetime) -> str:
    return to_kst(moment).strftime("%Y-%m-%d %H:%M")


def index_html(feeds: list[FeedSummary], site_title: str, section_url: str) -> bytes:
    alternates = "\n".join(
        f'<link rel="alternate" type="{kind}" title="{escape(f.title)}{label}" '
        f'href="{escape(f.url.removesuffix(".atom") + suffix)}">'
        for f in feeds
        for kind, suffix, label in (
            ("application/atom+xml", ".atom", ""),
            ("application/feed+json", ".json", " (JSON Feed)"),
            ("application/rss+xml", ".rss", " (RSS)"),
        )
    )
    blocks = []
    for feed in feeds:
        items = "\n".join(
            f'      <li><a href="{escape(h.url)}">{escape(h.title)}</a>'
            + (f" <time>{_kst(h.published)}</time>" if h.published else "")
            + "</li>"
            for h in feed.headlines
        )
        blocks.append(
            f'  <section class="feed" id="{escape(feed.file)}">\n'
            f"    <h2>{escape(feed.title)}</h2>\n"
            f"    <p>{escape(feed.subtitle)}</p>\n"
            f'    <p class="subscribe"><a href="{escape(feed.url)}">구독: {escape(feed.url)}</a>'
            f' (<a href="{escape(feed.url.removesuffix(".atom"))}.json">JSON Feed</a>,'
            f' <a href="{escape(feed.url.removesuffix(".atom"))}.rss">RSS</a>)'
            f" · 기사 {feed.entries}건 · 마지막 갱신 {_kst(feed.updated)} (KST)</p>\n"
            f"    <ol>\n{items}\n    </ol>\n"
            "  </section>"
        )
    page = f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(site_title)}</title>
{alternates}
<style>
body {{ font-family: system-ui, "Apple SD Gothic Neo", "Noto Sans KR", sans-serif; max-width: 46rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #1d1d1f; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.25rem; margin-bottom: .2rem; }}
.subscribe {{ font-size: .9rem; color: #555; }} time {{ color: #777; font-size: .85rem; }}
section.feed {{ border-top: 1px solid #ddd; padding-top: .5rem; }}
</style>
</head>
<body>
<h1>{escape(site_title)}</h1>
<p>중앙일보 <a href="{escape(section_url)}">팩플</a> 섹션의 기사를 주제별로 골라 만든 Atom 피드입니다.
피드 주소를 피드 리더(NetNewsWire, Feedly, FreshRSS, newsboat 등)에 넣어 구독하세요.
<a href="feeds.opml">OPML</a>로 한 번에 가져올 수도 있습니다.</p>
{chr(10).join(blocks)}
<footer><p><small>feedbot {__version__}</small></p></footer>
</body>
</html>
"""
    return page.encode("utf-8")


def opml(feeds: list[FeedSummary], site_title: str, section_url: str, index_url: str) -> bytes:
    """OPML 2.0 (http://opml.org/spec2.opml): one `rss`-type outline per feed."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = site_title
    if feeds:
        newest = max(f.updated for f in feeds)
        ElementTree.SubElement(head, "dateModified").text = format_datetime(to_kst(newest))
    ElementTree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    ElementTree.SubElement(head, "ownerId").text = index_url
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        ElementTree.SubElement(
            body,
            "outline",
            type="rss",
            version="ATOM",
            text=feed.title,
            title=feed.title,
            description=feed.subtitle,
            language="ko",
            xmlUrl=feed.url,
            htmlUrl=section_url,
        )
    ElementTree.indent(root)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"
