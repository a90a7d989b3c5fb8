"""The patterns a topic is made of, compiled so that none can hold a run: the only `regex` user.

Terms, traps and negative rules written as `re:` are regular expressions from a config file, and
a regular expression can take exponential time on ordinary text (`(\\w+\\s?)+AI` took minutes
on one Korean sentence and hung every run, holding the lock). Python's `re` cannot be stopped;
the `regex` module takes a timeout. So a curator's pattern is refused at load when it is slow on
probe texts, and is matched with a timeout on every story: one that takes too long on one story
is skipped for that story, and says so. Patterns feedbot builds from plain words are escaped
literals and use `re` (linear, and faster).

Every pattern also knows some text each of its matches needs (`Pattern.needs`, read off the
expression when it is compiled): a story's zone that lacks it cannot match, and the classifier
skips the pattern there without running it, which is most patterns in most zones."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import regex

try:  # `re`'s own parser (here since Python 3.11); without it nothing is known
    import re._constants as sre  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    sre = sre_parse = None

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
    # what a text must contain, lower-cased, for the pattern to match in it (`needs`): one of
    # each group; () = nothing known, run it everywhere
    needs: tuple[tuple[str, ...], ...] = ()

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
    return Pattern(source, re.compile(expression, re.IGNORECASE), False, needs(expression))


def curated(source: str, expression: str) -> Pattern:
    """A curator's regular expression, matched with a timeout. ValueError (with the reason) for
    one that does not compile, matches empty text, or is slow on the probe texts."""
    try:
        compiled = regex.compile(expression, regex.IGNORECASE)
    except regex.error as exc:
        raise ValueError(f"invalid regular expression {expression!r}: {exc}") from exc
    except (TypeError, RecursionError, OverflowError, MemoryError) as exc:
        # what `regex` raises past its own error class: a named sequence (\N{KEYCAP NUMBER
        # SIGN}), a few hundred nested groups, a repeat too large for it
        raise ValueError(
            f"invalid regular expression {expression!r}: {type(exc).__name__}: {exc}"
        ) from exc
    if compiled.match(""):
        raise ValueError(f"pattern {expression!r} matches empty text")
    pattern = Pattern(source, compiled, True, needs(expression))
    for probe in PROBES:
        try:
            list(pattern.finditer(probe))
        except PatternTimeout:
            raise ValueError(
                f"pattern {expression!r} is too slow: it backtracks on ordinary text (for "
                "example nested repeats like (\\w+\\s?)+); write it without a repeat inside a repeat"
            ) from None
    return pattern


# -- what a match needs ---------------------------------------------------------------------------


def needs(expression: str) -> tuple[tuple[str, ...], ...]:
    """Groups of text, lower-cased, such that a text the expression matches in (case ignored)
    holds at least one string of every group: `(?:AI|인공지능)\\s?폰` needs ("ai", "인공지능")
    and ("폰",). Read off the parse tree of Python's own `re` parser: runs of literal letters,
    digits and Hangul syllables outside anything optional, the alternatives of a branch when
    each has some, what a positive lookaround looks for. Only characters whose lower case `re`
    and `regex` agree on are used (ASCII and Hangul: NFKC has made the rest of a story's
    lookalikes plain, and the classifier lowers İ and ı to i), and anything the parser does not
    read as `regex` would is given up on: syntax only `regex` has (a parse error), a brace
    (`{e<=1}` is fuzzy matching there, plain text in `re`), any warning. () when nothing is
    known: always safe, since the pattern is then run everywhere."""
    if sre_parse is None:  # pragma: no cover
        return ()
    # in verbose mode `regex` skips every space str.isspace() knows (an ideographic space, a
    # no-break space pasted from a page) and `re` only the ASCII ones: `(?x)ab\u3000?` is `ab?`
    # to `regex` and needs no "b"
    if any(c.isspace() and c not in _ASCII_SPACES for c in expression):
        return ()
    if "{" in expression and re.search(r"\{(?!\d*,?\d*\})", expression):
        return ()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            tree = sre_parse.parse(expression, re.IGNORECASE)
            found = _needs(list(tree))
    except (re.error, Warning, RecursionError, OverflowError):
        return ()
    groups = dict.fromkeys(found)  # each once, in order (a list searched each time was slow)
    # the rarest first: a longer string is found in fewer zones, and the check stops at a miss
    return tuple(sorted(groups, key=_telling))


_ASCII_SPACES = " \t\n\r\v\f"


def _telling(group: tuple[str, ...]) -> tuple[int, int]:
    """How rare a group is, rarest first: fewer alternatives, then longer strings."""
    return len(group), -min(map(len, group))


def _keyable(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or "가" <= char <= "힣"


def _needs(items: Sequence[tuple[Any, Any]]) -> list[tuple[str, ...]]:
    groups: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL and _keyable(chr(av)):
            run.append(chr(av).lower())
            continue
        if run:
            groups.append(("".join(run),))
            run = []
        if op is sre.SUBPATTERN:
            groups += _needs(av[-1])
        elif op is sre.ATOMIC_GROUP:
            groups += _needs(av)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            groups += _needs(av[2])
        elif op is sre.ASSERT:  # a lookahead or lookbehind that must succeed looks for text
            groups += _needs(av[1])
        elif op is sre.BRANCH:
            alternatives = [_needs(alternative) for alternative in av[1]]
            if all(alternatives):
                # one group of each alternative (its most telling), joined: one of them occurs
                chosen = (min(a, key=_telling) for a in alternatives)
                groups.append(tuple(sorted({text for group in chosen for text in group})))
        # anything else (a class, a category, an anchor, a backreference, an optional part, a
        # negative lookaround, a conditional) needs nothing known
    if run:
        groups.append(("".join(run),))
    return groups
