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
     │    └── UnhealthyRun       a run's harvest looks wrong; carries its RunReport
     └── Interrupted             a run asked to stop (SIGTERM) and abandoned (exit 0)

Anything else is a bug and shows a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: models imports nothing of ours
    from feedbot.models import RunReport

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
    """`status` is the HTTP status when the server answered; `transient` says whether trying
    again later may help (timeouts, connection failures, 5xx, 429), as opposed to an answer
    that will stay the same (404, a body too large, a host not allowed)."""

    def __init__(
        self, url: str, reason: str, *, status: int | None = None, transient: bool = False
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.transient = transient


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


class UnhealthyRun(SiteChangedError):
    """A run whose harvest looks like a markup change (fields gone, extraction failing, no
    article reachable): nothing was stored; `report` holds the run's numbers for the history."""

    def __init__(self, message: str, report: RunReport) -> None:
        super().__init__(message)
        self.report = report


class Interrupted(FeedbotError):
    """The run was asked to stop (SIGTERM): abandoned before anything was stored."""

    exit_code = 0
