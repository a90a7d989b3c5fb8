"""Config: defaults, strict keys, typed values, one-line errors naming the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from feedbot.cli import main
from feedbot.config import LIMITS, Config, check_paths, load_config, parse_config
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
        ({"fetch": {"min_interval_s": -1}}, "fetch.min_interval_s: must be 0 or more"),
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
    """A missing store directory is created with the output directory; a file in its place
    is an error naming the key."""
    (tmp_path / "missing").write_text("a file, not a directory", encoding="utf-8")
    (tmp_path / "c.toml").write_text(
        '[store]\npath = "missing/x.db"\n[output]\ndir = "out"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"store\.path: not a directory"):
        check_paths(load_config(tmp_path / "c.toml"), tmp_path / "c.toml")


def test_cli_bad_config_gives_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.toml").write_text("[fetch]\nmin_interval_s = -3\n", encoding="utf-8")
    assert main(["run", "--once", "--config", str(tmp_path / "c.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "feedbot: error: fetch.min_interval_s: must be 0 or more and at most 3600, got -3.0"
    ]


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


NUMBERS = [  # every numeric key, with a value out of its range or not a number at all
    (key, bad)
    for key in LIMITS
    for bad in (float("nan"), float("inf"), float("-inf"), 1e300, -1e300, 10**30, -1)
]


@pytest.mark.parametrize(("key", "bad"), NUMBERS)
def test_every_number_must_be_finite_and_in_range(key: str, bad: float) -> None:
    """nan passes every `<` test and 1e300 seconds overflows a timedelta: both are refused,
    naming the key, for every numeric setting (integers take no floats at all)."""
    section, name = key.split(".")
    default = getattr(getattr(Config(), section), name)
    if isinstance(default, int) and isinstance(bad, float):
        bad = int(bad) if abs(bad) < float("inf") and bad == bad else bad
    with pytest.raises(ConfigError, match=rf"^{re.escape(key)}: "):
        parse_config({section: {name: bad}})


def test_negative_zero_is_zero_and_limits_are_inclusive() -> None:
    config = parse_config({"fetch": {"min_interval_s": -0.0, "max_redirects": 20}})
    assert config.fetch.min_interval_s == 0 and config.fetch.max_redirects == 20


def test_toml_nan_and_inf_are_refused(tmp_path: Path) -> None:
    """TOML itself can spell them; they fail at load with one line naming the key."""
    for value in ("nan", "inf", "-inf", "+nan"):
        (tmp_path / "c.toml").write_text(f"[fetch]\nmin_interval_s = {value}\n", "utf-8")
        with pytest.raises(ConfigError, match=r"fetch\.min_interval_s: expected a finite number"):
            load_config(tmp_path / "c.toml")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"site": {"base_url": "https://user:secret@x.org"}}, "site.base_url: must not carry"),
        ({"output": {"base_url": "https://u@x.org/"}}, "output.base_url: must not carry"),
        ({"websub": {"hub": "https://a:b@hub.org/"}}, "websub.hub: must not carry"),
        ({"site": {"base_url": "https://x.org:99999"}}, "site.base_url: bad port"),
        ({"fetch": {"allowed_hosts": ["x.org:notaport"]}}, r"fetch.allowed_hosts\[0\]: bad port"),
        ({"schedule": {"cron": ["0 9 * * 1-5"]}}, r"schedule.cron\[0\]: weekday '1-5' is a number"),
        ({"schedule": {"cron": ["0 9 * *"]}}, r"schedule.cron\[0\]: expected 5 fields"),
        (
            {"topics": {"all": {"title": "x", "threshold": 1, "terms": {"a": 1}}}},
            "topics.all: reserved",
        ),
        ({"topics": {"status": {"title": "x", "threshold": 1, "terms": {"a": 1}}}}, "reserved"),
        ({"topics": {"index": {"title": "x", "threshold": 1, "terms": {"a": 1}}}}, "reserved"),
        ({"topics": {"ai": {"threshold": float("nan")}}}, "topics.ai.threshold"),
        ({"topics": {"ai": {"threshold": 1e300}}}, "topics.ai.threshold"),
        ({"topics": {"ai": {"terms": {"AI": float("inf")}}}}, "topics.ai.terms.AI"),
    ],
)
def test_dangerous_values_are_refused(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(raw)


def test_cron_weekday_names_are_fine() -> None:
    assert parse_config({"schedule": {"cron": ["0 9 * * mon-fri"]}}).schedule.cron


@pytest.mark.parametrize(
    ("out", "store", "message"),
    [
        ("/", "s/x.db", "output.dir: / is"),
        (".", "s/x.db", "output.dir: .* one of its parents"),
        ("..", "s/x.db", "output.dir: .* one of its parents"),
        ("out", "out/x.db", "store.path: .* inside output.dir"),
        ("out", "out/deep/x.db", "store.path: .* inside output.dir"),
    ],
)
def test_dangerous_paths_are_refused(tmp_path: Path, out: str, store: str, message: str) -> None:
    """The output directory is published whole and written into: never the root, the config
    directory or a parent of it, never a place that holds the store."""
    home = tmp_path / "home" / "feedbot"
    home.mkdir(parents=True)
    (home / "c.toml").write_text(
        f'[output]\ndir = "{out}"\n[store]\npath = "{store}"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=message):
        check_paths(load_config(home / "c.toml"), home / "c.toml")


def test_cli_refuses_a_dangerous_output_dir_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.toml").write_text('[output]\ndir = ".."\n', encoding="utf-8")
    assert main(["run", "--once", "--config", str(tmp_path / "c.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "output.dir" in err[0]
    assert not (tmp_path / "feedbot.db").exists()
