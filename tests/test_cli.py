"""The command line: help texts, exit codes, the inspection commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from feedbot.cli import build_parser, main

PAGES = Path(__file__).parent / "data" / "pages"
COMMANDS = [
    "run",
    "daemon",
    "backfill",
    "reextract",
    "check",
    "status",
    "demo",
    "replica",
    "serve",
    "classify",
    "explain",
    "train",
    "label",
    "doctor",
    "extract",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_exit_codes(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: feedbot " + command in out and "exit codes:" in out and "3  another run" in out


def test_parser_knows_exactly_the_documented_commands() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)  # type: ignore[arg-type]


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_extract_article_prints_json_with_rfc3339_times(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "article", str(PAGES / "ai-gpu-jsonld-two-authors.html")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == 25401480
    assert data["published"] == "2026-11-24T18:30:00+09:00"
    assert data["provenance"]["published"] == "jsonld"
    assert data["body_html"].startswith("<figure>") and data["body_text"]


def test_extract_article_needs_a_url_when_the_page_names_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><h1 class='headline'>t</h1><div id='article_body'><p>x</p></div></html>")
    assert main(["extract", "article", str(page)]) == 2
    assert "pass --url" in capsys.readouterr().err
    assert main(["extract", "article", str(page), "--url", "https://x/article/25400001"]) == 0


def test_extract_list_prints_cards(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "list", str(PAGES / "list-page1.html")]) == 0
    cards = json.loads(capsys.readouterr().out)
    assert len(cards) == 16 and cards[0]["id"] == 25401480
    assert cards[0]["date"] == "2026-11-24T18:30:00+09:00"


def test_extract_of_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "list", "/nonexistent/page.html"]) == 2
    assert capsys.readouterr().err.strip().startswith("feedbot: error: cannot read")


def test_python_m_feedbot_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "feedbot", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("feedbot ")
