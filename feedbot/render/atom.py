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
- there is no way to add a processing instruction: the `<?xml-stylesheet?>` line is inserted
  into the serialised bytes after the XML declaration;
- naive datetimes and XML control characters raise: times are aware, every text field goes
  through `xml_safe`, per entry, so one bad article cannot break a feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from feedbot import __version__
from feedbot.models import StoredArticle, Tombstone
from feedbot.normalize import email_address, public_url, to_kst, xml_safe
from feedbot.render.sanitize import bounded_body, sanitize_html

ENTRY_ID_PREFIX = "tag:feedbot,2026:joongang.co.kr/article/"
FEED_ID_PREFIX = "tag:feedbot,2026:factpl/"
TOPIC_SCHEME = "tag:feedbot,2026:topics"
TAG_SCHEME = "https://www.joongang.co.kr/tag/"
GENERATOR_URI = "https://github.com/feedbot/feedbot"
RIGHTS = "기사 저작권은 중앙일보에 있습니다. ⓒ중앙일보"
EPOCH = datetime.fromisoformat("1970-01-01T09:00:00+09:00")  # `updated` of an empty feed
_ZONES_KO = {"title": "제목", "first": "첫 문장", "lead": "리드", "body": "본문"}
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
    foreign elements in a feed)."""

    def __init__(self) -> None:
        self.deleted: list[tuple[str, str]] = []  # (entry id, when)

    def extend_ns(self) -> dict[str, str]:
        return {"at": TOMBSTONE_NS}

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


@dataclass(frozen=True, slots=True)
class FeedMeta:
    name: str  # file stem and id suffix: "all", "ai", …
    title: str
    subtitle: str
    self_url: str  # absolute URL where the feed is published
    section_url: str  # the site's section (alternate link)
    icon_url: str
    logo_url: str
    stylesheet_url: str | None  # the XSLT that renders the feed in a browser
    hub_url: str | None = None  # WebSub hub announced with rel="hub"
    prev_archive: str | None = None  # RFC 5005: the newest (or, in an archive, the older) archive
    current_url: str | None = None  # set on archive documents: the subscription document

    @property
    def json_url(self) -> str:
        return self.self_url.removesuffix(".atom") + ".json"

    @property
    def rss_url(self) -> str:
        return self.self_url.removesuffix(".atom") + ".rss"


def entry_id(article_id: int) -> str:
    """Stable forever: depends on the article id only, not on hosts or config."""
    return f"{ENTRY_ID_PREFIX}{article_id}"


def entry_updated(stored: StoredArticle) -> datetime:
    """The source's update (or publish) time; later, if we saw the text change after that."""
    article = stored.article
    base = article.updated or article.published or stored.first_seen
    if stored.changed > stored.first_seen and stored.changed > base:
        return stored.changed
    return base


def newest_update(articles: list[StoredArticle]) -> datetime:
    return max((to_kst(entry_updated(s)) for s in articles), default=EPOCH)


def _reasons(why: tuple[str, ...]) -> str:
    """`title: '업비트' ×1 +12` lines -> `제목 ‘업비트’`: the three strongest terms, each once,
    named with the zone where it counted most."""
    best: dict[str, tuple[float, str]] = {}
    for line in why:
        zone, _, rest = line.partition(": ")
        if zone in _ZONES_KO and rest.startswith("'"):
            term = rest[1 : rest.index("'", 1)]
            points = float(rest.rsplit("+", 1)[-1])
            if term not in best or points > best[term][0]:
                best[term] = (points, f"{_ZONES_KO[zone]} ‘{term}’")
    ranked = sorted(best.values(), key=lambda hit: -hit[0])
    return ", ".join(text for _, text in ranked[:3])


def footer(stored: StoredArticle, topic_titles: dict[str, str]) -> str:
    """One short line: which topics the story was kept for and why; member-only when it is."""
    topics = stored.topics
    parts = []
    for label in topics.labels:
        title = topic_titles.get(label, label)
        reasons = _reasons(topics.why.get(label, ()))
        score = topics.scores.get(label)
        detail = f"{reasons}, 점수 {score:g}" if reasons and score is not None else ""
        parts.append(f"{escape(title)}({escape(detail)})" if detail else escape(title))
    line = "feedbot 분류: " + ("; ".join(parts) if parts else "주제 없음")
    if stored.changed > stored.first_seen:
        line += f" · 수정됨: 원문이 {to_kst(stored.changed):%Y-%m-%d %H:%M}에 고쳐졌습니다"
    if stored.article.member_only:
        line += (
            " · 회원 전용 기사로 앞부분만 실렸습니다: "
            f'<a href="{escape(stored.article.url)}">원문에서 전체 읽기</a>'
        )
    return f"<hr><p><small>{line}</small></p>"


def ordered(articles: list[StoredArticle]) -> list[StoredArticle]:
    """Newest first by publish time (first sighting for undated stories), then id."""
    return sorted(
        articles,
        key=lambda s: (s.article.published or s.first_seen, s.article.id),
        reverse=True,
    )


def content_html(stored: StoredArticle, topic_titles: dict[str, str]) -> str:
    """The entry's HTML: the body as stored (sanitized once, when it was stored; a story stored
    by an older feedbot is sanitized here) and the footer, which is ours and cheap to clean."""
    article = stored.article
    body = article.body_html if article.sanitized else bounded_body(article.body_html)[0]
    return xml_safe(body) + "\n" + sanitize_html(footer(stored, topic_titles))


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
    fg.link(href=meta.section_url, rel="alternate", type="text/html")
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
    # a new tombstone changes the feed too, so it counts for the feed's `updated`
    fg.updated(max([newest_update(newest_first), *(to_kst(t.deleted) for t in tombstones)]))
    for stored in newest_first:
        fe = _add_entry(fg, stored, topic_titles)
        fe.related.urls = list((related or {}).get(stored.article.id, ()))
    data = bytes(fg.atom_str(pretty=True))
    if meta.stylesheet_url:
        declaration, _, rest = data.partition(b"\n")
        pi = f'<?xml-stylesheet type="text/xsl" href="{escape(meta.stylesheet_url)}"?>'
        data = declaration + b"\n" + pi.encode() + b"\n" + rest
    return data


def _add_entry(fg: FeedGenerator, stored: StoredArticle, topic_titles: dict[str, str]) -> Any:
    article = stored.article
    fe = fg.add_entry(order="append")
    fe.id(entry_id(article.id))
    fe.title(xml_safe(article.title).strip() or "(제목 없음)")  # Atom requires a title
    fe.link(href=article.url)  # built from site.canonical_base (an http(s) URL) and the id
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
