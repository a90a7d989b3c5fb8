"""Labels at ingest, re-labelling on a topic change without refetching, `feedbot explain`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from feedbot.cli import main
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from feedbot.replica.stories import SEED_ID, STORIES
from feedbot.store.db import Store
from tests.helpers import fixed_now, replica_config, semiconductor_topics


def test_every_article_is_labelled_at_ingest(replica: ReplicaServer, tmp_path: Path) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    with Store(config.store.path) as store:
        for story in STORIES:
            stored = store.get(story.id)
            assert stored is not None
            assert set(stored.topics.labels) == set(story.topics), story.title
            assert set(stored.topics.scores) == {"ai", "crypto", "sme"}
        seed = store.get(SEED_ID)
        assert seed is not None and set(seed.topics.labels) == {"ai", "crypto", "sme"}
        ai_ids = {s.article.id for s in store.latest(100, topic="ai")}
        assert ai_ids == {s.id for s in STORIES if "ai" in s.topics} | {SEED_ID}


def test_topic_change_relabels_stored_articles_without_fetching(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    custom = semiconductor_topics()
    replica.clear_requests()
    execute(replace(config, topics=custom), fixed_now)
    assert [r.path for r in replica.requests] == ["/factpl"]  # list page only, answered 304
    with Store(config.store.path) as store:
        chips = {s.article.id for s in store.latest(100, topic="semiconductor")}
    assert 25401084 in chips and 25400794 in chips  # the HBM story and the equipment story


def test_explain_prints_why(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    path = tmp_path / "c.toml"
    path.write_text(f'[store]\npath = "{config.store.path}"\n', encoding="utf-8")
    assert main(["explain", "25401350", "--config", str(path)]) == 0  # avian-flu story
    out = capsys.readouterr().out
    assert "kept for: nothing (dropped)" in out
    assert "negative context '고병원성': AI off" in out
    assert main(["explain", "25401455", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "kept for: crypto" in out and "title: '업비트' ×1 +12" in out
    assert main(["explain", "99999999", "--config", str(path)]) == 2
    assert "not in the store" in capsys.readouterr().err
