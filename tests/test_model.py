"""The learned second opinion (issue 16 §3): the weight file, pure-Python scoring equal to
scikit-learn's, where the model may add or drop a topic, what `why` shows, the fingerprint, bad
weight files, and `feedbot train` (reproducible, held-out lines never seen, bad lines named)."""

from __future__ import annotations

import hashlib
import json
import math
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from feedbot.cli import main
from feedbot.config import Config, CurateConfig, load_model, parse_config
from feedbot.curate.classifier import classify, compile_topics, fingerprint
from feedbot.curate.model import (
    SHIPPED_MODEL,
    TopicModel,
    TopicWeights,
    dump_model,
    judge,
    ngrams,
    normalize,
    parse_model,
    story_text,
    vector,
)
from feedbot.errors import ConfigError
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from feedbot.store.db import Store
from tests.helpers import replica_config, write_config

DATA = Path(__file__).parent / "data"
CORPUS = [DATA / "topics-real.jsonl", DATA / "topics-dev.jsonl"]
SPECS = Config().topics


def toy_model(ai: float = 0.0, *, add: float = 0.8, drop: float = 0.2, cap: float = 3.0) -> bytes:
    """A hand-made weight file: the n-grams of '모델' push ai up, '휴대폰' pushes it down;
    `ai` is the bias. The other topics get no weights (probability 0.5, between the bounds)."""
    grams = ["모델", "휴대", "대폰", "휴대폰"]
    zero = TopicWeights(0.0, (0.0,) * 4, 0.9, 0.1, cap)
    return dump_model(
        grams,
        [1.0] * 4,
        {
            "ai": TopicWeights(ai, (12.0, -6.0, -6.0, -6.0), add, drop, cap),
            "crypto": zero,
            "sme": zero,
        },
        low=2,
        high=3,
        chars=600,
        trained={"by": "hand"},
    )


def toy_rules(data: bytes | None = None) -> tuple[object, ...]:
    return compile_topics(SPECS, parse_model(data or toy_model(), "toy.json"))


def test_weight_file_round_trips_and_is_deterministic() -> None:
    data = toy_model()
    assert data == toy_model()
    model = parse_model(data, "toy.json")
    assert model.grams == ("모델", "휴대", "대폰", "휴대폰") and model.low == 2
    assert model.topics["ai"].weights[0] == 12.0 and model.topics["ai"].cap == 3.0
    header = json.loads(data.split(b"\n", 1)[0])
    assert header["format"] == "feedbot-topic-model" and header["version"] == 1


def test_ngrams_are_of_nfkc_lowercased_text_with_one_space() -> None:
    text = normalize("ＡＩ  모델\n\t출시")
    assert text == "ai 모델 출시"
    assert ngrams("abcd", 2, 3) == ["ab", "bc", "cd", "abc", "bcd"]
    assert (
        story_text("제목", "본문 " * 400, "요약", 20)
        == normalize("제목\n요약\n" + "본문 " * 5)[:20]
    )


def test_model_adds_a_topic_only_with_rule_evidence() -> None:
    """'모델' makes the model sure of ai; the rules' weak evidence ('에이전트', body) lets it add
    the topic, and without any rule evidence it adds nothing."""
    rules = toy_rules()
    weak = classify(rules, "새 모델 공개", "회사가 새 모델을 냈다. 에이전트 기능도 넣었다.")
    assert "ai" in weak.labels
    assert weak.scores["ai"] < 8  # the rules alone would not have kept it
    assert any(line.startswith("model: ") and "added" in line for line in weak.why["ai"])
    nothing = classify(rules, "새 모델 공개", "회사가 새 모델을 냈다.")
    assert nothing.scores["ai"] == 0 and "ai" not in nothing.labels
    assert not any(line.startswith("model: ") for line in nothing.why["ai"])


def test_an_added_topic_never_claims_a_comparison_that_is_false() -> None:
    """Evidence only past the first sentence needs twice the threshold (16): a score of 8.25
    falls short of that, and the model's line must not say it fell short of 8."""
    story = classify(
        toy_rules(),
        "새 모델 공개",
        "회사가 새 모델을 냈다. 인공지능 에이전트 기능과 생성형 AI 기능을 넣었다.",
    )
    assert "ai" in story.labels and 8 <= story.scores["ai"] < 16
    assert "< threshold 16" in story.why["ai"][-2]
    for line in story.why["ai"]:
        for left, right in re.findall(r"([\d.]+) < threshold ([\d.]+)", line):
            assert float(left) < float(right), line
    assert story.why["ai"][-1].endswith("added (rule score 8.25 fell short)")


