"""The patterns a topic is made of, compiled so that none can hold a run: the only `regex` user.

Terms, traps and negative rules written as `re:` are regular expressions from a config file, and
a regular expression can take exponential time on ordinary text (`(\\w+\\s?)+AI` took minutes
on one Korean sentence and hung every run, holding the lock). Python's `re` cannot be stopped;
the `regex` module takes a timeout. So a curator's pattern is refused at load when it is slow on
probe texts, and is matched with a timeout on every story: one that takes too long on one story
is skipped for that story, and says so. Patterns feedbot builds from plain words are escaped
literals and use `re` (linear, and faster)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

TIMEOUT_S = 0.05  # a story is a few thousand characters: a sane pattern needs microseconds
# texts on which a backtracking pattern shows itself: long runs of words, letters, spaces
PROBES = (
    "가나다 라마바 " * 120,
    "인공지능 " * 200 + "!",
    "a" * 400 + "!",
    " " * 400 + "x",
    "AI·바이오·반도체, " * 80,
)


class PatternTimeout(Exception):
    """A curator's pattern took longer than TIMEOUT_S on one text."""


@dataclass(frozen=True, slots=True)
class Pattern:
    source: str  # as configured ("re:…" or the plain term)
    compiled: Any  # re.Pattern for our own literals, regex.Pattern for a curator's regex
    guarded: bool  # matched with a timeout

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, matched text) of each match; PatternTimeout when it takes too long."""
        if not self.guarded:
            for match in self.compiled.finditer(text):
                yield match.start(), match.end(), match.group(0)
            return
        try:
            found = [
                (m.start(), m.end(), m.group(0))
                for m in self.compiled.finditer(text, timeout=TIMEOUT_S)
            ]
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc
        yield from found

    def search(self, text: str) -> str | None:
        """The first match's text, or None; PatternTimeout when it takes too long. (Not
        finditer: a curator's pattern would then find every match where one is enough.)"""
        try:
            match = (
                self.compiled.search(text, timeout=TIMEOUT_S)
                if self.guarded
                else self.compiled.search(text)
            )
        except TimeoutError as exc:
            raise PatternTimeout(self.source) from exc
        return None if match is None else str(match.group(0))


def literal(source: str, expression: str) -> Pattern:
    """A pattern feedbot built from a plain term (escaped words, fixed boundaries)."""
    return Pattern(source, re.compile(expression, re.IGNORECASE), guarded=False)


def curated(source: str, expression: str) -> Pattern:
    """A curator's regular expression, matched with a timeout. ValueError (with the reason) for
    one that does not compile, matches empty text, or is slow on the probe texts."""
    try:
        compiled = regex.compile(expression, regex.IGNORECASE)
    except regex.error as exc:
        raise ValueError(f"invalid regular expression {expression!r}: {exc}") from exc
    if compiled.match(""):
        raise ValueError(f"pattern {expression!r} matches empty text")
    pattern = Pattern(source, compiled, guarded=True)
    for probe in PROBES:
        try:
            list(pattern.finditer(probe))
        except PatternTimeout:
            raise ValueError(
                f"pattern {expression!r} is too slow: it backtracks on ordinary text (for "
                "example nested repeats like (\\w+\\s?)+); write it without a repeat inside a repeat"
            ) from None
    return pattern
