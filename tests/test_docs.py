"""The README documents every command, option group and config key, and its two commands."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from feedbot.cli import build_parser
from feedbot.config import Config

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"`feedbot {name}" in README, name


def test_every_config_key_is_in_the_readme() -> None:
    for section in fields(Config):
        if section.name == "topics":
            continue  # a table of tables, checked below
        for key in fields(getattr(Config(), section.name)):
            assert f"`{section.name}.{key.name}`" in README, f"{section.name}.{key.name}"


def test_readme_has_the_two_commands_ci_runs() -> None:
    for marker, must in (
        ("<!-- demo-command -->", "feedbot demo"),
        ("<!-- test-command -->", "pytest"),
    ):
        after = README.split(marker, 1)[1].splitlines()
        assert after[1] == "```sh" and must in after[2]
    assert "test-command" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_exit_code_is_documented() -> None:
    for code in range(5):
        assert f"| {code} |" in README


def test_topic_keys_are_in_the_readme() -> None:
    from feedbot.curate.spec import TOPIC_KEYS

    assert len(TOPIC_KEYS) >= 8
    for key in sorted(TOPIC_KEYS):
        assert f"`topics.<id>.{key}`" in README, key


def test_security_md_names_only_tests_that_exist() -> None:
    """Every `tests/x.py::name` (and `::name` after it) in SECURITY.md is a real test."""
    import re

    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    current = None
    names = 0
    for match in re.finditer(r"`(tests/[\w/]+\.py)?(::\w+)?`", text):
        path, name = match.groups()
        if path:
            current = ROOT / path
            assert current.is_file(), path
        if name:
            assert current is not None
            assert f"def {name[2:]}(" in current.read_text(encoding="utf-8"), (current, name)
            names += 1
    assert names >= 30
