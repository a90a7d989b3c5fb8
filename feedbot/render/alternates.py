"""JSON Feed 1.1 and RSS 2.0 alternates of each Atom feed: same ids, same items, same dates.

Written with the standard library rather than feedgen: feedgen's RSS writer switches the
process-wide locale (LC_ALL) to format dates, which is unsafe in a threaded daemon, and it has
no JSON Feed. RSS dates are RFC 822 with `+0900`, built without locale.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from xml.etree import ElementTree

from feedbot import __version__
from feedbot.models import StoredArticle
from feedbot.normalize import public_url, to_kst, xml_safe
from feedbot.render.atom import RIGHTS
from feedbot.render.feed import (
    FeedMeta,
    content_html,
    entry_id,
    entry_updated,
    feed_updated,
    ordered,
)

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"  # Media RSS, as in the Atom feeds


def _rfc822(moment: datetime) -> str:
    """`Tue, 24 Nov 2026 21:05:00 +0900`: English names whatever the locale."""
    return format_datetime(to_kst(moment))


def render_json_feed(
    articles: list[StoredArticle], meta: FeedMeta, topic_titles: dict[str, str]
) -> bytes:
    items = []
    for stored in ordered(articles):
        article = stored.article
        item: dict[str, object] = {
            "id": entry_id(article.id),
            "title": xml_safe(article.title),
            "content_html": content_html(stored, topic_titles),
            "date_modified": to_kst(entry_updated(stored)).isoformat(),
            **({"url": link} if (link := public_url(article.url)) else {}),
            "language": "ko",
        }
        if article.description:
            item["summary"] = xml_safe(article.description)
        if article.published:
            item["date_published"] = to_kst(article.published).isoformat()
        image = public_url(article.image)
        if image:
            item["image"] = image
        names = [xml_safe(a.name) for a in article.authors if xml_safe(a.name).strip()]
        item["authors"] = [{"name": n} for n in names] or [{"name": "중앙일보"}]
        tags = [topic_titles.get(t, t) for t in stored.topics.labels] + list(article.tags)
        if tags:
            item["tags"] = [xml_safe(t) for t in dict.fromkeys(tags)]
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": xml_safe(meta.title),
        "home_page_url": meta.page_url,
        "feed_url": meta.self_url.removesuffix(".atom") + ".json",
        "description": xml_safe(meta.subtitle),
        "icon": meta.logo_url,
        "favicon": meta.icon_url,
        "language": "ko",
        "authors": [{"name": "feedbot"}],
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_rss(
    articles: list[StoredArticle], meta: FeedMeta, topic_titles: dict[str, str]
) -> bytes:
    ElementTree.register_namespace("atom", ATOM_NS)
    ElementTree.register_namespace("dc", DC_NS)
    ElementTree.register_namespace("media", MEDIA_NS)
    rss = ElementTree.Element("rss", version="2.0")
    channel = ElementTree.SubElement(rss, "channel")
    rss_url = meta.self_url.removesuffix(".atom") + ".rss"
    for tag, text in (
        ("title", meta.title),
        ("link", meta.page_url),
        ("description", meta.subtitle),
        ("language", "ko"),
        ("copyright", RIGHTS),
        ("lastBuildDate", _rfc822(feed_updated(articles, meta))),
        ("generator", f"feedbot {__version__}"),
        ("docs", "https://www.rssboard.org/rss-specification"),
    ):
        ElementTree.SubElement(channel, tag).text = xml_safe(text)
    ElementTree.SubElement(
        channel, f"{{{ATOM_NS}}}link", href=rss_url, rel="self", type="application/rss+xml"
    )
    image = ElementTree.SubElement(channel, "image")
    ElementTree.SubElement(image, "url").text = meta.logo_url
    ElementTree.SubElement(image, "title").text = xml_safe(meta.title)
    ElementTree.SubElement(image, "link").text = meta.page_url
    for stored in ordered(articles):
        article = stored.article
        item = ElementTree.SubElement(channel, "item")
        ElementTree.SubElement(item, "title").text = xml_safe(article.title)
        if link := public_url(article.url):  # a damaged store may hold anything here
            ElementTree.SubElement(item, "link").text = link
        ElementTree.SubElement(item, "guid", isPermaLink="false").text = entry_id(article.id)
        when = article.published or entry_updated(stored)
        ElementTree.SubElement(item, "pubDate").text = _rfc822(when)
        ElementTree.SubElement(item, "description").text = content_html(stored, topic_titles)
        for name in [xml_safe(a.name) for a in article.authors] or ["중앙일보"]:
            ElementTree.SubElement(item, f"{{{DC_NS}}}creator").text = name
        for label in stored.topics.labels:
            ElementTree.SubElement(
                item, "category", domain="tag:feedbot,2026:topics"
            ).text = xml_safe(topic_titles.get(label, label))
        lead = public_url(article.image)
        if lead:  # the lead image, never an enclosure (RSS allows one, and readers download it)
            ElementTree.SubElement(item, f"{{{MEDIA_NS}}}content", url=lead, medium="image")
            ElementTree.SubElement(item, f"{{{MEDIA_NS}}}thumbnail", url=lead)
    ElementTree.indent(rss)
    return bytes(ElementTree.tostring(rss, encoding="utf-8", xml_declaration=True)) + b"\n"
