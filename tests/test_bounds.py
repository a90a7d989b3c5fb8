"""Every resource a hostile or broken server can make feedbot spend is bounded: bytes (however
many gzip layers), time (however slowly an answer trickles), requests (however many cards a
list page shows), waits (however long a Crawl-delay is) and CPU (however many entities a body
holds). Each fault fails one story or one run, with the documented outcome, within its bound."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from feedbot.config import Config
from feedbot.errors import FetchError, UnhealthyRun
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from feedbot.replica.server import Scripted
from feedbot.store.db import Store
from tests.helpers import fixed_now, fresh_story, replica_config

VICTIM_ID = 25402001
VICTIM = f"/article/{VICTIM_ID}"


def failure(config: Config) -> str:
    with Store(config.store.path) as store:
        row = store.db.execute("SELECT last_error FROM failures WHERE id = ?", (VICTIM_ID,))
        found = row.fetchone()
    assert found is not None, "the story was not recorded as failed"
    return str(found[0])


def test_a_double_gzip_bomb_fails_one_story_within_the_byte_cap(
    replica: ReplicaServer, good: Config
) -> None:
    """100 MB of zeros gzipped twice is 0.3 kB on the wire; inflating stops at max_bytes."""
    bomb = gzip.compress(gzip.compress(b"\0" * 100_000_000))
    replica.script(VICTIM, *[Scripted(200, headers={"Content-Encoding": "gzip, gzip"}, body=bomb)])
    tracemalloc.start()
    try:
        report = execute(good, fixed_now)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.failed == 1 and report.new == 0
    assert "decoded body over 5000000 bytes" in failure(good)
    assert peak < 60_000_000  # the cap (5 MB) and its copies, not the 100 MB


def test_a_plain_body_labelled_gzip_is_read_as_it_is(replica: ReplicaServer, good: Config) -> None:
    page = replica.site.page(VICTIM, {}).body
    replica.script(VICTIM, Scripted(200, headers={"Content-Encoding": "gzip"}, body=page))
    report = execute(good, fixed_now)
    assert report.new == 1 and report.failed == 0


@pytest.mark.parametrize("where", ["body", "headers"])
def test_an_answer_that_trickles_is_cut_at_the_deadline(
    replica: ReplicaServer, good: Config, where: str
) -> None:
    """One byte every 50 ms never trips the read timeout (0.5 s), but the whole request ends at
    fetch.deadline_s (1 s), wherever the answer is slow; both tries are bounded so."""
    config = replace(good, fetch=replace(good.fetch, timeout_s=0.5, deadline_s=1.0))
    page = replica.site.page(VICTIM, {}).body
    slow = (
        Scripted(200, body=page, trickle_s=0.05)
        if where == "body"
        else Scripted(200, body=page, header_trickle_s=0.05)
    )
    replica.script(VICTIM, slow, slow)
    started = time.monotonic()
    report = execute(config, fixed_now)
    elapsed = time.monotonic() - started
    assert report.failed == 1 and "took longer than fetch.deadline_s = 1s" in failure(config)
    assert elapsed < 6.0  # two tries of 1 s each, with room for a slow machine


def test_a_list_page_with_40000_cards_makes_at_most_max_articles_requests(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """The real cards come first, then 40,000 more; one run asks for site.max_articles pages
    and leaves the rest for the next run, which reads every list page again."""
    config = replica_config(replica, tmp_path)
    config = replace(config, site=replace(config.site, max_articles=30, max_pages=1))
    cards = "".join(
        f'<li class="card"><h2 class="headline"><a href="/article/{30_000_000 + i}">기사 {i}</a>'
        "</h2></li>"
        for i in range(40_000)
    )
    real = replica.site.page("/factpl", {}).body.decode()
    end = real.index("</ul>", real.index('id="story_list"'))
    replica.script("/factpl", Scripted(200, body=(real[:end] + cards + real[end:]).encode()))
    replica.clear_requests()
    report = execute(config, fixed_now)
    article_requests = [r for r in replica.requests if r.path.startswith("/article/")]
    assert len(article_requests) == 30 and report.fetched == 30
    assert any("wait for the next run" in note for note in report.notes)


def test_a_huge_crawl_delay_is_capped(replica: ReplicaServer, tmp_path: Path) -> None:
    """robots.txt asks for 100,000 s between requests; the run waits max_crawl_delay_s."""
    replica.site.robots = "User-agent: *\nAllow: /\nCrawl-delay: 100000\n"
    config = replica_config(replica, tmp_path, max_crawl_delay_s=0.01)
    config = replace(config, site=replace(config.site, max_pages=1))
    started = time.monotonic()
    report = execute(config, fixed_now)
    assert report.new > 0 and time.monotonic() - started < 30


def test_a_body_of_entities_costs_little_and_is_stored_bounded(
    replica: ReplicaServer, good: Config
) -> None:
    """1.5 MB of bare `&` (7.5 MB of `&amp;` once escaped) is cut and sanitized once, when the
    story is stored; nh3's time grows with the square of the entities, so uncut it took minutes."""
    page = replica.site.page(VICTIM, {}).body.decode()
    start = page.index('id="article_body"')
    start = page.index(">", start) + 1
    heavy = page[:start] + "<p>" + "&" * 1_500_000 + "</p>" + page[start:]
    replica.script(VICTIM, Scripted(200, body=heavy.encode()))
    started = time.monotonic()
    report = execute(good, fixed_now)
    assert report.new == 1 and time.monotonic() - started < 20
    with Store(good.store.path) as store:
        stored = store.get(VICTIM_ID)
    assert stored is not None and stored.article.sanitized
    assert len(stored.article.body_html) < 210_000
    again = time.monotonic()
    execute(good, fixed_now)  # the next run renders the stored body without sanitizing it again
    assert time.monotonic() - again < 10


