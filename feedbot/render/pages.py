"""The OPML list of feeds and the static files of the output (stylesheet, icons). Pure: values
in, bytes out, deterministic (dates come from the feeds' newest entries, never from the clock).
The HTML pages are html.py's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from importlib import resources
from xml.etree import ElementTree

from feedbot.normalize import to_kst

STATIC_FILES = ("style.css", "icon.png", "logo.png")


@dataclass(frozen=True, slots=True)
class FeedSummary:
    file: str  # "ai.atom"
    url: str  # absolute
    page_url: str  # absolute URL of its HTML page
    title: str
    subtitle: str
    updated: datetime
    entries: int


def static_file(name: str) -> bytes:
    return (resources.files("feedbot.render") / name).read_bytes()


def opml(feeds: list[FeedSummary], site_title: str, index_url: str) -> bytes:
    """OPML 2.0 (http://opml.org/spec2.opml): one `rss`-type outline per feed.

    No `<docs>` in the head and no `version` on the outlines, though OPML 2.0 defines both: the
    W3C feed validator reports `docs` as an undefined head element, and `version` may only name
    an RSS flavour ("RSS", "RSS1", "RSS2", "scriptingNews"), none of which is Atom. Both are
    optional, and no reader needs them to subscribe."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = site_title
    if feeds:
        newest = max(f.updated for f in feeds)
        ElementTree.SubElement(head, "dateModified").text = format_datetime(to_kst(newest))
    ElementTree.SubElement(head, "ownerId").text = index_url
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        ElementTree.SubElement(
            body,
            "outline",
            type="rss",
            text=feed.title,
            title=feed.title,
            description=feed.subtitle,
            language="ko",
            xmlUrl=feed.url,
            htmlUrl=feed.page_url,
        )
    ElementTree.indent(root)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"
