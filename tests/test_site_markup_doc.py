"""The site's markup reference lives in the repository (docs/site-markup.md): every code comment
that cites it names one of its sections, and nothing in the repository points outside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "site-markup.md"


def tracked() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / n for n in names if (ROOT / n).is_file()]


def test_citations_of_the_markup_doc_name_its_sections() -> None:
    headings = {
        line.lstrip("#").strip().lower()
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }
    cited = 0
    for path in [*(ROOT / "feedbot").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for section in re.findall(r'docs/site-markup\.md, "([^"]+)"', text):
            assert section.lower() in headings, (path, section)
            cited += 1
    assert cited >= 4


def test_nothing_refers_to_a_file_outside_the_repository() -> None:
    outside = re.compile(r"\.\./shared|joongang-site\.md|/work/shared")
    for path in tracked():
        if path.suffix in {".png", ".db"} or path == Path(__file__):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        assert not outside.search(text), path
