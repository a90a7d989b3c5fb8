"""The browser view of the output: `index.html`, one page per feed (`ai.html`, `all.html`, …) and
one per archive month (`archive/<feed>/YYYY-MM.html`). They replace the XSLT stylesheet that
feeds used to carry (browsers are removing XSLT; issue 15).

Pure: values in, bytes out, deterministic (dates come from the stories, never from the clock).
Every string is escaped, every URL from the site passes `public_url` before it becomes an href or
src, and no article HTML is copied in (a page shows the plain-text lead, not the body), so
nothing a page of the site carries can script ours. No JavaScript: links and CSS only.

Links between pages are relative, so the directory works wherever it is previewed (`feedbot
serve` on any port, a file:// URL); the subscribe URLs are absolute, built from
`output.base_url`, because that is what a reader must be given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from feedbot.models import StoredArticle
from feedbot.normalize import public_url, to_kst, xml_safe
from feedbot.render.feed import FeedMeta, corrected, kept_for, ordered

RIGHTS_HTML = "기사 저작권은 중앙일보에 있습니다. ⓒ중앙일보"
FEED_TYPES = (  # (label, MIME type, FeedMeta attribute)
    ("Atom", "application/atom+xml", "self_url"),
    ("JSON Feed", "application/feed+json", "json_url"),
    ("RSS", "application/rss+xml", "rss_url"),
)
SUMMARY_CHARS = 160  # a story without a lead shows this much of its text


def _t(text: str) -> str:
    """Text from anywhere (the site included) as HTML text or attribute value."""
    return escape(xml_safe(text), quote=True)


def _when(moment: datetime) -> str:
    kst = to_kst(moment)
    return f'<time datetime="{kst.isoformat()}">{kst:%Y.%m.%d %H:%M}</time>'


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{year}년 {int(number)}월"


def page_name(feed: str) -> str:
    return f"{feed}.html"


def archive_page_name(feed: str, month: str) -> str:
    return f"archive/{feed}/{month}.html"


def _head(title: str, root: str, meta: FeedMeta | None, extra: Sequence[FeedMeta] = ()) -> str:
    """<head>: title, favicon, stylesheet and feed autodiscovery (`meta` and `extra` feeds)."""
    alternates = [
        f'<link rel="alternate" type="{kind}" title="{_t(feed.title)}{"" if label == "Atom" else f" ({label})"}" '
        f'href="{_t(getattr(feed, attr))}">'
        for feed in ([meta] if meta else []) + list(extra)
        for label, kind, attr in FEED_TYPES
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="ko">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="color-scheme" content="light dark">',
            f"<title>{_t(title)}</title>",
            f'<link rel="icon" type="image/png" sizes="64x64" href="{root}icon.png">',
            f'<link rel="stylesheet" href="{root}style.css">',
            *alternates,
            "</head>",
            "<body>",
            '<a class="skip" href="#main">본문 바로가기</a>',
        ]
    )


def _banner(root: str, nav: Sequence[tuple[str, str]], current: str | None) -> str:
    """The site header: home link and, on pages that are rewritten with every change, one link
    per feed (archive pages carry none: they stay put when a topic is added)."""
    items = "".join(
        f'<li><a href="{root}{_t(page_name(name))}"'
        + (' aria-current="page"' if name == current else "")
        + f">{_t(label)}</a></li>"
        for name, label in nav
    )
    links = f'\n<nav aria-label="피드"><ul class="nav">{items}</ul></nav>' if nav else ""
    return (
        '<header class="site">\n'
        f'<p class="brand"><a href="{root}index.html">팩플 큐레이션 피드</a></p>{links}\n'
        "</header>"
    )


def _footer(section_url: str) -> str:
    section = public_url(section_url)
    source = f'<a href="{_t(section)}">중앙일보 팩플</a>' if section else "중앙일보 팩플"
    return (
        '<footer class="site">\n'
        f"<p>{source}의 기사를 feedbot이 주제별로 골랐습니다. 제목을 누르면 원문으로 갑니다.</p>\n"
        f"<p>{_t(RIGHTS_HTML)}</p>\n"
        "</footer>\n</body>\n</html>\n"
    )


def _subscribe(meta: FeedMeta, heading: str) -> str:
    rows = "\n".join(
        f'<dt>{label}</dt><dd><a href="{_t(getattr(meta, attr))}" type="{kind}">'
        f"<code>{_t(getattr(meta, attr))}</code></a></dd>"
        for label, kind, attr in FEED_TYPES
    )
    return (
        '<section class="subscribe" aria-labelledby="subscribe">\n'
        f'<{heading} id="subscribe">구독하기</{heading}>\n'
        "<p>피드 리더(NetNewsWire, Feedly, FreshRSS, newsboat 등)에 아래 주소 가운데 하나를 "
        "넣으세요. 새 기사가 올라오면 리더가 알려 줍니다.</p>\n"
        f'<dl class="feeds">\n{rows}\n</dl>\n</section>'
    )


def _summary(stored: StoredArticle) -> str:
    article = stored.article
    text = xml_safe(article.description or "").strip()
    if not text:
        body = " ".join(xml_safe(article.body_text).split())
        text = body if len(body) <= SUMMARY_CHARS else body[:SUMMARY_CHARS].rstrip() + "…"
    return text


def _story(stored: StoredArticle, topic_titles: dict[str, str], level: int, full: bool) -> str:
    """One story: thumbnail, title (to the original), date, authors, member-only and correction
    markers, topic badges; with `full`, the lead and the line saying why it was kept."""
    article = stored.article
    title = xml_safe(article.title).strip() or "(제목 없음)"
    url = public_url(article.url)
    heading = f'<a href="{_t(url)}">{_t(title)}</a>' if url else _t(title)
    parts = [f'<article class="story">\n<h{level} class="title">{heading}</h{level}>']
    image = public_url(article.image)
    if image:
        # decorative: the title beside it names the story, so a screen reader skips it (alt="")
        parts.append(
            f'<img class="thumb" src="{_t(image)}" alt="" width="160" height="107" '
            'loading="lazy" decoding="async" referrerpolicy="no-referrer">'
        )
    meta = []
    if article.published:
        meta.append(_when(article.published))
    names = [xml_safe(a.name).strip() for a in article.authors]
    if any(names):
        meta.append(_t(", ".join(n for n in names if n)))
    if article.member_only:
        meta.append('<span class="mark member">회원 전용</span>')
    fixed = corrected(stored)
    if fixed is not None:
        meta.append(f'<span class="mark fixed">수정됨 {_when(fixed)}</span>')
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    kept = kept_for(stored, topic_titles, "\u00a0")
    if full:
        summary = _summary(stored)
        if summary:
            parts.append(f'<p class="summary">{_t(summary)}</p>')
    if kept:
        badges = "".join(
            f'<li class="badge" data-topic="{_t(label)}">{_t(name)}</li>'
            for label, (name, _) in zip(stored.topics.labels, kept, strict=True)
        )
        parts.append(f'<ul class="badges" aria-label="주제">{badges}</ul>')
    reasons = "; ".join(f"{name}: {detail}" for name, detail in kept if detail)
    if full and reasons:
        parts.append(f'<p class="why">고른 이유 — {_t(reasons)}</p>')
    parts.append("</article>")
    return "<li>" + "\n".join(parts) + "</li>"


def _stories(
    articles: Sequence[StoredArticle], topic_titles: dict[str, str], level: int, full: bool
) -> str:
    if not articles:
        return '<p class="empty">아직 이 주제의 기사가 없습니다.</p>'
    items = "\n".join(_story(s, topic_titles, level, full) for s in ordered(articles))
    return f'<ol class="stories">\n{items}\n</ol>'


def _updated_line(count: int, updated: datetime) -> str:
    return f'<p class="meta">기사 {count}건 · 마지막 갱신 {_when(updated)} (한국 시간)</p>'


def feed_page(
    meta: FeedMeta,
    articles: Sequence[StoredArticle],
    topic_titles: dict[str, str],
    *,
    updated: datetime,
    months: Sequence[str],
    nav: Sequence[tuple[str, str]],
) -> bytes:
    """A feed's page: what its Atom document holds, newest first, and its archive months."""
    archive = ""
    if months:
        links = "\n".join(
            f'<li><a href="{_t(archive_page_name(meta.name, m))}">{month_label(m)}</a></li>'
            for m in sorted(months, reverse=True)
        )
        archive = (
            '<nav class="months" aria-labelledby="months">\n'
            '<h2 id="months">지난 기사 (월별)</h2>\n'
            f'<ul class="months">\n{links}\n</ul>\n</nav>'
        )
    page = [
        _head(f"{meta.title} · feedbot", "", meta),
        _banner("", nav, meta.name),
        '<main id="main">',
        f"<h1>{_t(meta.title)}</h1>",
        f'<p class="lead">{_t(meta.subtitle)}</p>',
        _updated_line(len(articles), updated),
        _subscribe(meta, "h2"),
        '<section aria-labelledby="latest">',
        '<h2 id="latest">최신 기사</h2>',
        _stories(articles, topic_titles, 3, full=True),
        "</section>",
        archive,
        "</main>",
        _footer(meta.section_url),
    ]
    return "\n".join(p for p in page if p).encode("utf-8")


