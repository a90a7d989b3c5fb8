"""How far the held-out macro-F1 could move by chance (README, wave 22): the held-out stories
are resampled by event group, with replacement, and the shipped classifier (rules + model) and
the rules alone are scored on each draw; prints the full-sample scores and the 95 % intervals
of both and of the model's gain. Only measures: nothing here is tuned.

    .venv/bin/python tests/data/topics/bootstrap.py [DRAWS]
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from feedbot.config import Config, load_model  # noqa: E402
from feedbot.curate.classifier import classify, compile_topics  # noqa: E402
from feedbot.curate.evaluation import evaluate  # noqa: E402

SEED = 2026
# a story as (id, gold labels, labels with the model, labels of the rules alone)
Labelled = tuple[str, frozenset[str], frozenset[str], frozenset[str]]


def macro_f1(items: list[Labelled], which: int, topics: list[str]) -> float:
    return evaluate(topics, ((item[0], item[1], item[which]) for item in items)).macro_f1


def main() -> None:
    draws = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    config = Config()
    shipped = compile_topics(config.topics, load_model(config))
    alone = compile_topics(config.topics)
    topics = [rule.id for rule in alone]
    groups: dict[str, list[Labelled]] = {}
    for line in (ROOT / "tests/data/topics-real.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["split"] == "tuning":
            continue
        groups.setdefault(row.get("group") or row["event"], []).append(
            (
                row["id"],
                frozenset(row["labels"]),
                frozenset(classify(shipped, row["title"], row["text"]).labels),
                frozenset(classify(alone, row["title"], row["text"]).labels),
            )
        )
    keys = sorted(groups)
    every = [item for key in keys for item in groups[key]]
    print(
        f"{len(every)} held-out stories in {len(keys)} groups: rules + model "
        f"{macro_f1(every, 2, topics):.3f}, rules alone {macro_f1(every, 3, topics):.3f}"
    )
    rng = random.Random(SEED)
    model, rules, gain = [], [], []
    for _ in range(draws):
        sample = [item for key in rng.choices(keys, k=len(keys)) for item in groups[key]]
        with_model, without = macro_f1(sample, 2, topics), macro_f1(sample, 3, topics)
        model.append(with_model)
        rules.append(without)
        gain.append(with_model - without)
    low, high = int(0.025 * draws), int(0.975 * draws)
    for name, values in (("rules + model", model), ("rules alone", rules), ("gain", gain)):
        values.sort()
        print(f"{name}: 95 % of {draws} draws within {values[low]:.3f} … {values[high]:.3f}")


if __name__ == "__main__":
    main()
