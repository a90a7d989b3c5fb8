"""Frozen values passed between stages. Standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Card:
    """One story on a list page."""

    id: int
    url: str  # canonical article URL
    title: str
    summary: str | None
    image: str | None
    date: datetime | None  # list date, Asia/Seoul


@dataclass(frozen=True, slots=True)
class ListPage:
    cards: tuple[Card, ...]
    last_page: int | None  # highest page number the pagination links to
    strategy: str  # which selector found the cards ("story_list" or "fallback")
    warnings: tuple[str, ...] = ()  # values of the page ignored as odd (a card's impossible date)


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """An extracted article page. Missing fields stay None; only id, title and body are required."""

    id: int
    url: str  # canonical: <canonical_base>/article/<id>
    title: str
    factpl_tag: bool
    description: str | None
    published: datetime | None
    updated: datetime | None
    authors: tuple[Author, ...]
    section: str | None
    subsection: str | None
    image: str | None
    body_html: str
    body_text: str
    tags: tuple[str, ...]
    member_only: bool
    # field name -> where its value came from ("jsonld", "meta", "window.article", "page", ...)
    provenance: dict[str, str] = field(default_factory=dict, hash=False)
    warnings: tuple[str, ...] = ()
    sanitized: bool = False  # body_html went through the sanitizer when it was stored


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A page as the site sent it. The fetcher does not decode it: the extractor decides the
    charset (extract.decode_page), and the page archive keeps the bytes."""

    url: str  # final URL after redirects
    status: int  # 200, or 304 when the stored copy is still current
    body: bytes | None  # as received (None on 304)
    content_type: str | None  # the Content-Type header, charset included
    etag: str | None
    last_modified: str | None
    received: datetime | None = None  # when the response arrived (the fetcher's clock)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Validators(NamedTuple):
    """What a server said about a page, for the next conditional GET."""

    etag: str | None
    last_modified: str | None


class CachedRobots(NamedTuple):
    body: str
    fetched: datetime


class Tombstone(NamedTuple):
    """A story gone from the site (RFC 6721 `at:deleted-entry`)."""

    id: int
    deleted: datetime


class StoryText(NamedTuple):
    """What the classifier reads of a stored story."""

    id: int
    title: str
    text: str
    lead: str | None


@dataclass(frozen=True, slots=True)
class Attempts:
    """How often a story failed, and whether it is never asked for again."""

    count: int
    permanent: bool


@dataclass(frozen=True, slots=True)
class DecodedPage:
    """A page's characters and how they were read from its bytes."""

    text: str
    encoding: str  # the Python codec used
    source: str  # "bom", "Content-Type header", "<meta charset>" or "default"
    replaced: bool  # undecodable bytes became U+FFFD
    warnings: tuple[str, ...] = ()  # charset labels ignored, a label the bytes did not fit


