"""A curator's label corrections (`feedbot label`, issue 16 §4): the override in the store, kept
apart from the classifier's verdict and applied on every way a story is labelled; the commands
and their bad input; and on the replica, a correction that moves a story between feeds, holds
through a topic change and goes away again."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from feedbot.cli import main
from feedbot.config import Config, load_model
from feedbot.curate.classifier import fingerprint
from feedbot.curate.corrections import check_changes, corpus_line, side_by_side
from feedbot.errors import ConfigError
from feedbot.models import CURATOR_ADDED, Classification, LabelOverride
from feedbot.ops.runner import execute
from feedbot.render.atom import entry_id
from feedbot.replica import ReplicaServer
from feedbot.store.db import Store
from tests.helpers import T0, article, fixed_now, replica_config, save, semiconductor_topics

ATOM = "{http://www.w3.org/2005/Atom}"
AI_ONLY = Classification(
    ("ai",), {"ai": 20.0, "crypto": 2.0, "sme": 0.0}, {"ai": ("title: 'AI' ×1 +9",)}
)
AI_AND_SME = Classification(("ai", "sme"), {"ai": 20.0, "crypto": 0.0, "sme": 9.0}, {})
STORY = 25400001


def correction(*, add: tuple[str, ...] = ("crypto",), remove: tuple[str, ...] = ("ai",)):  # type: ignore[no-untyped-def]
    return LabelOverride(STORY, add, remove, "메모리 기사", T0 + timedelta(hours=1))


def labelled(tmp_path: Path, topics: Classification = AI_ONLY) -> Store:
    store = Store(tmp_path / "s.db")
    store.save_article(
        article(), T0, etag=None, last_modified=None, fetched_url="http://x/a", topics=topics
    )
    return store


def feed_ids(store: Store, topic: str) -> set[int]:
    return {s.article.id for s in store.latest(100, topic=topic)}


# -- the override, pure --------------------------------------------------------------------------


def test_an_override_removes_then_adds_in_the_verdicts_topic_order() -> None:
    verdict = Classification(("sme", "ai"), {"ai": 9.0, "crypto": 1.0, "sme": 9.0}, {})
    got = replace(correction(), add=("crypto",), remove=("ai",)).apply(verdict)
    assert got.labels == ("crypto", "sme")  # ai, crypto, sme: the order topics are scored in
    assert got.why["crypto"] == (CURATOR_ADDED,)  # not the reasons the classifier said no with
    assert got.scores == verdict.scores


def test_adding_a_kept_topic_or_removing_a_dropped_one_changes_nothing() -> None:
    got = correction(add=("ai",), remove=("crypto",)).apply(AI_ONLY)
    assert got.labels == ("ai",) and got.why == AI_ONLY.why


def test_an_override_of_a_topic_that_is_not_configured_waits() -> None:
    verdict = Classification(("ai",), {"ai": 20.0}, {})  # crypto dropped from the config
    assert correction().apply(verdict).labels == ()


def test_changes_are_checked_against_the_configured_topics() -> None:
    topics = ["ai", "crypto", "sme"]
    assert check_changes(["crypto", "crypto"], ["ai"], topics) == (("crypto",), ("ai",))
    for add, remove, message in (
        ([], [], "no change given"),
        (["quantum"], [], "unknown topic 'quantum'"),
        ([], ["nope"], "unknown topic 'nope'"),
        (["ai"], ["ai"], "'ai' is both added and removed"),
    ):
        with pytest.raises(ConfigError, match=message):
            check_changes(add, remove, topics)


# -- the store -----------------------------------------------------------------------------------


def test_an_override_moves_the_story_and_keeps_the_classifiers_verdict(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        store.set_override(correction())
        assert feed_ids(store, "crypto") == {STORY} and feed_ids(store, "ai") == set()
        stored = store.get(STORY)
        assert stored is not None and stored.override == correction()
        assert stored.topics.labels == ("crypto",)
        assert stored.verdict is not None and stored.verdict.labels == ("ai",)
        column = store.db.execute("SELECT topics FROM articles").fetchone()[0]
        assert json.loads(column)["labels"] == ["ai"]  # the classifier's own, for explain


def test_an_override_survives_a_recheck_and_a_relabel(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        store.set_override(correction())
        # a re-check stores the story again with the classifier's new verdict
        store.save_article(
            replace(article(), title="제목 2"),
            T0 + timedelta(hours=2),
            etag=None,
            last_modified=None,
            fetched_url="http://x/a",
            topics=AI_AND_SME,
        )
        assert feed_ids(store, "crypto") == {STORY} == feed_ids(store, "sme")
        assert feed_ids(store, "ai") == set()
        # a topic change re-labels from the store
        store.set_topics([(STORY, AI_ONLY)])
        assert feed_ids(store, "crypto") == {STORY} and feed_ids(store, "sme") == set()
        assert [s.article.id for s in store.latest_kept(10)] == [STORY]


def test_removing_an_override_gives_the_classifiers_labels_back(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        store.set_override(correction())
        assert store.remove_override(STORY) is True
        assert store.remove_override(STORY) is False
        assert feed_ids(store, "ai") == {STORY} and feed_ids(store, "crypto") == set()
        stored = store.get(STORY)
        assert stored is not None and stored.override is None and stored.verdict is None


def test_an_override_and_its_removal_mark_the_month_for_the_archives(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        store.clear_dirty_months(store.dirty_months())
        store.set_override(correction())
        assert store.dirty_months() == {"2026-11"}
        store.clear_dirty_months({"2026-11"})
        store.remove_override(STORY)
        assert store.dirty_months() == {"2026-11"}


def test_an_override_outlives_its_row_and_applies_when_the_story_returns(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        store.set_override(correction())
        store.db.execute("UPDATE articles SET data = 'damaged' WHERE id = ?", (STORY,))
        assert store.quarantine(store.unreadable(), T0) == 1
        assert store.overrides() == [correction()]
        store.save_article(
            article(), T0, etag=None, last_modified=None, fetched_url="http://x/a", topics=AI_ONLY
        )
        assert feed_ids(store, "crypto") == {STORY}


def test_an_override_never_brings_a_deleted_story_back(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        store.set_override(correction())
        store.mark_deleted(STORY, T0 + timedelta(days=1))
        store.set_override(correction(add=("crypto", "sme")))  # labelled again after deletion
        store.set_topics([(STORY, AI_AND_SME)])
        assert store.latest(10) == [] and store.latest(10, "crypto") == []
        assert store.latest_kept(10) == []
        assert store.between(T0 - timedelta(days=30), None, "crypto") == []
        # the tombstone is where the story was: the feeds the corrected labels put it in
        assert [i for i, _ in store.tombstones(T0, "crypto")] == [STORY]
        assert store.tombstones(T0, "ai") == []
        assert [o.article_id for o in store.overrides()] == [STORY]


def test_an_unreadable_override_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with labelled(tmp_path) as store:
        store.set_override(correction())
        store.db.execute("UPDATE label_overrides SET add_topics = '\"crypto\"'")
        with caplog.at_level(logging.WARNING):
            stored = store.get(STORY)
        assert stored is not None and stored.override is None
        assert stored.topics.labels == ("ai",)
        assert f"label override of article {STORY} is unreadable" in caplog.text


def test_overrides_are_listed_by_article_id(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        save(store, article(25400002), T0)
        store.set_override(replace(correction(), article_id=25400002))
        store.set_override(correction())
        assert [o.article_id for o in store.overrides()] == [STORY, 25400002]


# -- export and explain, pure --------------------------------------------------------------------


def test_a_corrected_story_is_a_corpus_line_with_the_corrected_labels(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        store.set_override(correction())
        stored = store.get(STORY)
    assert stored is not None
    assert corpus_line(stored) == {
        "id": f"curator-{STORY}",
        "title": "제목",
        "text": "요약\n\n본문",  # the lead and the body, as the classifier read them
        "labels": ["crypto"],
        "note": "메모리 기사",
        "url": f"https://www.joongang.co.kr/article/{STORY}",
        "date": "2026-11-24",
    }


def test_explain_shows_the_override_beside_the_classifier(tmp_path: Path) -> None:
    with labelled(tmp_path) as store:
        store.set_override(correction())
        stored = store.get(STORY)
    assert stored is not None
    lines = side_by_side(stored, ["ai", "crypto", "sme"]).splitlines()
    assert lines[0] == "curator's override (2026-11-25 10:00 KST): +crypto -ai"
    assert "never published" in lines[1] and "메모리 기사" in lines[1]
    assert lines[2].split() == ["topic", "classifier", "override", "feeds"]
    assert lines[3].split() == ["ai", "kept", "-ai", "no"]
    assert lines[4].split() == ["crypto", "dropped", "+crypto", "yes"]
    assert lines[5].split() == ["sme", "dropped", "no"]


# -- the commands --------------------------------------------------------------------------------


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    with labelled(tmp_path):
        pass
    path = tmp_path / "c.toml"
    path.write_text(f'[store]\npath = "{tmp_path / "s.db"}"\n', encoding="utf-8")
    return path


def label(config_file: Path, *args: str) -> int:
    return main(["label", *args, "--config", str(config_file)])


def test_label_records_lists_exports_and_removes(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert label(config_file, str(STORY), "+crypto", "-ai", "--note", "메모리 기사") == 0
    out = capsys.readouterr().out
    assert f"article {STORY}: +crypto -ai recorded; feeds: crypto (classifier: ai)" in out
    assert label(config_file, "--list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1 and listed[0].startswith(f"{STORY}  +crypto -ai  ")
    assert "feeds: crypto" in listed[0] and 'note: "메모리 기사"' in listed[0]
    # a second label replaces the first; a note of several lines still lists on one
    assert label(config_file, str(STORY), "+sme", "--note", '줄 "하나"\n둘') == 0
    assert "recorded (replaces +crypto -ai); feeds: ai, sme" in capsys.readouterr().out
    assert label(config_file, "--list") == 0
    assert capsys.readouterr().out.endswith('note: "줄 \\"하나\\"\\n둘"\n')
    exported = tmp_path / "corrections.jsonl"
    assert label(config_file, "--export", str(exported)) == 0
    assert "1 corrected stories written" in capsys.readouterr().err
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["labels"] for line in lines] == [["ai", "sme"]]
    assert label(config_file, "--export") == 0  # standard output
    assert capsys.readouterr().out.splitlines() == lines
    assert label(config_file, "--remove", str(STORY)) == 0
    assert "override removed; the classifier's labels again (ai)" in capsys.readouterr().out
    assert label(config_file, "--list") == 0
    assert capsys.readouterr().out == ""


def test_a_topic_that_looks_like_an_option_is_still_a_topic(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse alone would read `-quantum` as -q with an argument, `-health` as -h."""
    topics = "[topics.quantum]\ntitle = '양자'\nthreshold = 5\nterms = { '양자' = 3 }\n"
    config_file.write_text(config_file.read_text() + topics, encoding="utf-8")
    assert label(config_file, str(STORY), "+quantum", "-ai", "-v") == 0
    assert "+quantum -ai recorded" in capsys.readouterr().out
    assert label(config_file, str(STORY), "--add", "ai", "--drop", "quantum") == 0
    assert "+ai -quantum recorded" in capsys.readouterr().out
    assert main(["label", str(STORY), "-health", "--config", str(config_file)]) == 2
    assert "unknown topic 'health'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([str(STORY)], "no change given"),
        ([str(STORY), "+quantum"], "unknown topic 'quantum' (configured: ai, crypto, sme)"),
        ([str(STORY), "+ai", "-ai"], "'ai' is both added and removed"),
        (["99999999", "+ai"], "article 99999999 is not in the store"),
        ([], "give ARTICLE_ID with +TOPIC/-TOPIC, or one of --list, --remove ID, --export"),
        (["--list", str(STORY)], "give ARTICLE_ID"),
        (["+ai"], "+TOPIC, -TOPIC and --note go with an ARTICLE_ID"),
        (["--list", "--note", "x"], "go with an ARTICLE_ID"),
        (["--remove", str(STORY)], f"article {STORY} has no override"),
        (["--export", "/nonexistent/dir/x.jsonl"], "cannot write /nonexistent/dir/x.jsonl"),
    ],
)
def test_bad_label_input_is_one_line_and_exit_2(
    config_file: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert label(config_file, *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("feedbot: error: ")
    assert message in err
    with Store(config_file.parent / "s.db") as store:
        assert store.overrides() == []


def test_label_without_a_store_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f'[store]\npath = "{tmp_path / "none.db"}"\n', encoding="utf-8")
    assert main(["label", "--list", "--config", str(path)]) == 2
    assert "no store at" in capsys.readouterr().err


def test_exported_corrections_are_accepted_by_classify_eval(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert label(config_file, str(STORY), "+crypto", "-ai") == 0
    exported = tmp_path / "c.jsonl"
    assert label(config_file, "--export", str(exported)) == 0
    capsys.readouterr()
    assert main(["classify", "--eval", str(exported), "--config", str(config_file)]) == 0
    out = capsys.readouterr().out
    assert "over 1 labelled items" in out and f"curator-{STORY}: gold [crypto]" in out


# -- end to end, on the replica ------------------------------------------------------------------

AI_STORY = 25401480  # ai only: the national AI computing centre (the classifier's verdict)


def in_feed(config: Config, name: str, story_id: int) -> bool:
    return entry_id(story_id) in (config.output.dir / f"{name}.atom").read_text(encoding="utf-8")


def test_a_correction_moves_a_story_holds_through_a_topic_change_and_goes_away(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = replica_config(replica, tmp_path)
    path = tmp_path / "c.toml"
    path.write_text(f'[store]\npath = "{config.store.path}"\n', encoding="utf-8")
    execute(config, fixed_now)
    assert in_feed(config, "ai", AI_STORY) and not in_feed(config, "crypto", AI_STORY)
    note = "GPU 확보 기사: 큐레이터 메모"
    assert label(path, str(AI_STORY), "+crypto", "-ai", "--note", note) == 0

    execute(config, lambda: fixed_now() + timedelta(hours=1))
    assert not in_feed(config, "ai", AI_STORY) and in_feed(config, "crypto", AI_STORY)
    assert in_feed(config, "all", AI_STORY)
    with Store(config.store.path) as store:
        assert store.topics_fingerprint() == fingerprint(
            config.topics, load_model(config)
        )  # not touched
    # the correction is public only as the labels: no note, no word of a curator
    for file in config.output.dir.rglob("*"):
        if file.is_file() and file.suffix != ".png":
            text = file.read_text(encoding="utf-8")
            assert note not in text and "curator" not in text, file.name
    assert main(["explain", str(AI_STORY), "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "kept for: ai" in out  # the classifier's own verdict, with its reasons
    assert "stored labels" not in out  # an override is no earlier topic configuration
    assert "curator's override" in out and note in out

    # a topic change re-labels every stored story; the override still holds
    custom = replace(config, topics=semiconductor_topics())
    execute(custom, lambda: fixed_now() + timedelta(hours=2))
    with Store(config.store.path) as store:
        assert store.topics_fingerprint() == fingerprint(custom.topics, load_model(custom))
        stored = store.get(AI_STORY)
    assert stored is not None and stored.verdict is not None
    assert set(stored.verdict.labels) == {"ai"}  # re-labelled under the new topics
    assert set(stored.topics.labels) == {"crypto"}  # and the override applied on top again
    assert in_feed(custom, "crypto", AI_STORY) and not in_feed(custom, "semiconductor", AI_STORY)
    assert not in_feed(custom, "ai", AI_STORY)

    assert label(path, "--remove", str(AI_STORY)) == 0
    execute(custom, lambda: fixed_now() + timedelta(hours=3))
    assert in_feed(custom, "ai", AI_STORY) and not in_feed(custom, "crypto", AI_STORY)


def test_a_correction_rewrites_the_archive_of_its_month(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    from tests.helpers import older_stories, snapshot

    october = [s for s in older_stories() if s.published.month == 10]
    for story in older_stories():
        replica.site.add(story)
    replica.site.per_page = 60
    config = replica_config(replica, tmp_path)
    config = replace(config, output=replace(config.output, feed_size=5))
    execute(config, fixed_now)
    crypto, ai = (config.output.dir / "archive" / name for name in ("crypto", "ai"))
    before = snapshot(crypto)
    with Store(config.store.path) as store:
        store.set_override(LabelOverride(october[0].id, ("ai",), ("crypto",), "", fixed_now()))
    execute(config, lambda: fixed_now() + timedelta(hours=1))
    after = snapshot(crypto)
    assert {name for name in before if before[name] != after[name]} == {
        "2026-10.atom",
        "2026-10.html",
    }
    assert entry_id(october[0].id) not in after["2026-10.atom"][0].decode()
    assert entry_id(october[0].id) in (ai / "2026-10.atom").read_text(encoding="utf-8")
