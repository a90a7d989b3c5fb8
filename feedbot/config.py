"""Read config.toml once, check all of it, and return a frozen Config.

Every key has a working default, so a file holds only what it changes. Unknown keys are errors
(a typo must not pass silently) and every error names the key path, e.g. `fetch.min_interval_s`.
Relative paths are resolved against the config file's directory (the working directory when no
file is used).
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedbot import __version__
from feedbot.curate.spec import default_topics, parse_topics
from feedbot.errors import ConfigError
from feedbot.models import TopicSpec

DEFAULT_CONFIG_NAME = "config.toml"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    base_url: str = "https://www.joongang.co.kr"  # where pages are fetched from
    section_path: str = "/factpl"
    canonical_base: str = "https://www.joongang.co.kr"  # public article links in feeds
    max_pages: int = 3
    recheck_hours: float = 6.0  # re-check a known article (conditionally) after this long

    @property
    def section_url(self) -> str:
        return self.base_url.rstrip("/") + self.section_path


@dataclass(frozen=True, slots=True)
class FetchConfig:
    user_agent: str = f"feedbot/{__version__}"
    contact: str = "https://github.com/feedbot/feedbot"
    min_interval_s: float = 1.0
    jitter_s: float = 0.25
    timeout_s: float = 20.0
    connect_timeout_s: float = 5.0
    retries: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    robots_cache_hours: float = 24.0
    allowed_hosts: tuple[str, ...] = ("www.joongang.co.kr", "joongang.co.kr")

    @property
    def user_agent_header(self) -> str:
        return f"{self.user_agent} (+{self.contact})"


@dataclass(frozen=True, slots=True)
class StoreConfig:
    path: Path = Path("feedbot.db")


@dataclass(frozen=True, slots=True)
class ArchiveConfig:
    """The page archive (store/pages.py), not the output's RFC 5005 feed archives."""

    keep_days: float = 90.0  # raw article pages kept this long after last seen current; 0 = off


@dataclass(frozen=True, slots=True)
class OutputConfig:
    dir: Path = Path("feeds")
    base_url: str = "http://127.0.0.1:8000/"  # public URL of the output directory
    feed_size: int = 50
    tombstone_days: float = 30.0  # how long a deleted story's tombstone stays in the feeds


@dataclass(frozen=True, slots=True)
class WebSubConfig:
    hub: str = ""  # WebSub hub URL announced in the feeds and pinged after changes
    timeout_s: float = 5.0


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    interval_minutes: float = 30.0
    cron: tuple[str, ...] = ()  # crontab lines in Korea time; when given, used instead
    jitter_s: float = 60.0  # each run starts up to this many seconds late, at random
    misfire_grace_s: float = 600.0  # a run that could not start on time may still start this late
    shutdown_timeout_s: float = 60.0  # after SIGTERM, abandon the current run within this


@dataclass(frozen=True, slots=True)
class HealthConfig:
    canary_id: int = 0  # an article re-extracted and compared on a schedule; 0 = none
    canary_hours: float = 24.0
    baseline_runs: int = 10  # healthy runs the fill-rate baseline is averaged over
    min_fill_ratio: float = 0.5  # a field filled at under this share of its baseline = unhealthy
    max_extract_failures: float = 0.5  # share of fetched pages that may fail extraction


@dataclass(frozen=True, slots=True)
class Config:
    site: SiteConfig = SiteConfig()
    fetch: FetchConfig = FetchConfig()
    store: StoreConfig = StoreConfig()
    archive: ArchiveConfig = ArchiveConfig()
    output: OutputConfig = OutputConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    health: HealthConfig = HealthConfig()
    websub: WebSubConfig = WebSubConfig()
    topics: tuple[TopicSpec, ...] = field(default_factory=default_topics)

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Configured hosts plus the base URL's own host, which is always allowed."""
        host = urlsplit(self.site.base_url).hostname or ""
        return frozenset({*(h.lower() for h in self.fetch.allowed_hosts), host})


_SECTIONS: dict[str, type[Any]] = {
    "site": SiteConfig,
    "fetch": FetchConfig,
    "store": StoreConfig,
    "archive": ArchiveConfig,
    "output": OutputConfig,
    "schedule": ScheduleConfig,
    "health": HealthConfig,
    "websub": WebSubConfig,
}


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