def test_model_drops_a_kept_topic_unless_the_rules_are_strong() -> None:
    """'휴대폰' makes the model sure the story is not ai: a story the rules keep at under `cap`
    thresholds is dropped, one that names AI throughout is not."""
    rules = toy_rules(toy_model(ai=-1.0))
    plain = compile_topics(SPECS)
    title, text = "AI 휴대폰 출시", "휴대폰 신제품이 나왔다. 통화 품질을 높였다."
    assert "ai" in classify(plain, title, text).labels
    result = classify(rules, title, text)
    assert "ai" not in result.labels
    assert "dropped" in result.why["ai"][-1]
    strong = classify(
        rules, "AI 휴대폰, AI 비서 AI 칩", "인공지능 LLM 챗GPT 오픈AI 제미나이 휴대폰."
    )
    assert strong.scores["ai"] >= 3 * 8 and "ai" in strong.labels
    assert "rules stand" in strong.why["ai"][-1]


def test_verdict_names_the_weighted_ngrams() -> None:
    """The curator sees which n-grams carried the verdict and which way."""
    result = classify(toy_rules(toy_model(ai=-1.0)), "AI 휴대폰 출시", "휴대폰 신제품이 나왔다.")
    line = result.why["ai"][-1]
    assert line.startswith("model: 0.") and "off topic" in line
    assert "-'휴대폰'" in line and "-'휴대'" in line


def test_pure_python_scores_equal_scikit_learn() -> None:
    """The shipped-format export scored in pure Python gives scikit-learn's probabilities."""
    from feedbot.curate import train as training

    stories, _ = training.read_corpus([(str(p), p.read_text().splitlines()) for p in CORPUS])
    stories = stories[:1200]  # any fit will do; a fifth of the corpus keeps it quick
    texts = [story_text(s.title, s.text, None, training.CHARS) for s in stories]
    numpy = __import__("numpy")
    targets = {"ai": numpy.array(["ai" in s.labels for s in stories])}
    evidence = {"ai": numpy.array(["AI" in s.title + s.text for s in stories])}
    documents = training.analysed(texts)
    vectorizer, models = training._fit(documents, targets, evidence)
    grams = [str(g) for g in vectorizer.get_feature_names_out()]
    fitted = models["ai"]
    data = dump_model(
        grams,
        [float(v) for v in vectorizer.idf_],
        {"ai": TopicWeights(float(fitted.intercept_[0]), tuple(fitted.coef_[0]), 0.9, 0.1, 3)},
        low=training.LOW,
        high=training.HIGH,
        chars=training.CHARS,
        trained={},
    )
    model = parse_model(data, "fit.json")
    expected = fitted.predict_proba(vectorizer.transform(documents[:40]))[:, 1]
    for text, want in zip(texts[:40], expected, strict=True):
        got = judge(model, "ai", vector(model, text)).probability
        assert got == pytest.approx(want, abs=2e-3)  # the export rounds to 4 decimals


@pytest.mark.parametrize(
    "text",
    [
        "삼성전자가 생성형 ai 모델을 공개했다. 엔비디아 gpu 수요가 늘었다",
        "ㅋ" * 600,  # one n-gram 598 times: past the precomputed TF table
        "ai " * 200,
        "zzqx",  # nothing known
        "",
    ],
)
def test_vector_is_sublinear_tf_idf_of_known_grams_in_story_order(text: str) -> None:
    """The C-level vector equals the formula written out: 1 + ln(count) × idf for each known
    n-gram, in the order the n-grams first occur, scaled to unit length."""
    model = load_model(Config())
    counts: dict[str, int] = {}
    for gram in ngrams(text, model.low, model.high):
        counts[gram] = counts.get(gram, 0) + 1
    raw = {
        model.index[g]: (1.0 + math.log(c)) * model.idf[model.index[g]]
        for g, c in counts.items()
        if g in model.index
    }
    norm = math.sqrt(sum(v * v for v in raw.values()))
    features = vector(model, text)
    assert features.indices == (tuple(raw) if norm else ())
    assert features.values == (tuple(v / norm for v in raw.values()) if norm else ())


