"""The one real 팩플 article, rendered by the replica, must come back as its own prose."""

from __future__ import annotations

import re
from importlib import resources

from feedbot.extract import parse_article
from feedbot.replica.pages import seed_page
from feedbot.replica.stories import SEED_ID

SEED_TEXT = (
    resources.files("feedbot.replica") / "data" / "factpl-altman-2023-05-15.txt"
).read_text(encoding="utf-8")


def _norm(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", text).strip()


def _prose_blocks() -> list[str]:
    """The seed's blocks minus its header lines, the twin captions and the promo footer."""
    blocks = SEED_TEXT.split("\n\n")
    assert blocks[1:3] == ["중앙일보", "입력"]  # the bare paper line and the empty date
    prose = []
    body = blocks[3:]
    for index, block in enumerate(body):
        twin = block in (
            body[index - 1] if index else None,
            body[index + 1] if index + 1 < len(body) else None,
        )
        if twin or block.startswith("※"):
            continue
        prose.append(_norm(block))
    return prose


def test_seed_body_text_is_exactly_its_prose() -> None:
    """Every paragraph and the subheading survive, in order; captions and promo do not."""
    article = parse_article(
        seed_page(), f"https://www.joongang.co.kr/article/{SEED_ID}", "https://www.joongang.co.kr"
    )
    assert [_norm(b) for b in article.body_text.split("\n\n")] == _prose_blocks()


def test_seed_captions_appear_once_each_as_figures() -> None:
    """The site prints each caption twice (img alt + p.caption); the feed body keeps one."""
    article = parse_article(
        seed_page(), f"https://www.joongang.co.kr/article/{SEED_ID}", "https://www.joongang.co.kr"
    )
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", article.body_html)
    assert len(captions) == 2
    assert captions[0].endswith("연합뉴스") and captions[1].endswith("EPA=연합뉴스")
    for caption in captions:
        assert article.body_html.count(f">{caption}<") == 1
        assert caption not in article.body_text


def test_seed_keeps_its_text_quirks_but_no_nbsp() -> None:
    """Curly quotes, both middle dots and the ellipsis stay; U+00A0 is folded to a space."""
    article = parse_article(
        seed_page(), f"https://www.joongang.co.kr/article/{SEED_ID}", "https://www.joongang.co.kr"
    )
    assert "\u00a0" not in article.body_text and "  " not in article.body_text
    assert "“" in article.body_text and "·" in article.body_text
    assert "…" in article.title and article.factpl_tag
    assert "👉" not in article.body_text
