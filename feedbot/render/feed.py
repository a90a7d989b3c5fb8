"""What every format of a feed shares (Atom, JSON Feed, RSS, the HTML pages): the feed's metadata,
the order of its stories, their ids and dates, the line saying why each was kept, and the check
the check that a URL from the site is a web URL before it goes into an href or src is
normalize.public_url. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from feedbot.models import StoredArticle, Tombstone
from feedbot.normalize import to_kst, xml_safe
from feedbot.render.sanitize import bounded_body, sanitize_html

ENTRY_ID_PREFIX = "tag:feedbot,2026:joongang.co.kr/article/"
_ZONES_KO = {"title": "제목", "first": "첫 문장", "lead": "리드", "body": "본문"}


@dataclass(frozen=True, slots=True)
class FeedMeta:
    name: str  # file stem and id suffix: "all", "ai", …
    title: str
    subtitle: str
    self_url: str  # absolute URL where the feed is published
    section_url: str  # the site's section the stories come from
    icon_url: str
    logo_url: str
    page_url: str  # the feed's HTML page (rel="alternate" type="text/html")
    # `updated` of the feed while it holds nothing: when it first appeared in the store (a
    # stable date, so an empty feed's bytes stay put; never 1970, never the run time)
    since: datetime
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


def feed_updated(
    articles: Sequence[StoredArticle],
    meta: FeedMeta,
    tombstones: Sequence[Tombstone] = (),
) -> datetime:
    """The newest entry or tombstone (a new tombstone changes the feed too); `meta.since` for a
    feed with neither."""
    times = [to_kst(entry_updated(s)) for s in articles] + [to_kst(t.deleted) for t in tombstones]
    return max(times, default=to_kst(meta.since))


def ordered(articles: Sequence[StoredArticle]) -> list[StoredArticle]:
    """Newest first by publish time (first sighting for undated stories), then id."""
    return sorted(
        articles,
        key=lambda s: (s.article.published or s.first_seen, s.article.id),
        reverse=True,
    )


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


def kept_for(
    stored: StoredArticle, topic_titles: dict[str, str], space: str = " "
) -> list[tuple[str, str]]:
    """(topic title, `제목 ‘AI’, 본문 ‘LLM’, 점수 51.25` or "") for each topic the story was
    kept for: plain text, for the caller to escape. `space` goes between 점수 and the number
    (a page passes a no-break space, so that the number never starts a line alone)."""
    topics = stored.topics
    kept = []
    for label in topics.labels:
        reasons = _reasons(topics.why.get(label, ()))
        score = topics.scores.get(label)
        detail = f"{reasons}, 점수{space}{score:g}" if reasons and score is not None else ""
        kept.append((topic_titles.get(label, label), detail))
    return kept


def corrected(stored: StoredArticle) -> datetime | None:
    """When the source's text was seen to change (the story was corrected), or None."""
    return stored.changed if stored.changed > stored.first_seen else None


def footer(stored: StoredArticle, topic_titles: dict[str, str]) -> str:
    """One short line: which topics the story was kept for and why; member-only when it is."""
    parts = [
        f"{escape(title)}({escape(detail)})" if detail else escape(title)
        for title, detail in kept_for(stored, topic_titles)
    ]
    line = "feedbot 분류: " + ("; ".join(parts) if parts else "주제 없음")
    fixed = corrected(stored)
    if fixed is not None:
        line += f" · 수정됨: 원문이 {to_kst(fixed):%Y-%m-%d %H:%M}에 고쳐졌습니다"
    if stored.article.member_only:
        line += (
            " · 회원 전용 기사로 앞부분만 실렸습니다: "
            f'<a href="{escape(stored.article.url)}">원문에서 전체 읽기</a>'
        )
    return f"<hr><p><small>{line}</small></p>"


def content_html(stored: StoredArticle, topic_titles: dict[str, str]) -> str:
    """The entry's HTML: the body as stored (sanitized once, when it was stored; a story stored
    by an older feedbot is sanitized here) and the footer, which is ours and cheap to clean."""
    article = stored.article
    body = article.body_html if article.sanitized else bounded_body(article.body_html)[0]
    return xml_safe(body) + "\n" + sanitize_html(footer(stored, topic_titles))
