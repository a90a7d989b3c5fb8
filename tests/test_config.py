"""Config: defaults, strict keys, typed values, one-line errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedbot.cli import main
from feedbot.config import Config, check_paths, load_config, parse_config
from feedbot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_config_is_valid_and_matches_defaults() -> None:
    """config.toml documents every key with its default value."""
    loaded = load_config(ROOT / "config.toml")
    default = Config()
    assert loaded.site == default.site and loaded.fetch == default.fetch
    assert loaded.output.base_url == default.output.base_url
    assert loaded.store.path == ROOT / "feedbot.db"


def test_shipped_config_mentions_every_key() -> None:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for section in ("site", "fetch", "store", "output", "websub", "schedule", "health"):
        for key in getattr(Config(), section).__dataclass_fields__:
            assert f"\n{key} = " in text, f"{section}.{key} undocumented"


def test_partial_file_keeps_other_defaults() -> None:
    config = parse_config({"fetch": {"min_interval_s": 2}})
    assert config.fetch.min_interval_s == 2.0
    assert config.fetch.timeout_s == Config().fetch.timeout_s
    assert config.site == Config().site


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"fetch": {"min_interval": 1}}, "unknown config key fetch.min_interval"),
        ({"fecth": {}}, r"unknown config section \[fecth\]"),
        ({"fetch": {"min_interval_s": -1}}, "fetch.min_interval_s: must not be negative"),
        ({"fetch": {"timeout_s": "fast"}}, "fetch.timeout_s: expected a number"),
        ({"site": {"max_pages": 2.5}}, "site.max_pages: expected an integer"),
        ({"site": {"max_pages": True}}, "site.max_pages: expected an integer"),
        ({"site": {"base_url": "joongang.co.kr"}}, "site.base_url: not an http"),
        ({"fetch": {"allowed_hosts": "a.com"}}, "fetch.allowed_hosts: expected a list"),
        ({"output": {"base_url": "https://x.org/feeds"}}, "output.base_url: must end with '/'"),
        ({"site": "x"}, "site: must be a table"),
    ],
)
def test_bad_values_name_the_key(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(raw)


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text('[store]\npath = "state/x.db"\n', encoding="utf-8")
    assert load_config(tmp_path / "c.toml").store.path == tmp_path / "state" / "x.db"


def test_unusable_store_directory_is_reported(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text('[store]\npath = "missing/x.db"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"store\.path: directory does not exist"):
        check_paths(load_config(tmp_path / "c.toml"))


def test_cli_bad_config_gives_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.toml").write_text("[fetch]\nmin_interval_s = -3\n", encoding="utf-8")
    assert main(["run", "--once", "--config", str(tmp_path / "c.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["feedbot: error: fetch.min_interval_s: must not be negative, got -3.0"]


def test_cli_missing_named_config_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--once", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_invalid_toml_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "c.toml").write_text("[fetch\n", encoding="utf-8")
    assert main(["run", "--config", str(tmp_path / "c.toml")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_renamed_keys_still_work_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """`[publish] websub_hub` was renamed `[websub] hub`: old files keep working, and say so."""
    config = parse_config(
        {"publish": {"websub_hub": "https://hub.example/", "websub_timeout_s": 2}}
    )
    assert config.websub.hub == "https://hub.example/" and config.websub.timeout_s == 2.0
    assert "publish.websub_hub is deprecated: call it websub.hub" in caplog.text
    with pytest.raises(ConfigError, match=r"publish\.websub_hub: renamed to websub\.hub"):
        parse_config({"publish": {"websub_hub": "https://a/"}, "websub": {"hub": "https://b/"}})
    with pytest.raises(ConfigError, match=r"unknown config section \[publish\]"):
        parse_config({"publish": {"other": 1}})
