"""List page -> cards (docs/joongang-site.md §2). Pure: HTML text in, values out."""

from __future__ import annotations

import re

from feedbot.models import Card, ListPage
from feedbot.normalize import (
    article_id,
    canonical_article_url,
    clean_text,
    parse_site_datetime,
    strip_factpl_tag,
)
from tests.reference_lxml.body import image_src
from tests.reference_lxml.dom import Index, Node, find, find_all, parse, text

# Blocks that repeat list stories or show other sections' stories.
_NOT_THE_LIST = ("showcase_general", "card_right_list", "rank_list", "aside")
_PAGE = re.compile(r"[?&]page=(\d+)")


def parse_list_page(html: str, page_url: str, canonical_base: str) -> ListPage:
    """Cards from `#story_list` only (high confidence); else every /article/ link in the main
    column, minus showcase and sidebar (the U1 fallback). Deduplicated by id, in page order."""
    index = Index(parse(html))
    story_list = index.id("story_list")
    cards: list[Card] = []
    strategy = "story_list"
    if story_list is not None:
        for li in find_all(story_list, "li", "card"):
            card = _card(li, page_url, canonical_base)
            if card is not None:
                cards.append(card)
    if not cards:
        strategy = "fallback"
        cards = _fallback_cards(index, page_url, canonical_base)
    seen: set[int] = set()
    unique = []
    for card in cards:
        if card.id not in seen:
            seen.add(card.id)
            unique.append(card)
    return ListPage(tuple(unique), _last_page(index), strategy)


def _card(li: Node, page_url: str, canonical_base: str) -> Card | None:
    parts = _CardParts(li)
    link = parts.headline_link if parts.headline_link is not None else parts.first_link
    if link is None:
        return None
    story_id = article_id(link.get("href") or "", page_url)
    if story_id is None:
        return None
    title, _tagged = strip_factpl_tag(clean_text(text(link)))
    summary_tag, date_tag, img = parts.summary, parts.date, parts.image
    return Card(
        id=story_id,
        url=canonical_article_url(story_id, canonical_base),
        title=title,
        summary=(clean_text(text(summary_tag)) or None) if summary_tag is not None else None,
        image=image_src(img, page_url) if img is not None else None,
        date=parse_site_datetime(text(date_tag)) if date_tag is not None else None,
    )


class _CardParts:
    """The parts of one card, found in one pass over it (a list page holds two dozen cards)."""

    def __init__(self, li: Node) -> None:
        self.headline_link: Node | None = None  # .headline a[href]
        self.first_link: Node | None = None  # a[href]
        self.summary: Node | None = None  # p.description
        self.image: Node | None = None  # figure img, img: the first image
        meta_date: Node | None = None  # .meta .date
        p_date: Node | None = None  # p.date
        for node in find_all(li):
            tag = node.tag
            if tag == "a" and self.first_link is None and node.get("href") is not None:
                self.first_link = node
            elif tag == "img" and self.image is None:
                self.image = node
            value = node.get("class")
            if not value:
                continue
            names = value.split()
            if "headline" in names and self.headline_link is None:
                self.headline_link = find(node, "a", attr="href")
            if "meta" in names and meta_date is None:
                meta_date = find(node, cls="date")
            if tag == "p" and "description" in names and self.summary is None:
                self.summary = node
            if tag == "p" and "date" in names and p_date is None:
                p_date = node
        self.date = meta_date if meta_date is not None else p_date


def _fallback_cards(index: Index, page_url: str, canonical_base: str) -> list[Card]:
    main = next((m for m in index.tag("main") if m.get("id") == "container"), None)
    if main is None:
        main = index.root.find("body")
    if main is None:
        main = index.root
    # not the list: showcase, sidebars, the site header and footer
    blocks = [b for name in _NOT_THE_LIST for b in find_all(main, cls=name)]
    blocks += [b for b in find_all(main, "header") if b.get("id") == "header"]
    blocks += [b for b in find_all(main) if b.get("id") == "footer"]
    # a set of the elements themselves: it keeps their lxml proxies alive, so the same node read
    # again is the same object (ids of proxies can be reused once a proxy is freed)
    excluded = {link for block in blocks for link in block.iter("a")}
    cards = []
    for link in find_all(main, "a", attr="href"):
        if link in excluded:
            continue
        story_id = article_id(link.get("href") or "", page_url)
        title = clean_text(text(link))
        if story_id is None or not title:
            continue
        title, _tagged = strip_factpl_tag(title)
        cards.append(
            Card(story_id, canonical_article_url(story_id, canonical_base), title, None, None, None)
        )
    return cards


def _last_page(index: Index) -> int | None:
    nav = next(iter(index.tag("nav", "pagination_type02")), None)
    if nav is None:  # [class*=pagination]: the nav moves between sections (pagination_type01…)
        nav = next(
            (e for e in find_all(index.root) if "pagination" in (e.get("class") or "")), None
        )
    if nav is None:
        return None
    links = find_all(nav, "a", attr="href")
    numbers = [int(m.group(1)) for a in links if (m := _PAGE.search(a.get("href") or ""))]
    return max(numbers) if numbers else None