def test_every_article_failing_is_an_unhealthy_first_run(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """A section whose article links all 404 is not 'no news': exit 4, nothing published."""
    config = replica_config(replica, tmp_path)
    config = replace(config, site=replace(config.site, max_pages=1))
    listing = replica.site.page("/factpl", {}).body
    for story_id in list(replica.site.stories):
        replica.site.remove(story_id)  # every page answers 404 now; the list still shows them
    replica.script("/factpl", Scripted(200, body=listing))
    with pytest.raises(UnhealthyRun, match="article requests failed"):
        execute(config, fixed_now)
    assert not (config.output.dir / "all.atom").exists()


def test_a_site_failing_request_after_request_is_not_asked_for_every_article(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """Every article page answers 503: after a few in a row the run stops asking (each could
    take fetch.deadline_s), and the rest wait for the next run, which reads every list page."""
    from feedbot.pipeline.harvest import MAX_STRAIGHT_FAILURES

    config = replica_config(replica, tmp_path, retries=0)
    for story in replica.site.stories.values():
        replica.script(f"/article/{story.id}", *[Scripted(503)] * 3)
    replica.clear_requests()
    with pytest.raises(FetchError, match="the site is failing: 5 article requests in a row"):
        execute(config, fixed_now)
    asked = [r for r in replica.requests if r.path.startswith("/article/")]
    assert len(asked) == MAX_STRAIGHT_FAILURES
    with Store(config.store.path) as store:
        assert store.run_incomplete() and store.count() == 0


def test_a_site_that_fails_midway_keeps_what_it_gave(replica: ReplicaServer, good: Config) -> None:
    """Stories fetched before the failures began are stored; the rest wait, noted."""
    for index in range(2, 9):
        replica.site.add(fresh_story(index))
    for index in range(2, 8):  # the newest (8) answers; the six before it fail
        replica.script(f"/article/{25402000 + index}", *[Scripted(503)] * 3)
    config = replace(good, fetch=replace(good.fetch, retries=0))
    report = execute(config, fixed_now)
    assert report.new == 1  # fresh_story(8), the newest, came before the failing ones
    assert any("in a row failed" in note for note in report.notes)
