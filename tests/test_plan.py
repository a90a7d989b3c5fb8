"""The pure decisions of a run, called directly: what to fetch, how a card fills a page's gaps,
what a story may bring into the store, and whether a harvest looks healthy."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from feedbot.config import HealthConfig
from feedbot.models import Attempts, Author, Card
from feedbot.normalize import KST
from feedbot.pipeline.health import assess, canary_drift, fill_rates
from feedbot.pipeline.plan import (
    MAX_ATTEMPTS,
    MAX_BODY_TEXT,
    listing_goes_on,
    merge_card,
    plan_fetches,
    prepare,
)
from tests.helpers import article

WHEN = datetime(2026, 11, 24, 9, 0, tzinfo=KST)


def card(story_id: int, **changes: object) -> Card:
    base = Card(story_id, f"https://www.joongang.co.kr/article/{story_id}", "t", "요약", None, WHEN)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_plan_puts_new_cards_first_then_rechecks_then_retries_without_repeats() -> None:
    cards = [card(3), card(2), card(1)]
    plan = plan_fetches(cards, known={2}, failures={}, due=[9, 3], retry=[7, 9], limit=50)
    assert plan.ids == (3, 1, 9, 7) and plan.deferred == 0


def test_plan_skips_permanent_failures_and_stories_out_of_attempts() -> None:
    failures = {1: Attempts(1, True), 2: Attempts(MAX_ATTEMPTS, False), 3: Attempts(1, False)}
    plan = plan_fetches([card(1), card(2), card(3)], set(), failures, [], [], limit=50)
    assert plan.ids == (3,)


def test_plan_keeps_to_the_request_budget_and_says_how_many_wait() -> None:
    cards = [card(i) for i in range(40_000, 0, -1)]
    plan = plan_fetches(cards, set(), {}, [], [], limit=200)
    assert len(plan.ids) == 200 and plan.ids[0] == 40_000 and plan.deferred == 39_800


def test_a_card_fills_only_what_the_page_lacked() -> None:
    page = article(published=None, image=None, description="본문 요약")
    merged = merge_card(page, card(page.id, image="https://pds.joongang.co.kr/x.jpg"), None)
    assert merged.published == WHEN and merged.image == "https://pds.joongang.co.kr/x.jpg"
    assert merged.description == "본문 요약"  # the page had one: the card's does not win
    assert merged.provenance["published"] == "card" and "description" not in merged.provenance


def test_a_recheck_without_its_card_keeps_what_the_card_gave_before() -> None:
    before = merge_card(article(published=None), card(25400001), None)
    again = merge_card(article(published=None), None, before)
    assert again.published == WHEN and again.provenance["published"] == "card"
    assert merge_card(article(published=None), None, None).published is None


def test_prepare_keeps_only_values_every_output_can_carry() -> None:
    bad = article(
        image="javascript:alert(1)",
        authors=(Author("홍길동", "hong"), Author("김철수", "kim@joongang.co.kr")),
        body_html='<p onclick="x()">본문<script>alert(1)</script></p>' + "<p>가</p>" * 60_000,
        body_text="가" * (MAX_BODY_TEXT + 10),
        title="제" * 5000,
    )
    ready = prepare(bad)
    assert ready.image is None and ready.sanitized
    assert [a.email for a in ready.authors] == [None, "kim@joongang.co.kr"]
    assert "script" not in ready.body_html and "onclick" not in ready.body_html
    assert len(ready.body_html) <= 200_000 and ready.body_html.endswith("</p>")
    assert len(ready.body_text) == MAX_BODY_TEXT and len(ready.title) == 500
    assert any(w.startswith("image:") for w in ready.warnings)
    assert any("e-mail 'hong'" in w for w in ready.warnings)
    assert prepare(ready) == ready  # preparing twice changes nothing


def test_fill_rates_count_each_field() -> None:
    rates = fill_rates([article(), article(image="https://x/y.jpg", authors=())])
    assert rates["title"] == 1.0 and rates["image"] == 0.5 and rates["authors"] == 0.5
    assert rates["body"] == 0.0  # the helper's body is shorter than a real one
    assert fill_rates([]) == {}


def test_assess_flags_a_field_gone_missing_against_its_baseline() -> None:
    extracted = [article(published=None, body_text="본문 " * 40) for _ in range(4)]
    history = [{"title": 1.0, "published": 1.0, "authors": 1.0, "body": 1.0}]
    verdict = assess(extracted, 4, 0, history, HealthConfig())
    assert not verdict.healthy and "field 'published' filled on 0%" in verdict.notes[0]
    assert assess(extracted, 4, 0, [], HealthConfig()).healthy  # no baseline yet: nothing to say


def test_assess_flags_extraction_failing_on_most_pages() -> None:
    verdict = assess([article()], 4, 3, [], HealthConfig())
    assert not verdict.healthy and "extraction failed on 3 of 4" in verdict.notes[0]
    assert assess([article()], 2, 2, [], HealthConfig()).healthy  # too few to judge


def test_assess_flags_a_run_whose_every_article_request_failed() -> None:
    """A section whose article links all lead nowhere (404s) is not 'no news': even a first
    run, with no baseline, is unhealthy rather than publishing empty feeds."""
    verdict = assess([], 0, 0, [], HealthConfig(), planned=12, failed=12)
    assert not verdict.healthy and "all 12 article requests failed" in verdict.notes[0]
    assert assess([], 0, 0, [], HealthConfig(), planned=12, failed=11).healthy
    assert assess([], 0, 0, [], HealthConfig(), planned=2, failed=2).healthy


def test_canary_drift_names_each_field_that_changed() -> None:
    stored = article()
    assert canary_drift(stored, stored) == []
    drift = canary_drift(stored, replace(stored, title="다른 제목", authors=()))
    assert [line.split("'")[1] for line in drift] == ["title", "authors"]


def test_the_listing_stops_at_the_first_page_whose_oldest_card_is_known() -> None:
    page = [card(30), card(20), card(10)]
    assert listing_goes_on(page, known={5}, exhaustive=False, page=1, last_page=9)
    assert not listing_goes_on(page, known={10}, exhaustive=False, page=1, last_page=9)
    assert not listing_goes_on([], known=set(), exhaustive=False, page=1, last_page=9)
    # after an unfinished run every page is read, but never past the last one
    assert listing_goes_on(page, known={10}, exhaustive=True, page=1, last_page=9)
    assert not listing_goes_on(page, known=set(), exhaustive=True, page=9, last_page=9)
