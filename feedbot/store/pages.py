"""The page archive: every article page answered 200, kept raw beside the stories so that
`feedbot reextract` can read them again without asking the site (issue 14). Not to be confused
with the RFC 5005 feed archives of the output (publish/archive.py).

Where it lives, and why: in the SQLite store (table `pages`, migration 8), not in a directory
of files beside it. A copy is written in the run that stores its story, under the same
WAL-mode database, so a backup, a move or `sqlite3 .recover` of `store.path` takes the archive
along and the two never drift apart; pruning is one DELETE; and it is never inside the output
directory (config.check_paths refuses a store there). The cost is a bigger database file
(the README gives the measured size per 1,000 pages); SQLite reuses the space pruning frees,
so the file stops growing once the archive holds `keep_days` of pages.

This module is the pure part: the archived value and its compression. The SQL is in
crawl.py."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from feedbot.errors import CorruptPage

COMPRESSION = "zlib"  # level 6: most of gzip -9's gain at a fraction of its time


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    id: int  # the article id
    url: str  # the URL the bytes came from (after redirects)
    fetched: datetime  # when they arrived
    confirmed: datetime  # the last 200 or 304 for this article: the copy was current then
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body: bytes  # as received


def pack(body: bytes) -> bytes:
    return zlib.compress(body, 6)


def unpack(article_id: int, blob: bytes, size: int) -> bytes:
    """The bytes as received; CorruptPage when the stored copy does not decompress to them."""
    try:
        body = zlib.decompress(blob)
    except zlib.error as exc:
        raise CorruptPage(article_id, f"archived page does not decompress: {exc}") from exc
    if len(body) != size:
        raise CorruptPage(article_id, f"archived page is {len(body)} bytes, not {size}")
    return body
