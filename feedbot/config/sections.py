"""The frozen Config and its sections: every key with the default that works without a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedbot import __version__
from feedbot.curate.model import SHIPPED_MODEL
from feedbot.curate.spec import default_topics
from feedbot.models import TopicSpec

DEFAULT_CONFIG_NAME = "config.toml"


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


SECTIONS: dict[str, type[Any]] = {
    "site": SiteConfig,
    "fetch": FetchConfig,
    "store": StoreConfig,
    "archive": ArchiveConfig,
    "output": OutputConfig,
    "schedule": ScheduleConfig,
    "health": HealthConfig,
    "websub": WebSubConfig,
}
