"""The rules a parsed Config must satisfy, each error naming its key: URLs, header text, ranges
(LIMITS), hosts, cron lines; and the paths a run will use (check_paths, before it fetches)."""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import urlsplit

from feedbot.config.sections import Config
from feedbot.errors import ConfigError


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


def check_config(config: Config) -> None:
    """Every rule beyond a value's type: URLs, header text, ranges, hosts, cron lines."""
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
