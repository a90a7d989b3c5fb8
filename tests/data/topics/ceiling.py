"""How far the shipped design could go (README, "A different reader"): the learned second
opinion is asked only about a topic the rules saw evidence for (score > 0), so a perfect model
would get every such story right and miss only the positives with no evidence. Prints, for
the tuning and the held-out part, that ceiling beside the rules alone, and how many positives
of each topic the rules saw no evidence for. Only measures: nothing here is tuned.

    .venv/bin/python tests/data/topics/ceiling.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from feedbot.config import Config  # noqa: E402
from feedbot.curate.classifier import classify, compile_topics  # noqa: E402
from feedbot.curate.evaluation import evaluate  # noqa: E402


def main() -> None:
    rules = compile_topics(Config().topics)
    topics = [rule.id for rule in rules]
    parts: dict[str, list[dict[str, object]]] = {}
    for line in (ROOT / "tests/data/topics-real.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        parts.setdefault(row["split"], []).append(row)
    for split, rows in sorted(parts.items(), key=lambda item: item[0] != "tuning"):
        ceiling, alone = [], []
        unseen: Counter[str] = Counter()
        for row in rows:
            result = classify(rules, str(row["title"]), str(row["text"]))
            gold = frozenset(row["labels"])  # type: ignore[arg-type]
            unseen.update(t for t in gold if result.scores[t] <= 0)
            seen = frozenset(t for t in gold if result.scores[t] > 0)
            ceiling.append((str(row["id"]), gold, seen))
            alone.append((str(row["id"]), gold, frozenset(result.labels)))
        best, rules_only = evaluate(topics, ceiling), evaluate(topics, alone)
        recall = ", ".join(f"{t.topic} {t.recall:.3f}" for t in best.topics)
        missed = ", ".join(f"{t} {unseen[t]}" for t in topics)
        print(
            f"{split} ({len(rows)}): a perfect second opinion {best.macro_f1:.3f} "
            f"(recall {recall}; positives without evidence: {missed}); "
            f"rules alone {rules_only.macro_f1:.3f}"
        )


if __name__ == "__main__":
    main()
