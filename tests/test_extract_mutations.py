"""Mutated pages (tests/mutations.py): the extractor gives an Article, cards or an ExtractError,
nothing else; and building only the parts an article page's cascades read (dom.Parts) gives
exactly what the whole tree gives."""

from __future__ import annotations

import pytest

from feedbot.errors import ExtractError
from feedbot.extract import article as article_module
from feedbot.extract import dom, parse_article, parse_list_page
from tests.mutations import mutated

CANON = "https://www.joongang.co.kr"


def _outcome(parse, sample):  # type: ignore[no-untyped-def]
    try:
        return parse(sample.html, sample.url, CANON)
    except ExtractError as exc:
        return ("ExtractError", str(exc))


def test_only_the_parts_read_give_what_the_whole_tree_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parse_only tree misses nothing a cascade looks up, wherever a mutation moved it."""
    checked = 0
    for sample in mutated(seed=1414, count=1500):
        if sample.kind != "article":
            parse_list_page(sample.html, sample.url, CANON)
            continue
        parts = _outcome(parse_article, sample)
        with monkeypatch.context() as patch:
            patch.setattr(article_module, "parse", lambda html, only=None: dom.parse(html))
            whole = _outcome(parse_article, sample)
        assert parts == whole, sample.how
        checked += 1
    assert checked > 1000