def archive_page(
    meta: FeedMeta,
    articles: Sequence[StoredArticle],
    topic_titles: dict[str, str],
    *,
    month: str,
    older: str | None,
) -> bytes:
    """One archive month of the feed `meta` describes, beside its RFC 5005 document. Built from
    the same stories as that document and written with it, so it too changes only when a story
    in it is corrected or deleted; hence no link to the newer month (it would change when that
    month is archived), only to the older one and to the feed's page. Autodiscovery names the
    feed itself: an archive document is nothing to subscribe to."""
    root = "../../"
    links = [
        f'<a href="{root}{_t(page_name(meta.name))}">{_t(meta.title)}: 최신 기사와 월별 목록</a>'
    ]
    if older:
        links.append(f'<a href="{_t(older)}.html" rel="prev">이전 달: {month_label(older)}</a>')
    items = "".join(f"<li>{link}</li>" for link in links)
    page = [
        _head(f"{meta.title} — {month_label(month)} · feedbot", root, meta),
        _banner(root, (), None),
        '<main id="main">',
        f'<h1>{_t(meta.title)} <span class="month">{month_label(month)}</span></h1>',
        f'<p class="meta">{month_label(month)}(한국 시간)의 지난 기사 {len(articles)}건. '
        "그 뒤의 기사는 다음 달 보관 페이지와 피드 페이지에 있습니다.</p>",
        f'<nav aria-label="보관 기사 이동"><ul class="pager">{items}</ul></nav>',
        _stories(articles, topic_titles, 2, full=True),
        "</main>",
        _footer(meta.section_url),
    ]
    return "\n".join(page).encode("utf-8")


