"""List page -> cards (docs/site-markup.md, "The list page"). Pure: HTML text in, values out."""

from __future__ import annotations

import re

from feedbot.extract.body import image_src
from feedbot.extract.dom import (
    Index,
    Node,
    Parts,
    attr,
    children,
    find,
    find_all,
    parse,
    root_element,
    text,
)
from feedbot.models import Card, ListPage
from feedbot.normalize import (
    YEARS,
    article_id,
    canonical_article_url,
    clean_text,
    parse_site_datetime,
    strip_factpl_tag,
)

# Blocks that repeat list stories or show other sections' stories.
_NOT_THE_LIST = ("showcase_general", "card_right_list", "rank_list", "aside")
_PAGE = re.compile(r"[?&]page=(\d{1,6})(?!\d)")  # a page number, not 5,000 digits
# The whole list page is built (the fallback reads every link of the main column); these are
# the elements looked up anywhere in it.
_LIST_PARTS = Parts(tags=frozenset({"main", "nav"}), ids=frozenset({"story_list"}))


def parse_list_page(html: str, page_url: str, canonical_base: str) -> ListPage:
    """Cards from `#story_list` only (high confidence); else every /article/ link in the main
    column, minus showcase and sidebar (the U1 fallback). Deduplicated by id, in page order."""
    index = Index(parse(html), _LIST_PARTS)
    story_list = index.id("story_list")
    cards: list[Card] = []
    warnings: list[str] = []
    strategy = "story_list"
    if story_list is not None:
        for li in find_all(story_list, "li", "card"):
            try:
                card = _card(li, page_url, canonical_base, warnings)
            except Exception as exc:  # one odd card must not cost the page its other cards
                warnings.append(f"card skipped: {type(exc).__name__}: {exc}"[:200])
                continue
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
    return ListPage(tuple(unique), _last_page(index), strategy, tuple(warnings))


def _card(li: Node, page_url: str, canonical_base: str, warnings: list[str]) -> Card | None:
    parts = _CardParts(li)
    link = parts.headline_link if parts.headline_link is not None else parts.first_link
    if link is None:
        return None
    story_id = article_id(attr(link, "href") or "", page_url)
    if story_id is None:
        return None
    title, _tagged = strip_factpl_tag(clean_text(text(link)))
    summary_tag, date_tag, img = parts.summary, parts.date, parts.image
    shown = text(date_tag) if date_tag is not None else ""
    date = parse_site_datetime(shown)
    if date is None and shown.strip():
        shown = clean_text(shown)[:40]
        warnings.append(f"card {story_id}: date {shown!r} is not a date in {YEARS}; ignored")
    return Card(
        id=story_id,
        url=canonical_article_url(story_id, canonical_base),
        title=title,
        summary=(clean_text(text(summary_tag)) or None) if summary_tag is not None else None,
        image=image_src(img, page_url) if img is not None else None,
        date=date,
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
            tag = node.name
            if tag == "a" and self.first_link is None and "href" in node.attrs:
                self.first_link = node
            elif tag == "img" and self.image is None:
                self.image = node
            value = attr(node, "class")
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
    main = next((m for m in index.tag("main") if attr(m, "id") == "container"), None)
    html = root_element(index.root)
    if main is None and html.name == "html":
        main = next((c for c in children(html) if c.name == "body"), None)
    if main is None:
        main = html
    # not the list: showcase, sidebars, the site header and footer
    blocks = [b for name in _NOT_THE_LIST for b in find_all(main, cls=name)]
    blocks += [b for b in find_all(main, "header") if attr(b, "id") == "header"]
    blocks += [b for b in find_all(main) if attr(b, "id") == "footer"]
    # (a block that is itself a link counts too; `blocks` keeps the elements, so ids stay unique)
    excluded = {id(a) for b in blocks for a in (b, *b.find_all("a")) if a.name == "a"}
    cards = []
    for link in find_all(main, "a", attr="href"):
        if id(link) in excluded:
            continue
        story_id = article_id(attr(link, "href") or "", page_url)
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
            (e for e in find_all(index.root) if "pagination" in (attr(e, "class") or "")), None
        )
    if nav is None:
        return None
    links = find_all(nav, "a", attr="href")
    numbers = [int(m.group(1)) for a in links if (m := _PAGE.search(attr(a, "href") or ""))]
    return max(numbers) if numbers else None
