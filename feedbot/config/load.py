"""config.toml -> Config: read the file, map each table onto its section (renamed keys still
read, unknown keys refused), coerce each value to its default's type, resolve paths."""

from __future__ import annotations

import logging
import math
import tomllib
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from feedbot.config.checks import check_config
from feedbot.config.sections import DEFAULT_CONFIG_NAME, SECTIONS, Config, CurateConfig
from feedbot.curate.model import TopicModel, parse_model
from feedbot.curate.spec import parse_topics
from feedbot.errors import ConfigError

log = logging.getLogger(__name__)


def load_config(path: Path | None) -> Config:
    """Load `path`; with None, use ./config.toml when it exists, else the defaults."""
    if path is None:
        default = Path(DEFAULT_CONFIG_NAME)
        if not default.is_file():
            return resolve_paths(Config(), Path.cwd())
        path = default
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return resolve_paths(parse_config(raw), path.resolve().parent)


def parse_config(raw: dict[str, Any]) -> Config:
    """Check a parsed TOML table against the schema; paths stay as written."""
    sections: dict[str, Any] = {}
    for name, table in _renamed(raw).items():
        if name == "topics":
            sections["topics"] = parse_topics(table)
            continue
        if name == "curate":
            sections["curate"] = _parse_curate(table)
            continue
        cls = SECTIONS.get(name)
        if cls is None:
            raise ConfigError(f"unknown config section [{name}]")
        if not isinstance(table, dict):
            raise ConfigError(f"{name}: must be a table")
        sections[name] = _parse_section(name, cls, table)
    config = Config(**sections)
    check_config(config)
    return config


# old key -> new key, still read (with a warning) so that existing config files keep working
RENAMED = {
    "publish.websub_hub": "websub.hub",
    "publish.websub_timeout_s": "websub.timeout_s",
}


def _renamed(raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` with renamed keys moved to their new names; each old key found is logged once."""
    moved = {name: dict(table) if isinstance(table, dict) else table for name, table in raw.items()}
    for old, new in RENAMED.items():
        old_section, old_key = old.split(".")
        section = moved.get(old_section)
        if not isinstance(section, dict) or old_key not in section:
            continue
        new_section, new_key = new.split(".")
        target = moved.setdefault(new_section, {})
        if not isinstance(target, dict) or new_key in target:
            raise ConfigError(f"{old}: renamed to {new}; give only {new}")
        target[new_key] = section.pop(old_key)
        log.warning("config key %s is deprecated: call it %s", old, new)
        if not section:
            del moved[old_section]
    return moved


def _parse_curate(table: Any) -> CurateConfig:
    """`model = "path"` names a weight file, `model = ""` turns the model off."""
    if not isinstance(table, dict):
        raise ConfigError("curate: must be a table")
    for key in table:
        if key != "model":
            raise ConfigError(f"unknown config key curate.{key}")
    if "model" not in table:
        return CurateConfig()
    value = table["model"]
    if not isinstance(value, str):
        raise ConfigError(f'curate.model: expected a path string ("" = no model), got {value!r}')
    return CurateConfig(model=Path(value).expanduser() if value.strip() else None)


def load_model(config: Config) -> TopicModel | None:
    """The `[curate] model` weight file, read and checked (None when the model is off). Called
    once by each command that classifies, before anything is labelled: a missing, truncated
    or foreign file is a ConfigError naming it (exit 2)."""
    path = config.curate.model
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(
            f"curate.model: {path}: no such file (`feedbot train` writes one)"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"curate.model: {path}: cannot read: {exc.strerror or exc}") from exc
    return parse_model(data, str(path))


def resolve_paths(config: Config, root: Path) -> Config:
    def resolve(p: Path) -> Path:
        return p if p.is_absolute() else root / p

    model = config.curate.model
    return replace(
        config,
        store=replace(config.store, path=resolve(config.store.path)),
        output=replace(
            config.output,
            dir=resolve(config.output.dir),
            status_path=resolve(config.output.status_path) if config.output.status_path else None,
        ),
        curate=replace(config.curate, model=resolve(model) if model is not None else None),
    )


def _parse_section(name: str, cls: type[Any], table: dict[str, Any]) -> Any:
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    defaults = cls()
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"unknown config key {name}.{key}")
        values[key] = _coerce(f"{name}.{key}", getattr(defaults, key), value)
    return cls(**values)


def _coerce(key: str, default: Any, value: Any) -> Any:
    """Convert `value` to the type of the key's default, or fail naming the key."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{key}: expected true or false, got {value!r}")
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{key}: expected an integer, got {value!r}")
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise ConfigError(f"{key}: expected a finite number, got {value!r}")
            return float(value)
        raise ConfigError(f"{key}: expected a number, got {value!r}")
    if isinstance(default, str):
        if isinstance(value, str):
            return value
        raise ConfigError(f"{key}: expected a string, got {value!r}")
    if isinstance(default, Path):
        if isinstance(value, str) and value.strip():
            return _path(key, value)
        raise ConfigError(f"{key}: expected a path string, got {value!r}")
    if default is None:  # an optional path (output.status_path): "" keeps the default place
        if isinstance(value, str):
            return Path(value).expanduser() if value.strip() else None
        raise ConfigError(f"{key}: expected a path string, got {value!r}")
    if isinstance(default, tuple):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value)
        raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
    raise AssertionError(f"no coercion for {key}")  # a schema bug, not user input


def _path(key: str, value: str) -> Path:
    """A path a file system can hold: no NUL, no control characters, no name over 255 bytes."""
    if any(not c.isprintable() for c in value):
        raise ConfigError(f"{key}: control characters in the path {value!r}")
    path = Path(value).expanduser()
    if any(len(part.encode("utf-8")) > 255 for part in path.parts):
        raise ConfigError(f"{key}: a name in {value!r} is longer than 255 bytes")
    return path
