"""The HTML tree the extractors read: lxml's own tree, searched by tag, class and id.

The only user of lxml's HTML parser. The extractors used to read a BeautifulSoup tree; building
that tree alone cost about 19 times lxml's own parse of the same page, and soupsieve matched CSS
selectors in Python (benchmarks/run.py, "extraction"). Measured on the replica's pages, XPath
with CSS-style predicates is no cure: `descendant::*[@id='x']` or a class test costs 5–10 times
`descendant::h1`, because every element's attribute becomes an XPath string. So: small subtrees
(a header, a card, a body) are walked from Python behind lxml's C tag filter (`find_all`), and
document-wide questions go to `Index`, which asks C for them once.

lxml's model differs from bs4's in one way the extractors must respect: text after an element
is that element's `tail`, so dropping an element must never drop its tail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeAlias

from lxml import etree

# an lxml element (etree._Element); lxml ships no type information (mypy ignores its imports)
Node: TypeAlias = Any

# Comments and processing instructions are dropped while parsing: the extractors never read them,
# and without them every child of an element is an element. The document is always handed over as
# UTF-8 bytes, so a `<meta charset>` inside it cannot make libxml2 decode it a second time.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def parse(html: str) -> Node:
    """The root element of `html`; an empty `<html>` for a document with no element at all."""
    # "replace": a lone surrogate cannot be encoded, and is no more text than a broken byte.
    blank = not html or html.isspace()  # lxml versions differ: None or "Document is empty"
    root = None if blank else etree.fromstring(html.encode("utf-8", "replace"), _PARSER)
    return root if root is not None else etree.Element("html")


def has_class(node: Node, name: str) -> bool:
    value = node.get("class")
    return bool(value) and name in value and name in value.split()


def classes(node: Node) -> set[str]:
    return set((node.get("class") or "").split())


def find_all(
    node: Node | None, tag: str | None = None, cls: str | None = None, *, attr: str | None = None
) -> Iterator[Node]:
    """Descendants of `node` (never `node` itself, as in bs4), in document order, with tag `tag`,
    class `cls` and attribute `attr` present, each when given."""
    if node is None:
        return
    for found in node.iter(tag or etree.Element):
        if found is node:
            continue
        if (cls is None or has_class(found, cls)) and (attr is None or found.get(attr) is not None):
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
    seen: set[Node] = set()  # holding the elements keeps their proxies, so `in` is identity
    for outer in outers:
        for found in find_all(outer, tag, cls, attr=attr):
            if found not in seen:  # nested `outer` elements would yield it twice
                seen.add(found)
                yield found


class Index:
    """Document-wide lookups by tag, class and id, each answered in C and remembered.

    Measured on the replica's pages: reading every element from Python (to file it by tag and
    class) costs as much as parsing the page, because each element becomes a Python object.
    Instead: tags through lxml's C tag filter, ids through libxml2's ID table (an HTML document
    registers every `id` while parsing; `id()` returns the first of duplicates), and classes
    through one XPath for all `class` values, whose strings know their element."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self._tags: dict[str, list[Node]] = {}
        self._class_values: list[Any] | None = None

    def tag(self, name: str, cls: str | None = None) -> list[Node]:
        if name not in self._tags:
            self._tags[name] = list(self.root.iter(name))
        found = self._tags[name]
        return found if cls is None else [e for e in found if has_class(e, cls)]

    def cls(self, name: str) -> list[Node]:
        if self._class_values is None:
            self._class_values = list(_CLASS_VALUES(self.root))
        return [v.getparent() for v in self._class_values if name in v and name in v.split()]

    def id(self, name: str) -> Node | None:
        found = _BY_ID(self.root, id=name)
        if found and found[0].get("id") == name:
            return found[0]
        # libxml2 also files `<a name>` in HTML's ID table; then search the attribute itself
        found = _BY_ID_ATTRIBUTE(self.root, id=name) if found else []
        return found[0] if found else None


_CLASS_VALUES = etree.XPath("//@class")
_BY_ID = etree.XPath("id($id)")
_BY_ID_ATTRIBUTE = etree.XPath("(//*[@id = $id])[1]")


def children(node: Node) -> Iterator[Node]:
    """The element children of `node` (the parser keeps no comments; entities are skipped)."""
    return (child for child in node if isinstance(child.tag, str))


def text(node: Node, separator: str = "") -> str:
    """All text inside `node`, its strings joined by `separator` (bs4's `get_text`)."""
    return separator.join(node.itertext())
