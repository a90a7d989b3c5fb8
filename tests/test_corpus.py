"""The real-news corpus file is what its batches build, and the build's search for two
paraphrases of one story finds exactly the pairs that comparing every pair would."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

TOPICS = Path(__file__).parent / "data" / "topics"
sys.path.insert(0, str(TOPICS))

import build_real  # noqa: E402


def test_the_corpus_file_is_what_its_batches_build() -> None:
    """A batch edited without a rebuild (or the file edited by hand) would train and evaluate
    on labels the batches no longer hold."""
    rows, _ = build_real.build()
    built = [json.dumps(row, ensure_ascii=False) for row in rows]
    assert built == (TOPICS.parent / "topics-real.jsonl").read_text(encoding="utf-8").splitlines()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.frozensets(st.sampled_from([f"g{i}" for i in range(12)]), min_size=1, max_size=9),
        max_size=25,
    )
)
def test_prefix_filtering_finds_every_similar_pair(shingles: list[frozenset[str]]) -> None:
    every = [
        (a, b)
        for a in range(len(shingles))
        for b in range(a + 1, len(shingles))
        if len(shingles[a] & shingles[b]) / len(shingles[a] | shingles[b]) >= build_real.SAME_STORY
    ]
    assert build_real.similar_pairs(shingles) == every
