"""Deletions (RFC 6721 tombstones), source corrections and near-duplicate control (issue 7)."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feedbot.config import Config
from feedbot.curate.dedupe import THRESHOLD, duplicates, shingles, similarity
from feedbot.ops.runner import execute
from feedbot.render.atom import TOMBSTONE_NS, entry_id
from feedbot.replica import ReplicaServer
from feedbot.replica.stories import STORIES
from tests.helpers import fixed_now, jing_check, replica_config

ATOM = "{http://www.w3.org/2005/Atom}"
AI_STORY = next(s for s in STORIES if s.topics == frozenset({"ai"}) and s.id == 25401377)


def text_of(story) -> str:  # type: ignore[no-untyped-def]
    return "\n\n".join(b for b in story.blocks if isinstance(b, str))


def at(hours: float):  # type: ignore[no-untyped-def]
    moment = fixed_now() + timedelta(hours=hours)
    return lambda: moment


def feed(config: Config, name: str) -> etree._Element:
    return etree.parse(str(config.output.dir / f"{name}.atom")).getroot()


def tombstones(root: etree._Element) -> dict[str, str]:
    return {
        t.get("ref") or "": t.get("when") or ""
        for t in root.iter(f"{{{TOMBSTONE_NS}}}deleted-entry")
    }


@pytest.fixture
def rechecking(replica: ReplicaServer, tmp_path: Path) -> Config:
    config = replica_config(replica, tmp_path)
    config = replace(config, site=replace(config.site, recheck_hours=0.0))
    execute(config, at(0))
    return config


def test_a_deleted_story_leaves_the_feeds_as_a_tombstone(
    replica: ReplicaServer, rechecking: Config
) -> None:
    ref = entry_id(AI_STORY.id)
    replica.site.remove(AI_STORY.id)
    execute(rechecking, at(1))
    for name in ("ai", "all"):
        root = feed(rechecking, name)
        assert tombstones(root) == {ref: "2026-11-25T13:00:00+09:00"}, name
        assert ref not in {e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")}
        assert root.findtext(f"{ATOM}updated") == "2026-11-25T13:00:00+09:00"
        jing_check(rechecking.output.dir / f"{name}.atom")
        assert feedparser.parse(etree.tostring(root)).bozo == 0
    assert tombstones(feed(rechecking, "crypto")) == {}  # it was never in that feed
    # still there a week later, gone after output.tombstone_days (30)
    execute(rechecking, at(24 * 7))
    assert ref in tombstones(feed(rechecking, "ai"))
    execute(rechecking, at(24 * 31))
    assert tombstones(feed(rechecking, "ai")) == {}


def test_a_source_correction_moves_updated_and_says_so(
    replica: ReplicaServer, rechecking: Config
) -> None:
    corrected_at = datetime(2026, 11, 25, 11, 0, tzinfo=AI_STORY.published.tzinfo)
    replica.site.edit(
        AI_STORY.id,
        updated=corrected_at,
        blocks=(*AI_STORY.blocks, "네이버는 오류를 바로잡아 성능 수치를 고쳤다."),
    )
    execute(rechecking, at(2))
    entry = next(
        e
        for e in feed(rechecking, "ai").iter(f"{ATOM}entry")
        if e.findtext(f"{ATOM}id") == entry_id(AI_STORY.id)
    )
    assert entry.findtext(f"{ATOM}updated") == "2026-11-25T14:00:00+09:00"  # when we saw it
    content = entry.findtext(f"{ATOM}content") or ""
    assert "수정됨: 원문이 2026-11-25 14:00에 고쳐졌습니다" in content
    assert "바로잡아" in content


def test_a_republished_copy_appears_once_with_a_related_link(
    replica: ReplicaServer, rechecking: Config
) -> None:
    copy = replace(
        AI_STORY,
        id=25401600,
        published=AI_STORY.published + timedelta(hours=30),
        title=AI_STORY.title + " (재송고)",
        blocks=tuple(
            b.replace("23일", "24일") if isinstance(b, str) else b for b in AI_STORY.blocks
        ),
    )
    replica.site.add(copy)
    execute(rechecking, at(3))
    for name in ("ai", "all"):
        entries = {e.findtext(f"{ATOM}id"): e for e in feed(rechecking, name).iter(f"{ATOM}entry")}
        assert entry_id(copy.id) not in entries, name
        original = entries[entry_id(AI_STORY.id)]
        related = [
            link.get("href")
            for link in original.findall(f"{ATOM}link")
            if link.get("rel") == "related"
        ]
        assert related == ["https://www.joongang.co.kr/article/25401600"], name
        jing_check(rechecking.output.dir / f"{name}.atom")
    items = json.loads((rechecking.output.dir / "ai.json").read_text())["items"]
    json_ids = {item["id"] for item in items}
    assert entry_id(copy.id) not in json_ids and entry_id(AI_STORY.id) in json_ids


# -- the similarity threshold ----------------------------------------------------------------------


def test_copies_are_pairs_and_different_stories_are_not() -> None:
    base = text_of(AI_STORY)
    edited = (
        base.replace("23일", "24일").replace("두 배", "2배")
        + "\n\n네이버는 다음 달 요금을 공개한다."
    )
    for copy in (edited, base):
        assert similarity(shingles(base), shingles(copy)) >= THRESHOLD
    # no two different replica stories come near, the two 중기부 stories included
    worst = max(
        similarity(shingles(text_of(a)), shingles(text_of(b)))
        for a, b in itertools.combinations(STORIES, 2)
    )
    assert worst < THRESHOLD / 4
    ministry = [s for s in STORIES if "중소벤처기업부" in text_of(s)]
    assert len(ministry) >= 5
    for a, b in itertools.combinations(ministry, 2):
        assert similarity(shingles(text_of(a)), shingles(text_of(b))) < THRESHOLD


def test_duplicates_keep_the_first_of_a_group() -> None:
    a = shingles("가상자산 거래소 업비트가 해킹 피해를 전액 보전하기로 했다. 입출금은 곧 재개된다.")
    b = shingles(
        "가상자산 거래소 업비트가 해킹 피해를 전액 보전하기로 했다. 입출금은 내일 재개된다."
    )
    c = shingles("중소벤처기업부가 소상공인 정책자금 3조원을 상반기에 집행한다.")
    assert duplicates([(1, a), (2, c), (3, b)]) == {3: 1}
    assert duplicates([(1, a), (2, c)]) == {}