def index_page(
    feeds: Sequence[tuple[FeedMeta, Sequence[StoredArticle], datetime, int]],
    topic_titles: dict[str, str],
    *,
    site_title: str,
    nav: Sequence[tuple[str, str]],
) -> bytes:
    """The front page: each feed (meta, its newest stories, updated, how many it holds) with
    those stories and their badges, leading to the feed's page."""
    blocks = []
    for meta, articles, updated, count in feeds:
        subscribe = " · ".join(
            f'<a href="{_t(getattr(meta, attr))}" type="{kind}">{label}</a>'
            for label, kind, attr in FEED_TYPES
        )
        blocks.append(
            "\n".join(
                [
                    f'<section class="feed" aria-labelledby="feed-{_t(meta.name)}">',
                    f'<h2 id="feed-{_t(meta.name)}"><a href="{_t(page_name(meta.name))}">'
                    f"{_t(meta.title)}</a></h2>",
                    f'<p class="lead">{_t(meta.subtitle)}</p>',
                    _updated_line(count, updated),
                    _stories(articles, topic_titles, 3, full=False),
                    f'<p class="more"><a href="{_t(page_name(meta.name))}">'
                    f"{_t(meta.title)}: 기사 더 보기</a></p>",
                    f'<p class="subscribe-links">구독: {subscribe}</p>',
                    "</section>",
                ]
            )
        )
    section = feeds[0][0].section_url if feeds else ""
    page = [
        _head(site_title, "", None, [meta for meta, *_ in feeds]),
        _banner("", nav, None),
        '<main id="main">',
        f"<h1>{_t(site_title)}</h1>",
        '<p class="lead">중앙일보 팩플 섹션의 기사를 주제별로 골라 모았습니다. 주제를 골라 '
        "최신 기사를 보거나, 피드 주소를 피드 리더에 넣어 구독하세요. "
        '<a href="feeds.opml">OPML 파일</a>로 모든 피드를 한 번에 가져올 수도 있습니다.</p>',
        *blocks,
        "</main>",
        _footer(section),
    ]
    return "\n".join(page).encode("utf-8")
