"""The BeautifulSoup extractor against the lxml one it replaces (issue 14): on thousands of
mutated pages both give the same Article, card list or error, field for field."""

from __future__ import annotations

from collections import Counter

import pytest

from feedbot.errors import ExtractError
from feedbot.extract import article as article_module
from feedbot.extract import dom, page_url, parse_article, parse_list_page
from tests.mutations import mutated, sources
from tests.reference_lxml import article as lxml_article
from tests.reference_lxml import cards as lxml_cards

CANON = "https://www.joongang.co.kr"
SAMPLES = 4000


def _outcome(parse, sample):  # type: ignore[no-untyped-def]
    try:
        return parse(sample.html, sample.url, CANON)
    except ExtractError as exc:
        return ("ExtractError", str(exc))


def _whole_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Article pages built whole instead of only the parts the cascades read."""
    monkeypatch.setattr(article_module, "parse", lambda html, only=None: dom.parse(html))


def test_bs4_and_lxml_extractors_agree_on_mutated_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Zero differences: every field, provenance and warning of every article, every card, the
    last page number and the strategy of every list, every error message; and building only
    the parts an article page's cascades read gives what the whole tree gives."""
    differences = []
    kinds: Counter[str] = Counter()
    for sample in mutated(seed=14, count=SAMPLES):
        if sample.kind == "article":
            ours = _outcome(parse_article, sample)
            theirs = _outcome(lxml_article.parse_article, sample)
            if page_url(sample.html) != lxml_article.page_url(sample.html):
                differences.append((sample, "page_url"))
            with monkeypatch.context() as patch:
                _whole_tree(patch)
                if _outcome(parse_article, sample) != ours:
                    differences.append((sample, "parse_only"))
        else:
            ours = _outcome(parse_list_page, sample)
            theirs = _outcome(lxml_cards.parse_list_page, sample)
        kinds[f"{sample.kind} {'error' if isinstance(ours, tuple) else 'ok'}"] += 1
        if ours != theirs:
            differences.append((sample, ours, theirs))
    print(f"differential: {SAMPLES} mutated pages, {len(differences)} differences, {dict(kinds)}")
    assert not differences, differences[:3]
    assert kinds["article ok"] > 1000 and kinds["list ok"] > 300  # mostly real extractions


def test_unmutated_sources_agree() -> None:
    for kind, url, html in sources():
        parse = (
            (parse_article, lxml_article.parse_article)
            if kind == "article"
            else (
                parse_list_page,
                lxml_cards.parse_list_page,
            )
        )
        try:
            ours = parse[0](html, url, CANON)
        except ExtractError as exc:
            ours = str(exc)
        try:
            theirs = parse[1](html, url, CANON)
        except ExtractError as exc:
            theirs = str(exc)
        assert ours == theirs, url
