"""Stored articles -> deterministic Atom 1.0 bytes. The only feedgen user.

Deterministic means: the same stored articles give the same bytes on every run, host and
config, so `publish` can skip unchanged files. Hence entry ids derive from the article id alone,
`updated` comes from the source or from when a significant change was first seen (never "now",
feedgen's default), and entries are sorted before they are added.

feedgen 1.0 quirks handled here:
- `add_entry` prepends by default: we pass `order="append"` after sorting newest first;
- entry-level links lose their `rel`/`type` (FeedEntry.atom_entry reads them from the element it
  just created), so entries get only the alternate link, which is Atom's default rel;
- a feed-level author with `uri` writes an empty <uri>: we never pass one;
- naive datetimes and XML control characters raise: times are aware, text goes through
  `xml_safe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from feedgen.feed import FeedGenerator

from feedbot import __version__
from feedbot.models import StoredArticle
from feedbot.normalize import to_kst, xml_safe
from feedbot.sanitize import sanitize_html

ENTRY_ID_PREFIX = "tag:feedbot,2026:joongang.co.kr/article/"
FEED_ID_PREFIX = "tag:feedbot,2026:factpl/"
TAG_SCHEME = "https://www.joongang.co.kr/tag/"
GENERATOR_URI = "https://github.com/feedbot/feedbot"


@dataclass(frozen=True, slots=True)
class FeedMeta:
    name: str  # file stem and id suffix: "all"
    title: str
    subtitle: str
    self_url: str  # absolute URL where the feed is published
    section_url: str  # the site's section (alternate link)


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


def _content(stored: StoredArticle) -> str:
    article = stored.article
    parts = [article.body_html]
    if article.member_only:
        parts.append(
            "<p><em>회원 전용 기사입니다. 앞부분만 실렸습니다: "
            f'<a href="{escape(article.url)}">원문에서 전체 읽기</a></em></p>'
        )
    return sanitize_html(xml_safe("\n".join(parts)))


def render_atom(articles: list[StoredArticle], meta: FeedMeta) -> bytes:
    """Render `articles` (any order) as an Atom feed, newest first."""
    ordered = sorted(
        articles,
        key=lambda s: (s.article.published or s.first_seen, s.article.id),
        reverse=True,
    )
    fg = FeedGenerator()
    fg.id(FEED_ID_PREFIX + meta.name)
    fg.title(xml_safe(meta.title))
    fg.subtitle(xml_safe(meta.subtitle))
    fg.language("ko")
    fg.link(href=meta.self_url, rel="self", type="application/atom+xml")
    fg.link(href=meta.section_url, rel="alternate", type="text/html")
    fg.author({"name": "feedbot"})
    fg.generator("feedbot", version=__version__, uri=GENERATOR_URI)
    fg.rights("기사 저작권은 중앙일보에 있습니다. ⓒ중앙일보")
    updated = [to_kst(entry_updated(s)) for s in ordered]
    # An empty feed has no entries to date it; the epoch keeps it deterministic.
    fg.updated(max(updated) if updated else datetime.fromisoformat("1970-01-01T09:00:00+09:00"))
    for stored, when in zip(ordered, updated, strict=True):
        article = stored.article
        fe = fg.add_entry(order="append")
        fe.id(entry_id(article.id))
        fe.title(xml_safe(article.title).strip() or "(제목 없음)")  # Atom requires a title
        fe.link(href=article.url)
        if article.published is not None:
            fe.published(to_kst(article.published))
        fe.updated(when)
        for author in article.authors or ():
            fe.author(
                {"name": xml_safe(author.name), **({"email": author.email} if author.email else {})}
            )
        if not article.authors:
            fe.author({"name": "중앙일보"})
        if article.description:
            fe.summary(xml_safe(article.description))
        fe.content(_content(stored), type="html")
        for tag in article.tags:
            fe.category(term=xml_safe(tag), scheme=TAG_SCHEME, label=xml_safe(tag))
    return bytes(fg.atom_str(pretty=True))
