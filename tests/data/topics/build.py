"""Build tests/data/topics-dev.jsonl from the batch files (run from this folder).

Items are written by us in our own words; `id` parity makes the tune/held-out split
(even ids: tuning half, odd ids: held out)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from extra2 import EXTRA2

HERE = Path(__file__).parent
SEED_URL = "https://www.joongang.co.kr/factpl"


def load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, HERE / f"batch_{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main() -> None:
    rows = []
    number = 0
    for batch in ("ai", "crypto", "sme", "neg"):
        module = load(batch)
        assert len(module.ITEMS) == len(module.EXTRA), batch
        for (labels, title, text, note), extra in zip(module.ITEMS, module.EXTRA, strict=True):
            number += 1
            lead = " ".join(part for part in (text, extra, EXTRA2.get(title, "")) if part)
            size = len(title) + len(lead)
            assert 150 <= size <= 400, (title, size)
            rows.append(
                {
                    "id": f"dev-{number:03d}",
                    "title": title,
                    "text": lead,
                    "labels": sorted(labels),
                    "note": note,
                }
            )
    out = HERE.parent / "topics-dev.jsonl"
    out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(f"{len(rows)} items, {sum(1 for r in rows if not r['labels'])} negatives -> {out}")


if __name__ == "__main__":
    main()
