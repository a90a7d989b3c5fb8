"""Pure decisions of a run: which URLs, which articles to fetch, how a card fills what a page
lacked, and when the listing stops. No I/O: values in, values out (tests call them directly)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from feedbot.config import Config
from feedbot.models import Article, Card

MAX_ATTEMPTS = 5  # transient failures of one article are retried on this many runs
# Stories are corrected in their first days; older ones are not re-checked (politeness).
RECHECK_WINDOW = timedelta(days=7)
RECHECK_LIMIT = 50  # at most this many conditional re-checks per run


def list_url(config: Config, page: int) -> str:
    base = config.site.section_url
    return base if page == 1 else f"{base}?page={page}"


def article_fetch_url(config: Config, story_id: int) -> str:
    """Pages come from the configured base URL whatever host the card's link showed."""
    return f"{config.site.base_url.rstrip('/')}/article/{story_id}"


def plan_fetches(
    cards: list[Card],
    known: set[int],
    failures: dict[int, tuple[int, bool]],
    due: list[int],
    retry: list[tuple[int, str]],
) -> list[int]:
    """Which article ids to request, in order: unknown ids from the cards (newest first), stored
    articles due for a conditional re-check, then earlier transient failures. Permanent failures
    (404, not an article) and ids out of attempts are skipped."""
    wanted: list[int] = []
    for card in cards:
        attempts, permanent = failures.get(card.id, (0, False))
        if card.id in known or permanent or attempts >= MAX_ATTEMPTS:
            continue
        wanted.append(card.id)
    wanted += due
    wanted += [story_id for story_id, _url in retry]
    return list(dict.fromkeys(wanted))


def merge_card(article: Article, card: Card | None, previous: Article | None = None) -> Article:
    """Fill fields the page lacked from its list card (the last step of each cascade). A story
    re-checked without its card (the list page was unchanged) keeps what its card gave before,
    so a re-check never drops a field."""
    if card is not None:
        values: dict[str, object] = {
            "published": card.date,
            "image": card.image,
            "description": card.summary,
        }
    elif previous is not None:
        values = {
            name: getattr(previous, name)
            for name in ("published", "image", "description")
            if previous.provenance.get(name) == "card"
        }
    else:
        return article
    changes: dict[str, object] = {}
    provenance = dict(article.provenance)
    for name, value in values.items():
        if getattr(article, name) is None and value is not None:
            changes[name] = value
            provenance[name] = "card"
    if not changes:
        return article
    warnings = tuple(w for w in article.warnings if w.split(":")[0] not in changes)
    return replace(article, **changes, provenance=provenance, warnings=warnings)  # type: ignore[arg-type]
