"""The HTML tree the extractors read: BeautifulSoup's, built with the lxml parser; and what
extract/charset.py needs of bs4's EncodingDetector to find a page's characters. The only bs4
user (lxml stays underneath as bs4's parser).

How the tree is built, and why:

- `multi_valued_attributes=None`: `class` stays the string the page wrote; `has_class` splits
  it once when asked, instead of bs4 splitting every element's classes while building.
- whitespace is kept as the page has it (bs4 would fold a whitespace-only string into one
  space or newline): the extractors fold whitespace themselves (`normalize.clean_text`), and
  two newlines folded into one would change a title or a date line.
- `Parts` names what an extractor reads from a page. Parsing with `only=` builds just those
  elements and their subtrees (bs4's `parse_only`): bs4 spends about 10 µs on every element it
  builds, and a real page's menus, footer and ads are most of its elements and none of the
  story (benchmarks/run.py, "extraction"). The same `Parts` then file the elements in one
  pass (`Index`), so no lookup walks the page twice.

Comments and processing instructions are never text: `strings` and `content` skip them, and
join the strings on either side of one, as the page's reader sees them."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from bs4.dammit import EncodingDetector
from bs4.element import NamespacedAttribute, NavigableString, PreformattedString
from bs4.filter import SoupStrainer

Node: TypeAlias = Tag  # BeautifulSoup (the document) is a Tag too


class _Everywhere:
    """Every tag preserves its whitespace (see the module docstring)."""

    def __contains__(self, name: object) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Parts:
    """The elements an extractor looks up anywhere in a page: by tag name, by class, by id, by
    an attribute's exact value. Their subtrees come with them."""

    tags: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    attrs: frozenset[tuple[str, str]] = frozenset()

    def wants(self, name: str, attrs: Mapping[Any, str] | None) -> bool:
        if name in self.tags:
            return True
        if not attrs:
            return False
        value = attrs.get("class")
        if value and not self.classes.isdisjoint(value.split()):
            return True
        if attrs.get("id") in self.ids:
            return True
        return any(attrs.get(key) == wanted for key, wanted in self.attrs)


class _Only(SoupStrainer):
    """bs4's `parse_only`: build a tag only when `parts` want it (or it is inside one that was
    built); no loose strings between the parts. It also counts the `<html>` elements the parser
    starts, so each part built is known to be inside the page's first one or after it."""

    def __init__(self, parts: Parts) -> None:
        super().__init__()
        self.parts = parts
        self.documents = 0  # <html> elements started so far
        self.kept: list[int] = []  # for each part built at the top, self.documents then

    def allow_tag_creation(
        self,
        nsprefix: str | None,
        name: str,
        attrs: Mapping[str | NamespacedAttribute, str] | None,
    ) -> bool:
        if name == "html":
            self.documents += 1
        wanted = self.parts.wants(name, attrs)
        if wanted:
            self.kept.append(self.documents)
        return wanted

    def allow_string_creation(self, string: str) -> bool:
        return False


@dataclass(slots=True)
class Document:
    """A parsed page: `root` holds its first `<html>` (or the parts of it that were built),
    `after` the elements the page put after its `</html>`. The parser starts a new `<html>` for
    those; lxml's own tree kept them outside the root too, where walks and tag lookups never
    saw them but its id table and class search did. `Index` keeps that difference."""

    root: BeautifulSoup
    after: list[Tag]


def parse(html: str, only: Parts | None = None) -> Document:
    """The tree of `html`, or with `only` just of those parts (in document order)."""
    try:
        html.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate is no more text than a broken byte
        html = html.encode("utf-8", "replace").decode("utf-8")
    strainer = _Only(only) if only is not None else None
    with warnings.catch_warnings():
        # A page is HTML whatever it looks like (an XML declaration, a bare URL): bs4's advice
        # to use another parser would only fill the log of an unattended run.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(
            html,
            "lxml",
            parse_only=strainer,
            multi_valued_attributes=None,
            preserve_whitespace_tags=_Everywhere(),
        )
    tops = [child for child in soup.contents if isinstance(child, Tag)]
    if strainer is None:
        after = tops[1:]  # each an <html> the parser started after the page's </html>
    else:
        after = [tag for tag, n in zip(tops, strainer.kept, strict=True) if n > 1]
    for tag in after:
        tag.extract()
    return Document(soup, after)


def attr(node: Node, name: str) -> str | None:
    """An attribute's value (always a string: the tree splits no attribute)."""
    value = node.get(name)
    return value if isinstance(value, str) else None


def has_class(node: Node, name: str) -> bool:
    value = attr(node, "class")
    return value is not None and name in value and name in value.split()


def classes(node: Node) -> set[str]:
    return set((attr(node, "class") or "").split())


def find_all(
    node: Node | None, tag: str | None = None, cls: str | None = None, *, attr: str | None = None
) -> Iterator[Node]:
    """Descendants of `node` (never `node` itself), in document order, with tag `tag`, class
    `cls` and attribute `attr` present, each when given. (bs4's `find_all` by name alone is its
    fast path; the class test splits the raw attribute like `has_class`.)"""
    if node is None:
        return
    for found in node.find_all(tag or True):
        if (cls is None or has_class(found, cls)) and (attr is None or attr in found.attrs):
            yield found


