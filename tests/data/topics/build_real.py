"""Build tests/data/topics-real.jsonl from the batches in real/ (run from this folder).

Each batch holds paraphrased real news (RULES.md). The split is by event: items of one event,
and items that are the same story under two slugs (the same URL, or texts that share most of
their character 5-grams, as when two collectors found one event), form one group, and a group
is held out when the first byte of sha256 of its smallest event slug is odd. Batches came in
waves (`wave`); a group decides by the slugs of its earliest wave only, so that a story added
later joins the side its event is already on and never moves an earlier story across. Nothing
is tuned on the held-out part; `feedbot classify --eval` reports both parts."""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path

HERE = Path(__file__).parent
SAME_STORY = 0.35  # Jaccard of character 5-grams: paraphrases of one lead share far more
_WAVE = re.compile(r"(\d+)[a-z]?$")


def wave(batch: str) -> int:
    """The wave a batch was collected in, from its name: `tech9a` is wave 9, a name with no
    number wave 1 (wave 2 was told to avoid wave 1's events). Derived, so a new batch cannot be
    left out of a list and silently join another wave."""
    match = _WAVE.search(batch)
    return int(match.group(1)) if match else 1


def grams(text: str) -> frozenset[str]:
    flat = re.sub(r"\s+", "", text)
    return frozenset(flat[i : i + 5] for i in range(len(flat) - 4))


def similar_pairs(shingles: list[frozenset[str]]) -> list[tuple[int, int]]:
    """Every pair (a < b) whose Jaccard similarity is at least SAME_STORY, without comparing all
    pairs (prefix filtering): with the grams of each set ordered rarest first, two sets that
    share at least t·|A| grams must share one of the first |A| - ⌈t·|A|⌉ + 1 of A's and of B's,
    so only pairs meeting in those prefixes are measured. Exact: the same pairs as comparing
    all of them, in a fraction of the time."""
    frequency: dict[str, int] = {}
    for shingle in shingles:
        for gram in shingle:
            frequency[gram] = frequency.get(gram, 0) + 1
    candidates: set[tuple[int, int]] = set()
    seen: dict[str, list[int]] = {}
    for b, shingle in enumerate(shingles):
        ordered = sorted(shingle, key=lambda g: (frequency[g], g))
        prefix = len(ordered) - math.ceil(SAME_STORY * len(ordered)) + 1
        for gram in ordered[:prefix]:
            for a in seen.setdefault(gram, []):
                candidates.add((a, b))
            seen[gram].append(b)
    pairs = []
    for a, b in sorted(candidates):
        union_size = len(shingles[a] | shingles[b])
        if union_size and len(shingles[a] & shingles[b]) / union_size >= SAME_STORY:
            pairs.append((a, b))
    return pairs


def build() -> tuple[list[dict[str, object]], int]:
    """The rows of topics-real.jsonl, sorted by id, and the number of event groups."""
    items = []
    for path in sorted((HERE / "real").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                item = json.loads(line)
                assert 150 <= len(item["title"]) + len(item["text"]) <= 400, (path, number)
                assert set(item["labels"]) <= {"ai", "crypto", "sme"}, (path, number)
                item["_wave"] = wave(path.stem)
                items.append(item)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "duplicate ids"
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        for key in (f"event:{item['event']}", f"url:{item['url']}"):
            if key in seen:
                union(index, seen[key])
            seen[key] = index
    shingles = [grams(item["title"] + item["text"]) for item in items]
    for a, b in similar_pairs(shingles):
        union(a, b)
    groups: dict[int, list[int]] = {}
    for index in range(len(items)):
        groups.setdefault(find(index), []).append(index)
    rows = []
    for members in groups.values():
        earliest = min(items[i]["_wave"] for i in members)
        event = min(items[i]["event"] for i in members if items[i]["_wave"] == earliest)
        held_out = hashlib.sha256(event.encode()).digest()[0] % 2 == 1
        for i in members:
            item = {k: v for k, v in items[i].items() if k != "_wave"}
            rows.append({**item, "split": "held-out" if held_out else "tuning", "group": event})
    rows.sort(key=lambda r: str(r["id"]))
    return rows, len(groups)


def main() -> None:
    rows, groups = build()
    out = HERE.parent / "topics-real.jsonl"
    # the promise above, checked: a story already in the file keeps its side (a batch named as
    # an earlier wave would pull an event of a later wave across)
    if out.exists():
        before = {(r := json.loads(line))["id"]: r["split"] for line in out.open(encoding="utf-8")}
        moved = sorted(r["id"] for r in rows if before.get(r["id"], r["split"]) != r["split"])
        assert not moved, f"stories would change sides: {moved[:10]} (was a batch renamed?)"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    held = sum(r["split"] == "held-out" for r in rows)
    print(f"{len(rows)} items in {groups} event groups: {len(rows) - held} tuning, {held} held out")


if __name__ == "__main__":
    main()
