"""Regenerate the saved replica pages in tests/data/pages (run from the repository root).

Each page's first line says where it came from. The *.expected.json files beside them are
written by hand from the replica's stories, not by this script.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from feedbot.replica import ReplicaServer

PAGES = {
    "list-page1": "/factpl",
    "list-page3": "/factpl?page=3",
    "seed-altman-2023": "/article/25163321",
    "ai-gpu-jsonld-two-authors": "/article/25401480",
    "crypto-upbit-updated": "/article/25401455",
    "crypto-stablecoin-2022-prefix": "/article/25401322",
    "crypto-bithumb-no-og": "/article/25401190",
    "ai-kanana-member-only": "/article/25401244",
    "sme-tips-box-two-authors": "/article/25401271",
    "ai-hyperclova-qa-related": "/article/25401377",
    "ai-openai-2022-ads-vod": "/article/25401031",
    "sme-loss-no-meta": "/article/25400556",
    "factpl-letter": "/article/25400582",
    "breaking-coinone": "/article/25400635",
    "notice-not-article": "/article/25400690",
}


def main() -> None:
    out = Path(__file__).parent / "pages"
    with ReplicaServer() as replica:
        for name, path in PAGES.items():
            html = httpx.get(replica.url + path).text
            comment = f"<!-- saved from the feedbot replica: {path} -->\n"
            (out / f"{name}.html").write_text(comment + html, encoding="utf-8")


if __name__ == "__main__":
    main()