@dataclass(frozen=True, slots=True)
class Classification:
    """Topic labels of one story, a score per topic and the reasons (for `feedbot explain`)."""

    labels: tuple[str, ...]
    scores: dict[str, float] = field(hash=False)
    why: dict[str, tuple[str, ...]] = field(hash=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "labels": list(self.labels),
            "scores": self.scores,
            "why": {k: list(v) for k, v in self.why.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Classification:
        labels = data.get("labels")
        scores = data.get("scores")
        why = data.get("why")
        return cls(
            tuple(str(x) for x in labels) if isinstance(labels, list) else (),
            {str(k): float(v) for k, v in scores.items()} if isinstance(scores, dict) else {},
            {str(k): tuple(str(x) for x in v) for k, v in why.items()}
            if isinstance(why, dict)
            else {},
        )


UNCLASSIFIED = Classification((), {}, {})

CURATOR_ADDED = "curator: added"  # the `why` of a label an override added (not published)


@dataclass(frozen=True, slots=True)
class LabelOverride:
    """A curator's correction of one story's labels (`feedbot label`), kept apart from the
    classifier's verdict so that it survives every re-classification."""

    article_id: int
    add: tuple[str, ...]
    remove: tuple[str, ...]
    note: str
    when: datetime  # when the curator recorded it (UTC)

    def apply(self, verdict: Classification) -> Classification:
        """The labels the feeds use: the verdict, then `remove`, then `add`. A topic the verdict
        did not score is not configured now: adding it would put the story into `all.atom` for
        a feed that does not exist, so that part of the override waits until it is again."""
        added = [t for t in self.add if t in verdict.scores and t not in verdict.labels]
        labels = [t for t in verdict.labels if t not in self.remove] + added
        why = dict(verdict.why)
        for topic in added:  # the classifier's reasons argued against it: not shown as its why
            why[topic] = (CURATOR_ADDED,)
        order = {topic: i for i, topic in enumerate(verdict.scores)}
        return Classification(
            tuple(sorted(labels, key=lambda t: order.get(t, len(order)))), verdict.scores, why
        )


@dataclass(frozen=True, slots=True)
class StoredArticle:
    article: Article
    content_hash: str
    first_seen: datetime
    last_fetched: datetime
    changed: datetime  # when a significant change was first seen (first_seen at first)
    topics: Classification = UNCLASSIFIED  # what the feeds use (the override applied, if any)
    override: LabelOverride | None = None
    verdict: Classification | None = None  # the classifier's own, when an override is applied


@dataclass(frozen=True, slots=True)
class RunReport:
    started: datetime
    finished: datetime
    list_pages: int
    cards: int
    fetched: int
    new: int
    updated: int
    unchanged: int
    failed: int
    feeds_written: tuple[str, ...]
    requests: int
    failures: tuple[str, ...] = ()  # one line per failed article: "<url>: <reason>"
    statuses: dict[str, int] = field(default_factory=dict)  # HTTP status (or "timeout") counts
    fill: dict[str, float] = field(default_factory=dict)  # share of articles with each field
    extracted: int = 0  # articles extracted this run (the fill rates' sample)
    notes: tuple[str, ...] = ()  # health and canary notes


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# Dates a story can really carry; outside them a date is a parsing accident (year 1, year 9999,
# a timestamp read as a year), and year 9999 in Korea time does not even convert to UTC.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def plausible(moment: datetime | None) -> datetime | None:
    """`moment` when it is aware and between 1990 and 2100, else None."""
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        return None
    try:
        return moment if EARLIEST <= moment < LATEST else None
    except OverflowError:  # comparing converts to UTC, which year 9999 in +09:00 overflows
        return None


def _from_iso(text: str | None) -> datetime | None:
    """A stored time; a damaged one (no offset, out of range) reads as missing."""
    return plausible(datetime.fromisoformat(text)) if text else None


def article_to_dict(article: Article) -> dict[str, object]:
    """JSON-ready form (times RFC 3339 with offset), used by the store and `feedbot extract`."""
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "factpl_tag": article.factpl_tag,
        "description": article.description,
        "published": _iso(article.published),
        "updated": _iso(article.updated),
        "authors": [{"name": a.name, "email": a.email} for a in article.authors],
        "section": article.section,
        "subsection": article.subsection,
        "image": article.image,
        "tags": list(article.tags),
        "member_only": article.member_only,
        "body_html": article.body_html,
        "body_text": article.body_text,
        "provenance": dict(article.provenance),
        "warnings": list(article.warnings),
        "sanitized": article.sanitized,
    }


def article_from_dict(data: dict[str, object]) -> Article:
    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    authors = data.get("authors")
    authors = authors if isinstance(authors, list) else []
    provenance = data.get("provenance")
    return Article(
        id=int(str(data["id"])),
        url=str(data["url"]),
        title=str(data["title"]),
        factpl_tag=bool(data.get("factpl_tag")),
        description=text("description"),
        published=_from_iso(text("published")),
        updated=_from_iso(text("updated")),
        authors=tuple(
            Author(str(a["name"]), a["email"] if isinstance(a.get("email"), str) else None)
            for a in authors
        ),
        section=text("section"),
        subsection=text("subsection"),
        image=text("image"),
        body_html=str(data.get("body_html") or ""),
        body_text=str(data.get("body_text") or ""),
        tags=strings("tags"),
        member_only=bool(data.get("member_only")),
        provenance={str(k): str(v) for k, v in provenance.items()}
        if isinstance(provenance, dict)
        else {},
        warnings=strings("warnings"),
        sanitized=data.get("sanitized") is True,
    )


@dataclass(frozen=True, slots=True)
class NegativeSpec:
    pattern: str
    suppress: tuple[str, ...] = ()  # terms it switches off; () = all of them, unless weight > 0
    weight: float = 0.0  # subtracted from the score when it fires
    unless: str = ""  # a pattern that, found in the title, keeps the rule from firing


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """One topic as configured (validated by curate/spec.py; compiled by curate/classifier.py)."""

    id: str
    title: str  # Korean feed title
    title_en: str
    subtitle: str
    threshold: float
    terms: tuple[tuple[str, float], ...]
    exclude: tuple[str, ...] = ()
    negatives: tuple[NegativeSpec, ...] = ()


# -- what the store remembers between runs (store/state.py reads and writes them) ---------------


@dataclass(frozen=True, slots=True)
class CanaryState:
    checked: datetime
    drift: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PublishedFeed:
    """A feed as the last output build wrote it (status.json reports these)."""

    title: str
    entries: int
    updated: datetime


@dataclass(frozen=True, slots=True)
class ArchiveState:
    """A feed's RFC 5005 archive: the months written, and the current document's window."""

    months: tuple[str, ...] = ()
    boundary: str | None = None  # the month of the window's oldest story
    window: str | None = None  # the ids in the window, joined
