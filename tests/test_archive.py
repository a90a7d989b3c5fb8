"""RFC 5005 archived feeds: the chain from the current document reaches every story exactly once,
archive documents are immutable except for corrections and deletions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from feedbot.config import Config
from feedbot.normalize import KST
from feedbot.ops.runner import execute
from feedbot.render.atom import HISTORY_NS, entry_id
from feedbot.replica import ReplicaServer
from feedbot.store.db import Store
from tests.helpers import (
    fixed_now,
    fresh_story,
    jing_check,
    older_stories,
    replica_config,
    snapshot,
)

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://127.0.0.1:8000/"


@pytest.fixture
def archived(replica: ReplicaServer, tmp_path: Path) -> Config:
    for story in older_stories():
        replica.site.add(story)
    replica.site.per_page = 60  # everything on one list page
    config = replica_config(replica, tmp_path)
    config = replace(
        config,
        site=replace(config.site, recheck_hours=0.0),
        output=replace(config.output, feed_size=5),
    )
    execute(config, fixed_now)
    return config


def links(root: etree._Element) -> dict[str, str]:
    return {link.get("rel") or "": link.get("href") or "" for link in root.findall(f"{ATOM}link")}


def walk(config: Config, name: str) -> tuple[list[str], list[Path]]:
    """Entry ids from the current document back through every prev-archive."""
    path = config.output.dir / f"{name}.atom"
    ids: list[str] = []
    documents = []
    while True:
        documents.append(path)
        root = etree.parse(str(path)).getroot()
        ids += [e.findtext(f"{ATOM}id") or "" for e in root.iter(f"{ATOM}entry")]
        previous = links(root).get("prev-archive")
        if previous is None:
            return ids, documents
        assert previous.startswith(BASE)
        path = config.output.dir / previous.removeprefix(BASE)


@pytest.mark.parametrize("name", ["crypto", "all", "ai", "sme"])
def test_the_archive_chain_reaches_every_story_exactly_once(archived: Config, name: str) -> None:
    ids, documents = walk(archived, name)
    with Store(archived.store.path) as store:
        topic = None if name == "all" else name
        expected = {
            entry_id(s.article.id)
            for s in store.between(datetime(2000, 1, 1, tzinfo=KST), None, topic)
        }
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    for path in documents:
        jing_check(path)


def test_archive_documents_are_marked_and_linked(archived: Config) -> None:
    folder = archived.output.dir / "archive" / "crypto"
    # November holds the current window and its older November stories are archived too
    months = ["2023-05", "2026-09", "2026-10", "2026-11"]
    # each archive document with its HTML page beside it
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{m}{suffix}" for m in months for suffix in (".atom", ".html")
    )
    current = etree.parse(str(archived.output.dir / "crypto.atom")).getroot()
    assert current.find(f"{{{HISTORY_NS}}}archive") is None
    assert links(current)["prev-archive"] == f"{BASE}archive/crypto/2026-11.atom"
    assert len(list(current.iter(f"{ATOM}entry"))) == 5  # the subscription document stays small
    october = etree.parse(str(folder / "2026-10.atom")).getroot()
    assert october.find(f"{{{HISTORY_NS}}}archive") is not None
    assert links(october)["current"] == f"{BASE}crypto.atom"
    assert links(october)["prev-archive"] == f"{BASE}archive/crypto/2026-09.atom"
    assert "next-archive" not in links(october)
    assert links(october)["self"] == f"{BASE}archive/crypto/2026-10.atom"
    assert "prev-archive" not in links(etree.parse(str(folder / "2023-05.atom")).getroot())
    months = {e.findtext(f"{ATOM}published")[:7] for e in october.iter(f"{ATOM}entry")}
    assert months == {"2026-10"}


def test_complete_months_do_not_change_when_new_stories_arrive(
    replica: ReplicaServer, archived: Config
) -> None:
    folder = archived.output.dir / "archive" / "crypto"
    before = snapshot(folder)
    current = (archived.output.dir / "crypto.atom").read_bytes()
    replica.site.add(fresh_story(3))
    execute(archived, fixed_now)
    assert (archived.output.dir / "crypto.atom").read_bytes() != current
    after = snapshot(folder)
    # the story that left the current document joins the (still growing) November archive
    assert {n for n in before if before[n] != after[n]} == {"2026-11.atom", "2026-11.html"}
    ids, _ = walk(archived, "crypto")
    assert len(ids) == len(set(ids))


def test_a_correction_rewrites_only_its_month(replica: ReplicaServer, archived: Config) -> None:
    folder = archived.output.dir / "archive" / "crypto"
    before = snapshot(folder)
    october = next(s for s in older_stories() if s.published.month == 10)
    replica.site.edit(october.id, blocks=(*october.blocks, "거래소는 다음 날 공지를 고쳤다."))
    execute(archived, lambda: fixed_now() + timedelta(hours=1))
    after = snapshot(folder)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"2026-10.atom", "2026-10.html"}
    assert "공지를 고쳤다" in after["2026-10.atom"][0].decode()


def test_a_deletion_takes_the_story_out_of_its_archive(
    replica: ReplicaServer, archived: Config
) -> None:
    september = next(s for s in older_stories() if s.published.month == 9)
    replica.site.remove(september.id)
    execute(archived, lambda: fixed_now() + timedelta(hours=1))
    ids, _ = walk(archived, "crypto")
    assert entry_id(september.id) not in ids
    text = (archived.output.dir / "archive" / "crypto" / "2026-09.atom").read_text()
    assert entry_id(september.id) not in text


def test_archive_pages_mirror_their_documents_and_chain_back(archived: Config) -> None:
    """Every stored story can be browsed: the feed page lists the months, each month page holds
    the stories of its Atom document and links the older month; the document points at it."""
    out = archived.output.dir
    page = (out / "crypto.html").read_text(encoding="utf-8")
    for month in ("2023-05", "2026-09", "2026-10", "2026-11"):
        assert f'href="archive/crypto/{month}.html"' in page
    october = etree.parse(str(out / "archive" / "crypto" / "2026-10.atom")).getroot()
    alternate = next(
        link.get("href")
        for link in october.findall(f"{ATOM}link")
        if link.get("rel") == "alternate" and link.get("type") == "text/html"
    )
    assert alternate == f"{BASE}archive/crypto/2026-10.html"
    html = (out / "archive" / "crypto" / "2026-10.html").read_text(encoding="utf-8")
    hrefs = [e.find(f"{ATOM}link").get("href") for e in october.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert hrefs and all(f'href="{href}"' in html for href in hrefs)
    assert html.count('<article class="story">') == len(hrefs)
    assert 'href="2026-09.html" rel="prev"' in html and 'href="../../crypto.html"' in html
    assert 'href="../../style.css"' in html and "2026-11.html" not in html  # no newer link
