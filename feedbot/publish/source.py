"""What the output build reads from and remembers in the store, as a Protocol: publish is an
edge and never imports the store (only the pipeline connects them); `store.db.Store` fits it,
and tests may hand in anything that does."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from feedbot.models import StoredArticle, Tombstone


class OutputSource(Protocol):
    def latest(self, limit: int, topic: str | None = None) -> list[StoredArticle]: ...

    def latest_kept(self, limit: int) -> list[StoredArticle]: ...

    def between(
        self, start: datetime, end: datetime | None, topic: str | None
    ) -> list[StoredArticle]: ...

    def months(self, start: datetime | None, end: datetime, topic: str | None) -> list[str]: ...

    def tombstones(self, since: datetime, topic: str | None = None) -> list[Tombstone]: ...

    def dirty_months(self) -> set[str]: ...

    def clear_dirty_months(self, months: set[str]) -> None: ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...
