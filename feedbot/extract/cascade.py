"""The record a page's field cascades keep (which source gave each field, what was ignored and
why), and the readers of values from a page's untrusted sources: JSON-LD of any JSON shape,
dates, e-mail addresses. A value of the wrong kind is a warning and no value, never an error."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from feedbot.extract.dom import Index, attr, text
from feedbot.normalize import YEARS, valid_email

T = TypeVar("T")
_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle"}


def json_ld(index: Index) -> dict[str, Any]:
    """The first NewsArticle-like object in any JSON-LD block (lists and @graph included). A
    block is untrusted JSON of any shape: what is not an object with a string `@type` is
    passed over, and a block too deep or too large for the parser is skipped."""
    for script in index.tag("script"):
        if attr(script, "type") != "application/ld+json":
            continue
        try:
            data = json.loads(text(script))
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
            continue
        queue: deque[Any] = deque([data])
        while queue:
            item = queue.popleft()
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and k in _ARTICLE_TYPES for k in kinds):
                    return item
                graph = item.get("@graph")
                if isinstance(graph, list | dict):
                    queue.append(graph)
    return {}


def _shown(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


class Cascade:
    """The fields' sources and warnings, filled while the cascades run."""

    def __init__(self) -> None:
        self.provenance: dict[str, str] = {}
        self.warnings: list[str] = []

    def first(self, name: str, steps: Iterable[tuple[str, Callable[[], T | None]]]) -> T | None:
        for source, step in steps:
            value = step()
            if value:
                self.provenance[name] = source
                return value
        self.warnings.append(f"{name}: not found")
        return None

    def ignored(self, name: str, source: str, value: object, why: str) -> None:
        self.warnings.append(f"{name}: {source} value {_shown(value)} {why}; ignored")

    def date(
        self, name: str, source: str, value: object, read: Callable[[str], datetime | None]
    ) -> datetime | None:
        """A date a source gives, when it is one: text that reads as a date in 1990–2100."""
        if value is None or value == "":
            return None
        moment = read(value) if isinstance(value, str) else None
        if moment is None:
            self.ignored(name, source, value, f"is not a date in {YEARS}")
        return moment

    def ld_text(self, name: str, ld: dict[str, Any], key: str) -> str | None:
        """A JSON-LD value that should be text."""
        value = ld.get(key)
        if value is None or isinstance(value, str):
            return value or None
        self.ignored(name, "jsonld", value, "is not text")
        return None

    def email(self, source: str, value: object) -> str | None:
        """An author's e-mail address when it is one (RFC 5322 addr-spec, `normalize`)."""
        if value is None or value == "":
            return None
        address = value.strip().removeprefix("mailto:") if isinstance(value, str) else None
        if address is None or not valid_email(address):
            self.ignored("authors", source, value, "is not an e-mail address")
            return None
        return address
