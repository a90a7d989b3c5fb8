"""Saved replica pages beside hand-written expectations: one test covers the folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedbot.errors import ExtractError
from feedbot.extract import parse_article, parse_list_page
from feedbot.models import article_to_dict

PAGES = Path(__file__).parent / "data" / "pages"
CANON = "https://www.joongang.co.kr"
CASES = sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))


def test_every_saved_page_has_expectations() -> None:
    """A page added without its .expected.json would silently go untested."""
    assert {p.stem for p in PAGES.glob("*.html")} == set(CASES)
    assert len(CASES) >= 10


@pytest.mark.parametrize("name", CASES)
def test_saved_page(name: str) -> None:
    """Each saved page extracts to the fields its .expected.json states."""
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    url = expected["url"]
    if "cards" in expected:
        check_list(parse_list_page(html, url, CANON), expected)
        return
    if "error" in expected:
        with pytest.raises(ExtractError, match=expected["error"]):
            parse_article(html, url, CANON)
        return
    article = parse_article(html, url, CANON)
    data = article_to_dict(article)
    for key, value in expected.get("expect", {}).items():
        assert data[key] == value, key
    for key, source in expected.get("provenance", {}).items():
        assert article.provenance.get(key) == source, key
    for text in expected.get("body_contains", []):
        assert text in article.body_text
    for text in expected.get("body_excludes", []):
        assert text not in article.body_text
    for text in expected.get("html_contains", []):
        assert text in article.body_html
    for text in expected.get("html_excludes", []):
        assert text not in article.body_html
    if "figure_count" in expected:
        assert article.body_html.count("<figure>") == expected["figure_count"]
        assert article.body_html.count("<figcaption>") == expected["figure_count"]
    for warning in expected.get("warnings", []):
        assert warning in article.warnings


def check_list(page, expected) -> None:  # type: ignore[no-untyped-def]
    ids = [card.id for card in page.cards]
    assert len(ids) == expected["cards"] == len(set(ids))
    assert page.last_page == expected["last_page"]
    assert page.strategy == expected["strategy"]
    if "first" in expected:
        first = page.cards[0]
        for key, value in expected["first"].items():
            actual = getattr(first, key)
            assert (actual.isoformat() if key == "date" else actual) == value, key
    prefix = expected.get("ids_in_order_prefix", [])
    assert ids[: len(prefix)] == prefix
    assert set(expected.get("contains_ids", [])) <= set(ids)
    assert not set(expected.get("excludes_ids", [])) & set(ids)
    for card in page.cards:
        assert card.url == f"{CANON}/article/{card.id}"
        assert card.date is not None and card.date.utcoffset() is not None
        assert "[팩플]" not in card.title and card.title == card.title.strip()
