"""One error root for everything feedbot expects to go wrong.

    FeedbotError                 exit code 1 unless a subclass says otherwise
     ├── ConfigError             bad config file or value (exit 2)
     ├── FetchError              a request failed for good (names the URL)
     │    ├── RobotsDisallowed   robots.txt forbids the URL
     │    ├── OffHostRedirect    a redirect left the allowed hosts
     │    └── ResponseTooLarge   the body passed the size cap
     ├── ExtractError            a page is not what we expected (names the URL)
     ├── StoreError              the SQLite store failed (names the file)
     │    └── CorruptPage        a page-archive copy does not decompress (names the article)
     ├── PublishError            a feed could not be written (names the file)
     ├── LockedError             another run holds the lock (exit 3)
     ├── SiteChangedError        the site's markup no longer matches (exit 4)
     └── Interrupted             a run asked to stop (SIGTERM) and abandoned (exit 0)

Anything else is a bug and shows a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_SITE_CHANGED = 4


class FeedbotError(Exception):
    """Root of feedbot's expected failures; the message is one line for the user."""

    exit_code = EXIT_FAILED


class ConfigError(FeedbotError):
    exit_code = EXIT_USAGE


class FetchError(FeedbotError):
    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class RobotsDisallowed(FetchError):
    pass


class OffHostRedirect(FetchError):
    pass


class ResponseTooLarge(FetchError):
    pass


class ExtractError(FeedbotError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class StoreError(FeedbotError):
    pass


class CorruptPage(StoreError):
    def __init__(self, article_id: int, reason: str) -> None:
        super().__init__(f"article {article_id}: {reason}")
        self.article_id = article_id
        self.reason = reason


class PublishError(FeedbotError):
    pass


class LockedError(FeedbotError):
    exit_code = EXIT_LOCKED


class SiteChangedError(FeedbotError):
    exit_code = EXIT_SITE_CHANGED
    report: object = None  # the unhealthy run's RunReport, when there was one


class Interrupted(FeedbotError):
    """The run was asked to stop (SIGTERM): abandoned before anything was stored."""

    exit_code = 0