def find(
    node: Node | None, tag: str | None = None, cls: str | None = None, *, attr: str | None = None
) -> Node | None:
    """The first of `find_all`, or None."""
    return next(find_all(node, tag, cls, attr=attr), None)


def find_within(
    outers: Iterable[Node],
    tag: str | None = None,
    cls: str | None = None,
    *,
    attr: str | None = None,
) -> Iterator[Node]:
    """Descendants of any of `outers` (given in document order), each once, in document order:
    CSS `.outer tag` once the `.outer` elements are found."""
    seen: set[int] = set()  # the elements are alive while `outers` holds them: ids stay unique
    for outer in outers:
        for found in find_all(outer, tag, cls, attr=attr):
            if id(found) not in seen:  # nested `outer` elements would yield it twice
                seen.add(id(found))
                yield found


class Index:
    """The elements `parts` want, filed in one pass over the document: by tag, by class, the
    first of each id, by attribute value. Asking for anything `parts` do not name is a bug.
    Elements after the page's `</html>` count only for `cls` and `id` (see `Document`)."""

    def __init__(self, document: Document, parts: Parts) -> None:
        self.root = document.root
        self.parts = parts
        self._tags: dict[str, list[Node]] = {name: [] for name in parts.tags}
        self._classes: dict[str, list[Node]] = {name: [] for name in parts.classes}
        self._ids: dict[str, Node] = {}
        self._attrs: dict[tuple[str, str], list[Node]] = {pair: [] for pair in parts.attrs}
        for node in self.root.find_all(True):
            if node.name in self._tags:
                self._tags[node.name].append(node)
            if node.attrs:
                self._file(node)
                for pair in parts.attrs:
                    if node.attrs.get(pair[0]) == pair[1]:
                        self._attrs[pair].append(node)
        self._after: dict[str, list[Node]] = {name: [] for name in parts.classes}
        for top in document.after:
            for node in (top, *top.find_all(True)):
                if node.attrs:
                    self._file(node, self._after)

    def _file(self, node: Node, classes: dict[str, list[Node]] | None = None) -> None:
        value = attr(node, "class")
        if value:
            for name in set(value.split()) & self.parts.classes:
                (classes if classes is not None else self._classes)[name].append(node)
        key = node.attrs.get("id")
        if key in self.parts.ids and key not in self._ids:
            self._ids[key] = node

    def tag(self, name: str, cls: str | None = None) -> list[Node]:
        if name in self._tags:
            found = self._tags[name]
            return found if cls is None else [e for e in found if has_class(e, cls)]
        if cls is not None and cls in self._classes:
            return [e for e in self._classes[cls] if e.name == name]
        raise KeyError(f"Index: tag {name!r} not in its parts")

    def cls(self, name: str) -> list[Node]:
        return self._classes[name] + self._after[name]

    def id(self, name: str) -> Node | None:
        if name not in self.parts.ids:
            raise KeyError(f"Index: id {name!r} not in its parts")
        return self._ids.get(name)

    def having(self, name: str, value: str) -> list[Node]:
        """Elements whose attribute `name` is exactly `value`."""
        return self._attrs[(name, value)]


def root_element(document: Node) -> Node:
    """The `<html>` element (the parser always makes one), or the document when it is empty."""
    return next((c for c in document.contents if isinstance(c, Tag)), document)


def children(node: Node) -> Iterator[Node]:
    """The element children of `node`."""
    return (child for child in node.contents if isinstance(child, Tag))


def ancestors(node: Node, tag: str) -> Iterator[Node]:
    return (parent for parent in node.parents if parent.name == tag)


def content(node: Node) -> Iterator[str | Node]:
    """The children of `node` in order: each run of text as one string (a comment inside a word
    does not split it), each element as itself."""
    run: list[str] = []
    for child in node.contents:
        if isinstance(child, Tag):
            if run:
                yield "".join(run)
                run = []
            yield child
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            run.append(child)  # (a PreformattedString is a comment, a <?…?> or the doctype)
    if run:
        yield "".join(run)


def strings(node: Node) -> Iterator[str]:
    """Every run of text inside `node`, in document order (scripts and styles included)."""
    stack: list[Iterator[str | Node]] = [content(node)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, str):
            yield item
        else:
            stack.append(content(item))


def text(node: Node, separator: str = "") -> str:
    """All text inside `node`, its runs joined by `separator`."""
    return separator.join(strings(node))


# -- what the charset detection needs of bs4 (extract/charset.py decides) ----------------------


def strip_byte_order_mark(body: bytes) -> tuple[bytes, str | None]:
    """(the bytes without a byte order mark, the codec it names or None)."""
    data, bom = EncodingDetector.strip_byte_order_mark(body)
    return data, bom


# The HTML standard's prescan looks at the first 1024 bytes only (13.2.3.2). bs4 would search
# 5 % of the page with a regex that backtracks cubically on `<meta…charset=` without a `>`:
# a crafted 5 MB page then took days, 1024 bytes take milliseconds whatever they hold.
PRESCAN_BYTES = 1024


def declared_charset(data: bytes) -> str | None:
    """The page's own declaration (<meta charset>, http-equiv, XML declaration), as written in
    its first `PRESCAN_BYTES`."""
    label = EncodingDetector.find_declared_encoding(data[:PRESCAN_BYTES], is_html=True)
    return label if isinstance(label, str) else None
