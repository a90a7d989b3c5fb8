"""Check a feed before it is published: well-formed XML, RFC 4287's RELAX NG schema (with RFC
3339 offsets), and the Schematron rules of RFC 4287 that RELAX NG cannot express. One of two
direct lxml users: this one validates XML; extract/dom.py parses HTML (feedgen uses lxml too)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources

from lxml import etree

from feedbot.errors import PublishError
from feedbot.models import StoredArticle

ATOM = "{http://www.w3.org/2005/Atom}"
# no DTDs, no entities, no network: the bytes are ours, but the checker must not trust them
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def _schema() -> etree.RelaxNG:
    source = (resources.files("feedbot.render") / "atom.rng").read_bytes()
    return etree.RelaxNG(etree.fromstring(source, _PARSER))


def check_atom(name: str, data: bytes) -> None:
    """Raise PublishError naming the feed and the first problem."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PublishError(f"{name}: not well-formed XML: {exc}") from exc
    schema = _schema()
    if not schema.validate(root.getroottree()):
        error = schema.error_log.last_error
        raise PublishError(f"{name}: fails the Atom schema at line {error.line}: {error.message}")
    feed_has_author = root.find(f"{ATOM}author") is not None
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id")
        if not feed_has_author and entry.find(f"{ATOM}author") is None:
            raise PublishError(f"{name}: entry {entry_id} has no author (RFC 4287 §4.1.2)")
        if entry.find(f"{ATOM}content") is None and not any(
            link.get("rel", "alternate") == "alternate" for link in entry.iter(f"{ATOM}link")
        ):
            raise PublishError(f"{name}: entry {entry_id} has neither content nor alternate link")
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    if len(ids) != len(set(ids)):
        raise PublishError(f"{name}: duplicate entry ids")


def _rendered(
    name: str, render: Callable[[list[StoredArticle]], bytes], articles: list[StoredArticle]
) -> bytes:
    # lxml refuses a string XML cannot carry with a ValueError ("All strings must be XML
    # compatible"); as a PublishError it is one entry's fault, found and left out like the rest
    try:
        return render(articles)
    except ValueError as exc:
        raise PublishError(f"{name}: cannot be written as XML: {exc}") from exc


def checked_feed(
    name: str,
    articles: list[StoredArticle],
    render: Callable[[list[StoredArticle]], bytes],
) -> tuple[bytes, list[StoredArticle], list[str]]:
    """`render(articles)` when it passes `check_atom`. When it does not, one story must not hold
    back the feed: each entry is checked in a feed of its own, those that fail alone are left
    out, and the rest is published. Returns (bytes, the entries in them, one note per entry left
    out); raises PublishError when the feed fails with no entry to blame."""
    try:
        data = _rendered(name, render, articles)
        check_atom(name, data)
        return data, articles, []
    except PublishError:
        failing: dict[int, str] = {}
        for stored in articles:
            try:
                check_atom(name, _rendered(name, render, [stored]))
            except PublishError as exc:
                failing[stored.article.id] = str(exc)
        if not failing:
            raise
    kept = [s for s in articles if s.article.id not in failing]
    data = _rendered(name, render, kept)
    check_atom(name, data)
    notes = [
        f"{name}: article {story_id} left out, its entry is not valid Atom ({why})"
        for story_id, why in failing.items()
    ]
    return data, kept, notes