@pytest.mark.parametrize("weight", ["0.5", None, [1], 10**400, {"v": 1}])
def test_a_weight_that_is_no_number_is_a_one_line_error_naming_the_file(weight: object) -> None:
    """A payload whose header and checksum are right but whose weights are not numbers (a
    foreign writer's file) is refused with one line naming it, not an internal error."""
    header, payload = toy_model().split(b"\n", 1)
    table = json.loads(payload)
    table["topics"]["ai"]["weights"][0] = weight
    body = json.dumps(table).encode()
    head = json.loads(header) | {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    with pytest.raises(ConfigError) as caught:
        parse_model(json.dumps(head).encode() + b"\n" + body, "foreign.json")
    assert "foreign.json" in str(caught.value) and "\n" not in str(caught.value)


def test_fingerprint_follows_the_weight_file() -> None:
    one, other = parse_model(toy_model(), "a"), parse_model(toy_model(ai=-1.0), "b")
    assert fingerprint(SPECS, one) == fingerprint(SPECS, parse_model(toy_model(), "copy"))
    assert fingerprint(SPECS, one) != fingerprint(SPECS, other) != fingerprint(SPECS)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (None, "no such file"),
        (lambda b: b[: len(b) // 2], "truncated"),
        (lambda b: b.replace(b'"bias"', b'"Bias"', 1), "checksum mismatch"),
        (lambda b: b'{"weights": [1, 2]}\n', "not a feedbot topic model"),
        (lambda b: b"\x89PNG\r\n\x1a\n\x00\x00", "not a feedbot topic model"),
        (lambda b: b.replace(b'"version": 1', b'"version": 9', 1), "format version 9"),
    ],
)
def test_bad_weight_file_is_one_line_exit_2_and_nothing_relabelled(
    replica: ReplicaServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: object,
    message: str,
) -> None:
    """A run with a missing, truncated, altered or foreign weight file stops before anything is
    labelled: exit 2, one line naming the file, the store's labels and fingerprint untouched."""
    config = replica_config(replica, tmp_path)
    execute(config)  # a store labelled with the shipped model
    with Store(config.store.path) as store:
        before = ({s.article.id: s.topics for s in store.latest(1000)}, store.topics_fingerprint())
    bad = tmp_path / "model.json"
    if damage is not None:
        bad.write_bytes(damage(toy_model()))  # type: ignore[operator]
    config_file = write_config(config, tmp_path / "config.toml", '[curate]\nmodel = "model.json"\n')
    capsys.readouterr()
    assert main(["-q", "run", "--once", "--config", str(config_file)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(bad) in err and message in err, err
    with Store(config.store.path) as store:
        after = ({s.article.id: s.topics for s in store.latest(1000)}, store.topics_fingerprint())
    assert after == before


def test_retrained_model_relabels_the_store(replica: ReplicaServer, tmp_path: Path) -> None:
    """A new weight file changes the fingerprint: the next run re-labels the stored stories,
    and a model that drops ai from phone stories takes ai off a stored phone story."""
    model_file = tmp_path / "model.json"
    model_file.write_bytes(toy_model())
    base = replica_config(replica, tmp_path)
    config = replace(base, curate=CurateConfig(model=model_file))
    execute(config)
    with Store(config.store.path) as store:
        first = store.topics_fingerprint()
        assert first == fingerprint(config.topics, load_model(config))
    model_file.write_bytes(toy_model(ai=-30.0, drop=0.5, cap=8.0))  # ai off wherever it may
    execute(config)
    with Store(config.store.path) as store:
        assert store.topics_fingerprint() not in (None, first)
        labelled = [s for s in store.latest(1000) if 0 < s.topics.scores.get("ai", 0) < 64]
        assert labelled and all("ai" not in s.topics.labels for s in labelled)


def test_model_off_is_the_rules_alone() -> None:
    config = parse_config({"curate": {"model": ""}})
    assert config.curate.model is None and load_model(config) is None
    assert parse_config({}).curate.model == SHIPPED_MODEL
    with pytest.raises(ConfigError, match=r"curate\.model: expected a path"):
        parse_config({"curate": {"model": 3}})
    with pytest.raises(ConfigError, match=r"unknown config key curate\.weights"):
        parse_config({"curate": {"weights": "x"}})


def test_shipped_model_loads_and_is_small() -> None:
    model = load_model(Config())
    assert isinstance(model, TopicModel) and set(model.topics) == {"ai", "crypto", "sme"}
    assert SHIPPED_MODEL.stat().st_size <= 3_000_000
    assert model.low == 2 and model.high == 4


def test_classify_shows_the_model_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`feedbot classify` (the shipped model) writes the model's verdict after the rules'."""
    import io

    line = json.dumps({"id": "p", "title": "AI 휴대폰 출시", "text": "휴대폰 신제품이 나왔다."})
    monkeypatch.setattr(sys, "stdin", io.StringIO(line + "\n"))
    assert main(["classify", "-"]) == 0
    why = json.loads(capsys.readouterr().out)["why"]["ai"]
    assert why[-2].startswith("score ") and why[-1].startswith("model: ")


# -- feedbot train ------------------------------------------------------------------------------


@pytest.mark.slow
def test_shipped_weights_are_what_train_makes_of_the_shipped_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`feedbot train` as the README runs it (from the checkout, default corpus) rebuilds the
    shipped weight file: the file is reproducible, and a corpus or rule change that was not
    followed by a retraining fails here."""
    monkeypatch.chdir(DATA.parents[1])
    assert main(["train", "--out", str(tmp_path / "m.json")]) == 0
    # Compared as numbers, not bytes (a rerun's bytes are compared below): another machine's
    # numeric libraries may round a last digit differently, but only a stale file changes the
    # n-grams or the thresholds, or moves a number by more than the file's rounding (3 decimals).
    stale = "feedbot/curate/model.json is stale: run `.venv/bin/python -m feedbot train`"
    built = parse_model((tmp_path / "m.json").read_bytes(), "rebuilt")
    known = parse_model(SHIPPED_MODEL.read_bytes(), "shipped")
    assert set(built.topics) == set(known.topics), stale
    assert (built.grams, built.low, built.high, built.chars) == (
        known.grams,
        known.low,
        known.high,
        known.chars,
    ), stale
    pairs = [(built.idf, known.idf)]
    for topic, weights in known.topics.items():
        new = built.topics[topic]
        assert (new.add, new.drop, new.cap) == (weights.add, weights.drop, weights.cap), stale
        pairs += [([new.bias], [weights.bias]), (new.weights, weights.weights)]
    assert max(abs(a - b) for x, y in pairs for a, b in zip(x, y, strict=True)) <= 0.0011, stale


def test_train_is_byte_identical_on_a_rerun(tmp_path: Path) -> None:
    """Same corpus, same rules: the same bytes, and a weight file that reads (on the 201-item
    set, so that it is quick; the shipped corpus is rebuilt once, above)."""
    args = ["train", "--corpus", str(DATA / "topics-dev.jsonl")]
    assert main([*args, "--out", str(tmp_path / "a.json")]) == 0
    assert main([*args, "--out", str(tmp_path / "b.json")]) == 0
    data = (tmp_path / "a.json").read_bytes()
    assert data == (tmp_path / "b.json").read_bytes()
    model = parse_model(data, "a.json")
    assert set(model.topics) == {"ai", "crypto", "sme"}


def test_train_never_sees_held_out_lines(tmp_path: Path) -> None:
    """A word only held-out lines carry never becomes an n-gram, and they are not counted."""
    lines = (DATA / "topics-dev.jsonl").read_text(encoding="utf-8").splitlines()
    secret = [
        json.dumps(
            {
                "id": f"h{i}",
                "title": "쿼즈블릭 출시",
                "text": "쿼즈블릭 쿼즈블릭",
                "labels": ["ai"],
                "split": "held-out",
            },
            ensure_ascii=False,
        )
        for i in range(5)
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(lines + secret) + "\n", encoding="utf-8")
    from feedbot.curate.train import read_corpus, train

    stories, skipped = read_corpus([(str(corpus), corpus.read_text().splitlines())])
    assert skipped == 5 and len(stories) == len(lines)
    trained = train(stories, compile_topics(SPECS), [corpus.name], skipped)
    model = parse_model(trained.data, "t")
    assert not any("쿼즈" in g or "블릭" in g for g in model.grams)


def test_train_names_the_corrupt_corpus_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "bad.jsonl"
    good = json.dumps({"title": "t", "text": "x", "labels": []})
    corpus.write_text(f"{good}\n\n{{not json\n", encoding="utf-8")
    out = tmp_path / "m.json"
    assert main(["train", "--corpus", str(corpus), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"{corpus} line 3: not JSON" in err and err.count("\n") == 0
    assert not out.exists()
    corpus.write_text(json.dumps({"title": "t", "text": "x"}) + "\n", encoding="utf-8")
    assert main(["train", "--corpus", str(corpus), "--out", str(out)]) == 2
    assert 'line 1: needs "labels"' in capsys.readouterr().err


@pytest.mark.slow
def test_run_never_imports_scikit_learn(replica: ReplicaServer, tmp_path: Path) -> None:
    """`feedbot run` in a fresh interpreter labels with the model and leaves sklearn unloaded."""
    config = replica_config(replica, tmp_path)
    config_file = write_config(config, tmp_path / "config.toml")
    code = (
        "import sys\nfrom feedbot.cli import main\n"
        f"rc = main(['-q', 'run', '--once', '--config', {str(config_file)!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', "
        "'numpy') or m == 'feedbot.curate.train')\n"
        "print(rc, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stdout + result.stderr
    with Store(config.store.path) as store:
        assert any(
            line.startswith("model: ")
            for s in store.latest(1000)
            for why in s.topics.why.values()
            for line in why
        )


def test_check_names_the_model_and_refuses_a_bad_one(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    from feedbot.ops.runner import check_site

    config = replica_config(replica, tmp_path)
    assert f"model: {SHIPPED_MODEL}, " in "\n".join(check_site(config).lines)
    off = replace(config, curate=CurateConfig(model=None))
    assert "model: off" in "\n".join(check_site(off).lines)
    (tmp_path / "m.json").write_bytes(toy_model()[:-10])
    with pytest.raises(ConfigError, match="truncated"):
        check_site(replace(config, curate=CurateConfig(model=tmp_path / "m.json")))
