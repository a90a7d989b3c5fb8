"""Read config.toml once, check all of it, and return a frozen Config.

Every key has a working default, so a file holds only what it changes. Unknown keys are errors
(a typo must not pass silently) and every error names the key path, e.g. `fetch.min_interval_s`.
Relative paths are resolved against the config file's directory (the working directory when no
file is used).
"""

from __future__ import annotations

import logging
import math
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedbot import __version__
from feedbot.curate.model import SHIPPED_MODEL, TopicModel, parse_model
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
    max_articles: int = 200  # article requests one run may make; the rest wait for the next
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
    deadline_s: float = 60.0  # a whole request (connect, headers, body) ends after this long
    retries: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    max_crawl_delay_s: float = 60.0  # a longer robots.txt Crawl-delay is capped, with a warning
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
    # status.json; None ("" in the file): beside the store, out of the output directory, which
    # then changes only when news does (issue 15)
    status_path: Path | None = None


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
class CurateConfig:
    # the second-opinion model's weight file (`feedbot train` writes it); None = rules alone
    model: Path | None = SHIPPED_MODEL


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
    curate: CurateConfig = CurateConfig()
    topics: tuple[TopicSpec, ...] = field(default_factory=default_topics)

    @property
    def status_file(self) -> Path:
        """Where status.json is written: `output.status_path`, by default beside the store."""
        return self.output.status_path or self.store.path.parent / "status.json"

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Configured `host` / `host:port` entries plus the base URL's own host and port,
        which are always allowed."""
        own = urlsplit(self.site.base_url).netloc.rsplit("@", 1)[-1].lower()
        return frozenset({*(h.lower() for h in self.fetch.allowed_hosts), own})


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


def check_paths(config: Config, config_file: Path | None = None) -> None:
    """Fail early, naming the key, when a configured path cannot be used or is dangerous: the
    output directory is published as a whole, so it must not be `/`, the working or config
    directory or a parent of either, and it must not hold the store (which would be served)."""
    store = config.store.path
    if store.exists() and not store.is_file():
        raise ConfigError(f"store.path: not a file: {store}")
    if store.parent.exists() and not store.parent.is_dir():
        raise ConfigError(f"store.path: not a directory: {store.parent}")
    out = config.output.dir
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output.dir: not a directory: {out}")
    out_real = out.resolve()
    homes = {Path.cwd().resolve()}
    if config_file is not None:
        homes.add(config_file.resolve().parent)
    for home in sorted(homes):
        if home == out_real or home.is_relative_to(out_real):
            raise ConfigError(
                f"output.dir: {out} is {home} or one of its parents; feedbot writes index.html "
                "and the feeds there: give it a directory of its own"
            )
    if store.resolve().is_relative_to(out_real):
        raise ConfigError(
            f"store.path: {store} is inside output.dir ({out}), which is published as a whole"
        )
    status = config.status_file
    if status.exists() and not status.is_file():
        raise ConfigError(f"output.status_path: not a file: {status}")


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


_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$"
)
_SECTION_PATH = re.compile(r"^/[A-Za-z0-9/_.~%!$&'()*+,;=:@-]*$")


def _check_header_text(key: str, value: str) -> None:
    """Sent in an HTTP header: visible ASCII only (CR/LF would split the header)."""
    if not value.isascii() or not value.isprintable():
        raise ConfigError(f"{key}: only visible ASCII characters may go into an HTTP header")


def _check_url(key: str, value: str, *, query: bool = False) -> None:
    """An http(s) URL with a host: no spaces or control characters, no credentials, a valid
    port, and (unless `query`) no query or fragment, since paths are appended to it."""
    if any(c.isspace() or not c.isprintable() for c in value):
        raise ConfigError(f"{key}: spaces or control characters in {value!r}")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises for a port that is not a number or out of range)
    except ValueError as exc:
        raise ConfigError(f"{key}: bad host or port in {value!r}") from exc
    if not query and (parts.query or parts.fragment or value.endswith(("?", "#"))):
        raise ConfigError(f"{key}: must have no query or fragment: {value!r}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{key}: not an http(s) URL: {value!r}")
    if parts.username is not None or parts.password is not None:
        # refused rather than redacted: a URL is copied into logs, status.json and feeds
        raise ConfigError(f"{key}: must not carry a user name or password")


# key -> (lowest, highest, whether the lowest itself is allowed): sane ranges, so that a value
# that passes (a nan passes every `<` test; 1e300 seconds overflows a timedelta) never reaches
# the code as something it cannot use
LIMITS: dict[str, tuple[float, float, bool]] = {
    "site.max_pages": (1, 100, True),
    "site.max_articles": (1, 10_000, True),
    "site.recheck_hours": (0, 8760, True),
    "fetch.min_interval_s": (0, 3600, True),
    "fetch.jitter_s": (0, 3600, True),
    "fetch.timeout_s": (0, 600, False),
    "fetch.connect_timeout_s": (0, 600, False),
    "fetch.deadline_s": (0, 3600, False),
    "fetch.retries": (0, 10, True),
    "fetch.backoff_s": (0, 600, True),
    "fetch.max_retry_after_s": (0, 3600, True),
    "fetch.max_crawl_delay_s": (0, 3600, True),
    "fetch.max_bytes": (1000, 1_000_000_000, True),
    "fetch.max_redirects": (0, 20, True),
    "fetch.robots_cache_hours": (0, 8760, True),
    "output.feed_size": (1, 1000, True),
    "output.tombstone_days": (0, 3650, True),
    "archive.keep_days": (0, 3650, True),
    "websub.timeout_s": (0, 600, False),
    "schedule.interval_minutes": (0, 525_600, False),
    "schedule.jitter_s": (0, 86_400, True),
    "schedule.misfire_grace_s": (0, 86_400, True),
    "schedule.shutdown_timeout_s": (0, 3600, False),
    "health.canary_id": (0, 10**12, True),
    "health.canary_hours": (0, 8760, False),
    "health.baseline_runs": (1, 1000, True),
    "health.min_fill_ratio": (0, 1, True),
    "health.max_extract_failures": (0, 1, True),
}
_CRON_WEEKDAY_NUMBER = re.compile(r"\d")


def check_number(key: str, value: float, low: float, high: float, low_ok: bool = True) -> None:
    """`value` must be finite and in range; the error names the key and the range."""
    inside = (value >= low if low_ok else value > low) and value <= high
    if not math.isfinite(value) or not inside:
        bound = f"{low:g} or more" if low_ok else f"more than {low:g}"
        raise ConfigError(f"{key}: must be {bound} and at most {high:g}, got {value!r}")


def _check(config: Config) -> None:
    _check_url("site.base_url", config.site.base_url)
    _check_url("site.canonical_base", config.site.canonical_base)
    _check_url("fetch.contact", config.fetch.contact, query=True)
    _check_header_text("fetch.contact", config.fetch.contact)
    _check_header_text("fetch.user_agent", config.fetch.user_agent)
    _check_url("output.base_url", config.output.base_url)
    if config.websub.hub:
        _check_url("websub.hub", config.websub.hub, query=True)
    if not _SECTION_PATH.fullmatch(config.site.section_path):
        raise ConfigError(
            f"site.section_path: a URL path starting with '/', with no spaces, query or "
            f"fragment: {config.site.section_path!r}"
        )
    if not config.output.base_url.endswith("/"):
        raise ConfigError("output.base_url: must end with '/' (it names a directory)")
    for key, (low, high, low_ok) in LIMITS.items():
        section, name = key.split(".")
        check_number(key, getattr(getattr(config, section), name), low, high, low_ok)
    if not config.fetch.user_agent.strip():
        raise ConfigError("fetch.user_agent: must not be empty")
    for index, host in enumerate(config.fetch.allowed_hosts):
        if not _HOST.fullmatch(host):
            raise ConfigError(f"fetch.allowed_hosts[{index}]: not a host or host:port: {host!r}")
        _check_url(f"fetch.allowed_hosts[{index}]", f"http://{host}")
    for index, line in enumerate(config.schedule.cron):
        fields = line.split()
        if len(fields) != 5:
            raise ConfigError(
                f"schedule.cron[{index}]: expected 5 fields (minute hour day month weekday), "
                f"got {line!r}"
            )
        if _CRON_WEEKDAY_NUMBER.search(fields[4]):
            # crontab counts Sunday = 0, APScheduler Monday = 0: a number would run on the
            # wrong day without a word
            raise ConfigError(
                f"schedule.cron[{index}]: weekday {fields[4]!r} is a number; write names "
                "(mon, tue, … sun, e.g. mon-fri)"
            )