def check_paths(config: Config) -> None:
    """Fail early, naming the key, when a configured path cannot be used."""
    store = config.store.path
    if store.exists() and not store.is_file():
        raise ConfigError(f"store.path: not a file: {store}")
    if not store.parent.is_dir():
        raise ConfigError(f"store.path: directory does not exist: {store.parent}")
    out = config.output.dir
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output.dir: not a directory: {out}")
    if store.resolve().is_relative_to(out.resolve()):
        # everything in the output directory is published: the stories, the run history and
        # the raw pages of the page archive would be too
        raise ConfigError(f"store.path: inside output.dir ({out}), which is published: {store}")


def parse_config(raw: dict[str, Any]) -> Config:
    """Check a parsed TOML table against the schema; paths stay as written."""
    sections: dict[str, Any] = {}
    for name, table in _renamed(raw).items():
        if name == "topics":
            sections["topics"] = parse_topics(table)
            continue
        cls = _SECTIONS.get(name)
        if cls is None:
            raise ConfigError(f"unknown config section [{name}]")
        if not isinstance(table, dict):
            raise ConfigError(f"{name}: must be a table")
        sections[name] = _parse_section(name, cls, table)
    config = Config(**sections)
    _check(config)
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


def resolve_paths(config: Config, root: Path) -> Config:
    def resolve(p: Path) -> Path:
        return p if p.is_absolute() else root / p

    return replace(
        config,
        store=replace(config.store, path=resolve(config.store.path)),
        output=replace(config.output, dir=resolve(config.output.dir)),
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
            return float(value)
        raise ConfigError(f"{key}: expected a number, got {value!r}")
    if isinstance(default, str):
        if isinstance(value, str):
            return value
        raise ConfigError(f"{key}: expected a string, got {value!r}")
    if isinstance(default, Path):
        if isinstance(value, str) and value.strip():
            return Path(value).expanduser()
        raise ConfigError(f"{key}: expected a path string, got {value!r}")
    if isinstance(default, tuple):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value)
        raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
    raise AssertionError(f"no coercion for {key}")  # a schema bug, not user input


def _check_url(key: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{key}: not an http(s) URL: {value!r}")


def _check(config: Config) -> None:
    _check_url("site.base_url", config.site.base_url)
    _check_url("site.canonical_base", config.site.canonical_base)
    _check_url("fetch.contact", config.fetch.contact)
    _check_url("output.base_url", config.output.base_url)
    if config.websub.hub:
        _check_url("websub.hub", config.websub.hub)
    if not config.site.section_path.startswith("/"):
        raise ConfigError(f"site.section_path: must start with '/': {config.site.section_path!r}")
    if not config.output.base_url.endswith("/"):
        raise ConfigError("output.base_url: must end with '/' (it names a directory)")
    positive: dict[str, float] = {
        "site.max_pages": config.site.max_pages,
        "fetch.timeout_s": config.fetch.timeout_s,
        "fetch.connect_timeout_s": config.fetch.connect_timeout_s,
        "fetch.max_bytes": config.fetch.max_bytes,
        "output.feed_size": config.output.feed_size,
        "schedule.interval_minutes": config.schedule.interval_minutes,
        "schedule.shutdown_timeout_s": config.schedule.shutdown_timeout_s,
        "health.canary_hours": config.health.canary_hours,
        "health.baseline_runs": config.health.baseline_runs,
        "websub.timeout_s": config.websub.timeout_s,
    }
    non_negative: dict[str, float] = {
        "site.recheck_hours": config.site.recheck_hours,
        "fetch.min_interval_s": config.fetch.min_interval_s,
        "fetch.jitter_s": config.fetch.jitter_s,
        "fetch.retries": config.fetch.retries,
        "fetch.backoff_s": config.fetch.backoff_s,
        "fetch.max_retry_after_s": config.fetch.max_retry_after_s,
        "fetch.max_redirects": config.fetch.max_redirects,
        "fetch.robots_cache_hours": config.fetch.robots_cache_hours,
        "schedule.jitter_s": config.schedule.jitter_s,
        "schedule.misfire_grace_s": config.schedule.misfire_grace_s,
        "health.canary_id": config.health.canary_id,
        "output.tombstone_days": config.output.tombstone_days,
        "archive.keep_days": config.archive.keep_days,
        "health.min_fill_ratio": config.health.min_fill_ratio,
        "health.max_extract_failures": config.health.max_extract_failures,
    }
    for key, number in positive.items():
        if number <= 0:
            raise ConfigError(f"{key}: must be greater than 0, got {number}")
    for key, number in non_negative.items():
        if number < 0:
            raise ConfigError(f"{key}: must not be negative, got {number}")
    if not config.fetch.user_agent.strip():
        raise ConfigError("fetch.user_agent: must not be empty")
