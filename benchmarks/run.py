"""feedbot benchmarks: each result is printed as a ratio to its target, measured in this run.

    python -m benchmarks.run [NAME ...]

Not part of the tests (they never pass or fail on speed). Results are appended to
benchmarks/results/history.jsonl with the machine they ran on.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "history.jsonl"


@dataclass(frozen=True)
class Result:
    name: str
    measured: float
    unit: str
    target: float
    detail: str = ""

    @property
    def ratio(self) -> float:
        """measured ÷ target: at most 1.0 meets the target."""
        return self.measured / self.target if self.target else float("inf")


def bench_classifier() -> list[Result]:
    """10,000 dev-set stories (repeated) through all three topics, one core."""
    from feedbot.config import Config
    from feedbot.topics import classify, compile_topics

    rules = compile_topics(Config().topics)
    rows = [
        json.loads(line) for line in (ROOT / "tests/data/topics-dev.jsonl").open(encoding="utf-8")
    ]
    items = [rows[i % len(rows)] for i in range(10_000)]
    start = time.process_time()
    for row in items:
        classify(rules, row["title"], row["text"])
    spent = time.process_time() - start
    rate = len(items) / spent
    return [
        Result("classify 10k articles", spent, "s CPU", 10.0, f"{rate:,.0f} articles/s"),
    ]


BENCHMARKS: dict[str, Callable[[], list[Result]]] = {
    "classifier": bench_classifier,
}


def machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    print(f"machine: {machine()}")
    print(f"{'benchmark':<46}{'measured':>14}{'target':>12}{'ratio':>8}")
    results = []
    for name in names:
        for result in BENCHMARKS[name]():
            results.append(result)
            print(
                f"{result.name:<46}{result.measured:>10.3f} {result.unit:<4}"
                f"{result.target:>10g}  {result.ratio:>6.2f}  {result.detail}"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as history:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for result in results:
            history.write(
                json.dumps(
                    {
                        "at": stamp,
                        "machine": machine(),
                        **asdict(result),
                        "ratio": round(result.ratio, 4),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
