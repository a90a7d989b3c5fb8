"""Near-duplicate stories: the same text re-published under a new id, or a near-identical
follow-up. Pure: Jaccard similarity of character 5-gram sets of the body text, computed exactly
for the pairs a MinHash LSH index proposes (so a month archive of thousands of stories is not
compared pair by pair: 15,000 stories take about 5 s, against minutes). The threshold was set on pairs in tests/test_history.py: re-published copies with small
edits score about 0.7 on the replica's short stories, while different stories (the same
ministry, the same company) stay under 0.06. A copy cut to a fraction of the text is not "near
identical" by this measure and stays.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

SHINGLE = 5
THRESHOLD = 0.5
BANDS, ROWS = 8, 2
_SALTS = [zlib.crc32(f"feedbot-{i}".encode()) for i in range(BANDS * ROWS)]
_SPACE = re.compile(r"\s+")


def shingles(text: str) -> frozenset[str]:
    flat = _SPACE.sub(" ", text).strip()
    if len(flat) <= SHINGLE:
        return frozenset({flat}) if flat else frozenset()
    return frozenset(flat[i : i + SHINGLE] for i in range(len(flat) - SHINGLE + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def sketch(grams: frozenset[str]) -> list[tuple[int, int, int]]:
    """MinHash LSH keys: BANDS bands of ROWS minimum hashes each. Two texts with Jaccard
    similarity J agree on a band with probability J^ROWS, so near-duplicates (J >= 0.5) share
    a key with probability 1 - (1 - J^2)^8 >= 0.9 (0.99 at J = 0.7), while texts that only
    share common phrases rarely do."""
    if not grams:
        return []
    bases = [zlib.crc32(g.encode("utf-8")) for g in grams]
    minima = [min(((h ^ salt) * 0x9E3779B1) & 0xFFFFFFFF for h in bases) for salt in _SALTS]
    return [(band, *minima[band * ROWS : (band + 1) * ROWS]) for band in range(BANDS)]  # type: ignore[misc]


def duplicates(items: Sequence[tuple[int, frozenset[str]]]) -> dict[int, int]:
    """Map each duplicate's id to the id it duplicates. `items` come oldest first; the first of
    a group is the one kept. Only stories sharing a sketch value are compared exactly, so a
    month archive of thousands of stories costs about linear time, not quadratic."""
    kept: dict[int, frozenset[str]] = {}
    index: dict[tuple[int, int, int], list[int]] = {}
    found: dict[int, int] = {}
    for item_id, grams in items:
        values = sketch(grams)
        candidates = dict.fromkeys(k for v in values for k in index.get(v, ()))
        original = next((k for k in candidates if similarity(kept[k], grams) >= THRESHOLD), None)
        if original is not None:
            found[item_id] = original
            continue
        kept[item_id] = grams
        for value in values:
            index.setdefault(value, []).append(item_id)
    return found
