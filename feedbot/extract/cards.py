"""List page -> cards (docs/joongang-site.md §2). Pure: HTML text in, values out."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from feedbot.extract.body import image_src
from feedbot.models import Card, ListPage
from feedbot.normalize import (
    article_id,
    canonical_article_url,
    clean_text,
    parse_site_datetime,
    strip_factpl_tag,
)

# Blocks that repeat list stories or show other sections' stories.
_NOT_THE_LIST = ".showcase_general, .card_right_list, .rank_list, header#header, #footer, .aside"
_PAGE = re.compile(r"[?&]page=(\d+)")


def parse_list_page(html: str, page_url: str, canonical_base: str) -> ListPage:
    """Cards from `#story_list` only (high confidence); else every /article/ link in the main
    column, minus showcase and sidebar (the U1 fallback). Deduplicated by id, in page order."""
    soup = BeautifulSoup(html, "lxml")
    story_list = soup.select_one("#story_list")
    cards: list[Card] = []
    strategy = "story_list"
    if story_list is not None:
        for li in story_list.select("li.card"):
            card = _card(li, page_url, canonical_base)
            if card is not None:
                cards.append(card)
    if not cards:
        strategy = "fallback"
        cards = _fallback_cards(soup, page_url, canonical_base)
    seen: set[int] = set()
    unique = []
    for card in cards:
        if card.id not in seen:
            seen.add(card.id)
            unique.append(card)
    return ListPage(tuple(unique), _last_page(soup), strategy)


def _card(li: Tag, page_url: str, canonical_base: str) -> Card | None:
    link = li.select_one(".headline a[href]") or li.select_one("a[href]")
    if link is None:
        return None
    story_id = article_id(str(link.get("href")), page_url)
    if story_id is None:
        return None
    title, _tagged = strip_factpl_tag(clean_text(link.get_text()))
    summary_tag = li.select_one("p.description")
    date_tag = li.select_one(".meta .date, p.date")
    img = li.select_one("figure img, img")
    return Card(
        id=story_id,
        url=canonical_article_url(story_id, canonical_base),
        title=title,
        summary=(clean_text(summary_tag.get_text()) or None) if summary_tag else None,
        image=image_src(img, page_url) if img is not None else None,
        date=parse_site_datetime(date_tag.get_text()) if date_tag else None,
    )


def _fallback_cards(soup: BeautifulSoup, page_url: str, canonical_base: str) -> list[Card]:
    main = soup.select_one("main#container") or soup.body or soup
    excluded = {id(tag) for block in main.select(_NOT_THE_LIST) for tag in block.find_all("a")}
    cards = []
    for link in main.find_all("a", href=True):
        if id(link) in excluded:
            continue
        story_id = article_id(str(link["href"]), page_url)
        title = clean_text(link.get_text())
        if story_id is None or not title:
            continue
        title, _tagged = strip_factpl_tag(title)
        cards.append(
            Card(story_id, canonical_article_url(story_id, canonical_base), title, None, None, None)
        )
    return cards


def _last_page(soup: BeautifulSoup) -> int | None:
    nav = soup.select_one("nav.pagination_type02") or soup.select_one("[class*=pagination]")
    if nav is None:
        return None
    numbers = [
        int(m.group(1)) for a in nav.find_all("a", href=True) if (m := _PAGE.search(str(a["href"])))
    ]
    return max(numbers) if numbers else None
