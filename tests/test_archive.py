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
from tests.helpers import fixed_now, fresh_story, jing_check, replica_config

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://127.0.0.1:8000/"


def older_stories():  # type: ignore[no-untyped-def]
    """Six crypto stories in September and October 2026."""
    for index, (month, day) in enumerate([(9, 3), (9, 17), (9, 28), (10, 5), (10, 14), (10, 30)]):
        yield replace(
            fresh_story(10 + index), published=datetime(2026, month, day, 9, 0, tzinfo=KST)
        )


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
    assert sorted(p.name for p in folder.iterdir()) == [
        "2023-05.atom",
        "2026-09.atom",
        "2026-10.atom",
        "2026-11.atom",
    ]
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


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


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
    assert {n for n in before if before[n] != after[n]} == {"2026-11.atom"}
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
    assert changed == {"2026-10.atom"}
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
