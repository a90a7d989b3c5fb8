"""Stored articles -> deterministic Atom 1.0 bytes. The only feedgen user.

Deterministic means: the same stored articles give the same bytes on every run, host and
config, so `publish` can skip unchanged files. Hence entry ids derive from the article id alone,
`updated` comes from the source or from when a significant change was first seen (never "now",
feedgen's default), and entries are sorted before they are added.

feedgen 1.0 quirks handled here:
- `add_entry` prepends by default: we pass `order="append"` after sorting newest first;
- entry-level links lose their `rel`/`type` (FeedEntry.atom_entry reads them from the element it
  just created), so entries get only the alternate link (Atom's default rel) and the lead image
  goes out as Media RSS (`media:content`, `media:thumbnail`), never as an enclosure link;
- a feed-level author with `uri` writes an empty <uri>: we never pass one;
- naive datetimes and XML control characters raise: times are aware, every text field goes
  through `xml_safe`, per entry, so one bad article cannot break a feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from feedbot import __version__
from feedbot.models import StoredArticle, Tombstone
from feedbot.normalize import email_address, public_url, to_kst, xml_safe
from feedbot.render.feed import (
    FeedMeta,
    content_html,
    entry_id,
    entry_updated,
    feed_updated,
    ordered,
)

FEED_ID_PREFIX = "tag:feedbot,2026:factpl/"
TOPIC_SCHEME = "tag:feedbot,2026:topics"
TAG_SCHEME = "https://www.joongang.co.kr/tag/"
GENERATOR_URI = "https://github.com/feedbot/feedbot"
RIGHTS = "기사 저작권은 중앙일보에 있습니다. ⓒ중앙일보"
TOMBSTONE_NS = "http://purl.org/atompub/tombstones/1.0"  # RFC 6721
HISTORY_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005


class _History(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """`fh:archive` marks an archive document (RFC 5005 §4)."""

    def __init__(self) -> None:
        self.archive = False

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY_NS} if self.archive else {}

    def extend_atom(self, feed: object) -> object:
        if self.archive:
            xml_elem(f"{{{HISTORY_NS}}}archive", feed)
        return feed


class _HistoryEntry(BaseEntryExtension):  # type: ignore[misc]
    pass


class _Tombstones(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """`at:deleted-entry` elements at feed level (before the entries, as RFC 4287 requires of
    foreign elements in a feed). The namespace is declared only in a feed that holds one: an
    unused declaration is noise that the W3C feed validator warns about."""

    def __init__(self) -> None:
        self.deleted: list[tuple[str, str]] = []  # (entry id, when)

    def extend_ns(self) -> dict[str, str]:
        return {"at": TOMBSTONE_NS} if self.deleted else {}

    def extend_atom(self, feed: object) -> object:
        for ref, when in self.deleted:
            xml_elem(f"{{{TOMBSTONE_NS}}}deleted-entry", feed, ref=ref, when=when)
        return feed


class _TombstonesEntry(BaseEntryExtension):  # type: ignore[misc]
    pass


class _Related(BaseExtension):  # type: ignore[misc]
    pass


class _RelatedEntry(BaseEntryExtension):  # type: ignore[misc]
    """`link rel="related"` on an entry: feedgen's own entry links lose their rel."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def extend_atom(self, entry: object) -> object:
        for url in self.urls:
            xml_elem("link", entry, href=url, rel="related", type="text/html")
        return entry


def render_atom(
    articles: list[StoredArticle],
    meta: FeedMeta,
    topic_titles: dict[str, str],
    *,
    tombstones: Sequence[Tombstone] = (),
    related: dict[int, list[str]] | None = None,
) -> bytes:
    """Render `articles` (any order) as an Atom feed, newest first, with RFC 6721 tombstones
    for deleted stories and `related` links (article id -> URLs of its near-duplicates)."""
    newest_first = ordered(articles)
    fg = FeedGenerator()
    fg.load_extension("media")
    fg.register_extension("tombstones", _Tombstones, _TombstonesEntry)
    fg.register_extension("related", _Related, _RelatedEntry)
    fg.register_extension("history", _History, _HistoryEntry)
    fg.history.archive = meta.current_url is not None
    fg.tombstones.deleted = [(entry_id(t.id), to_kst(t.deleted).isoformat()) for t in tombstones]
    fg.id(FEED_ID_PREFIX + meta.name)
    fg.title(xml_safe(meta.title))
    fg.subtitle(xml_safe(meta.subtitle))
    fg.language("ko")
    fg.link(href=meta.self_url, rel="self", type="application/atom+xml")
    fg.link(href=meta.page_url, rel="alternate", type="text/html")
    fg.link(href=meta.section_url, rel="related", type="text/html")
    fg.link(href=meta.json_url, rel="alternate", type="application/feed+json")
    fg.link(href=meta.rss_url, rel="alternate", type="application/rss+xml")
    if meta.hub_url:
        fg.link(href=meta.hub_url, rel="hub")
    if meta.current_url:
        fg.link(href=meta.current_url, rel="current", type="application/atom+xml")
    if meta.prev_archive:
        fg.link(href=meta.prev_archive, rel="prev-archive", type="application/atom+xml")
    fg.author({"name": "feedbot"})
    fg.generator("feedbot", version=__version__, uri=GENERATOR_URI)
    fg.icon(meta.icon_url)
    fg.logo(meta.logo_url)
    fg.rights(RIGHTS)
    fg.updated(feed_updated(newest_first, meta, tombstones))
    for stored in newest_first:
        fe = _add_entry(fg, stored, topic_titles)
        fe.related.urls = [
            url for url in (related or {}).get(stored.article.id, ()) if public_url(url)
        ]
    return bytes(fg.atom_str(pretty=True))


def _add_entry(fg: FeedGenerator, stored: StoredArticle, topic_titles: dict[str, str]) -> Any:
    article = stored.article
    fe = fg.add_entry(order="append")
    fe.id(entry_id(article.id))
    fe.title(xml_safe(article.title).strip() or "(제목 없음)")  # Atom requires a title
    # built from site.canonical_base and the id; a damaged store may hold anything else
    if link := public_url(article.url):
        fe.link(href=link)
    if article.published is not None:
        fe.published(to_kst(article.published))
    fe.updated(to_kst(entry_updated(stored)))
    for author in article.authors:
        name = xml_safe(author.name).strip()
        email = email_address(author.email)  # a store from before this check may hold "hong"
        if name:
            fe.author({"name": name, **({"email": email} if email else {})})
    if not any(xml_safe(a.name).strip() for a in article.authors):
        fe.author({"name": "중앙일보"})
    if article.description:
        fe.summary(xml_safe(article.description))
    fe.content(content_html(stored, topic_titles), type="html")
    for label in stored.topics.labels:
        fe.category(term=label, scheme=TOPIC_SCHEME, label=xml_safe(topic_titles.get(label, label)))
    for tag in article.tags:
        clean = xml_safe(tag).strip()
        if clean:
            fe.category(term=clean, scheme=TAG_SCHEME, label=clean)
    image = public_url(article.image)
    if image:
        fe.media.content(url=image, medium="image", group=None)
        fe.media.thumbnail(url=image, group=None)
    return fe
