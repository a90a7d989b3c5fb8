"""Pure decisions of a run: which URLs, which articles to fetch, how a card fills what a page
lacked, and when the listing stops. No I/O: values in, values out (tests call them directly)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from feedbot.config import Config
from feedbot.models import Article, Attempts, Author, Card
from feedbot.normalize import email_address, public_url
from feedbot.render.sanitize import bounded_body

MAX_ATTEMPTS = 5  # transient failures of one article are retried on this many runs
# Stories are corrected in their first days; older ones are not re-checked (politeness).
RECHECK_WINDOW = timedelta(days=7)
RECHECK_LIMIT = 50  # at most this many conditional re-checks per run
# What one story may bring into the store: a page is capped at fetch.max_bytes, but nothing a
# reader wants is this long, and every later step (classifying, near-duplicates, rendering)
# costs more with the size.
MAX_TITLE = 500
MAX_DESCRIPTION = 2000
MAX_BODY_TEXT = 100_000
MAX_AUTHORS = 20
MAX_TAGS = 50
# Dates a story can really carry; outside them a date is a parsing accident (year 1, year 9999,
# a timestamp read as a year), and year 9999 in Korea time does not even convert to UTC.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def list_url(config: Config, page: int) -> str:
    base = config.site.section_url
    return base if page == 1 else f"{base}?page={page}"


def article_fetch_url(config: Config, story_id: int) -> str:
    """Pages come from the configured base URL whatever host the card's link showed."""
    return f"{config.site.base_url.rstrip('/')}/article/{story_id}"


@dataclass(frozen=True, slots=True)
class FetchPlan:
    ids: tuple[int, ...]  # article ids to request this run, in order
    deferred: int  # wanted, but over the run's request budget: the next run gets them


def plan_fetches(
    cards: list[Card],
    known: set[int],
    failures: dict[int, Attempts],
    due: list[int],
    retry: list[int],
    limit: int,
) -> FetchPlan:
    """Which article ids to request, in order: unknown ids from the cards (newest first), stored
    articles due for a conditional re-check, then earlier transient failures; at most `limit`.
    Permanent failures (404, not an article) and ids out of attempts are skipped."""
    wanted: list[int] = []
    for card in cards:
        attempts = failures.get(card.id, Attempts(0, False))
        if card.id in known or attempts.permanent or attempts.count >= MAX_ATTEMPTS:
            continue
        wanted.append(card.id)
    wanted += due
    wanted += retry
    unique = list(dict.fromkeys(wanted))
    return FetchPlan(tuple(unique[:limit]), max(0, len(unique) - limit))


def listing_goes_on(
    fresh: list[Card], known: set[int], exhaustive: bool, page: int, last_page: int | None
) -> bool:
    """Whether to read the next list page after `page`, whose new cards are `fresh`: the list
    is newest first, so once a page's oldest card is known (stored, or failed for good), older
    pages hold only known stories too (stricter than "a page of known ids only", and politer).
    After a run that did not finish, every page is read (`exhaustive`); never past the last."""
    if last_page is not None and page >= last_page:
        return False
    return exhaustive or (bool(fresh) and fresh[-1].id not in known)


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


def _plausible(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return None
    try:
        return moment if EARLIEST <= moment < LATEST else None
    except OverflowError:  # comparing converts to UTC, which year 9999 in +09:00 overflows
        return None


def prepare(article: Article) -> Article:
    """The story as it will be stored: body sanitized once (and bounded, so that sanitizing costs
    little), texts and lists cut to sane sizes, and only values every output can carry: an image
    only as an absolute http(s) URL, an author e-mail only as a plain address. Each change is a
    warning on the article."""
    warnings = list(article.warnings)
    image = public_url(article.image)
    if article.image and image is None:
        warnings.append(f"image: not an http(s) URL, dropped ({article.image[:80]!r})")
    authors = []
    for author in article.authors[:MAX_AUTHORS]:
        email = email_address(author.email)
        if author.email and email is None:
            warnings.append(f"authors: e-mail {author.email[:80]!r} of {author.name} dropped")
        authors.append(Author(author.name[:MAX_TITLE], email))
    published, updated = (_plausible(article.published), _plausible(article.updated))
    for name, value, kept in (
        ("published", article.published, published),
        ("updated", article.updated, updated),
    ):
        if value is not None and kept is None:
            warnings.append(f"{name}: {value.isoformat()} is out of range, dropped")
    body_html, cut = bounded_body(article.body_html)
    body_text = article.body_text
    if len(body_text) > MAX_BODY_TEXT:
        body_text, cut = body_text[:MAX_BODY_TEXT], True
    if cut:
        warnings.append("body: cut to its first 200 kB")
    return replace(
        article,
        title=article.title[:MAX_TITLE],
        published=published,
        updated=updated,
        description=article.description[:MAX_DESCRIPTION] if article.description else None,
        authors=tuple(authors),
        image=image,
        body_html=body_html,
        body_text=body_text,
        tags=tuple(tag[:MAX_TITLE] for tag in article.tags[:MAX_TAGS]),
        warnings=tuple(warnings),
        sanitized=True,
    )
