"""What the fetcher reads from response headers, pure: validators it can send back, and how
long Retry-After asks it to wait."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def validator(value: str | None) -> str | None:
    """An ETag or Last-Modified we can send back: visible ASCII only (a header with UTF-8 bytes
    reads as Latin-1 here, and httpx cannot send it again)."""
    if value and value.isascii() and value.isprintable() and len(value) <= 512:
        return value
    return None


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # not "²": str.isdigit accepts superscripts
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
