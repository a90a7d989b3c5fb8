"""Clean an article body (`#article_body`) into safe HTML and plain text.

The output is rebuilt from an allow-list (p, h3, figure/img/figcaption, blockquote, dl, ul/ol,
br, strong, em, a) rather than pruned from the page, so nothing the site adds later (scripts,
trackers, widgets) can leak through by default. Feeds still run it through the sanitizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape

from feedbot.extract.dom import Node, attr, children, classes, content, find, text
from feedbot.normalize import absolute_url, clean_text, original_image_url, public_url, xml_safe

# Whole elements that are never prose.
_DROP_CLASSES = {
    "ad_wrap",
    "ab_ad",
    "ad_box",
    "ab_related_article",
    "letter_wrap",
    "ab_byline",
    "tag_vod",
    "plus_login",
    "tag_wrap",
    "mask",
}
_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "iframe",
    "button",
    "form",
    "input",
    "svg",
    "video",
    "audio",
    "object",
    "embed",
    "template",
}
# The 팩플 promo footer and copyright lines (docs/site-markup.md, "The body").
_PROMO = re.compile(r"^(※\s*지금 뜨는|👉?\s*https?://(www\.)?joongang\.co\.kr/factpl/?$)")
_COPYRIGHT = re.compile(r"^(ⓒ|©|Copyright\b)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"(^data:|blank\.gif|placeholder|spacer\.gif)", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_INLINE = {"strong": "strong", "b": "strong", "em": "em", "i": "em"}
_PARAGRAPH_BREAK = re.compile(r"(?:<br>\s*){2,}")
_AD_LABEL = "ADVERTISEMENT"
# Elements nested deeper than this inside the body are read flat: their text, line breaks and
# paragraphs, without links, photos or emphasis. Old CMS markup leaves <font> and <b> unclosed,
# which the parser nests once per tag: 600 of them overflowed Python's stack in the builder,
# which recurses twice per level (200 levels: about 400 frames of the 1,000 allowed).
MAX_DEPTH = 200


@dataclass
class CleanBody:
    html: str
    text: str
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, caption)
    warnings: list[str] = field(default_factory=list)


def _is_dropped(node: Node) -> bool:
    if node.name in _DROP_TAGS or classes(node) & _DROP_CLASSES:
        return True
    if (attr(node, "id") or "").startswith("ad_"):
        return True
    return _is_ad_label(node)


def _is_ad_label(node: Node) -> bool:
    """Whether all `node` holds is an "ADVERTISEMENT" label, possibly split over inline
    elements. Reading stops at the first string that makes the text longer than the label (a
    container holds the whole story), or at the element after as many as the label has
    letters: then it is no label (a nest thousands deep holds none, and walking down it from
    each of its levels was quadratic)."""
    label = ""
    entered = 0
    stack = [content(node)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, str):
            label += item.strip()
            if len(label) > len(_AD_LABEL):
                return False
        else:
            entered += 1
            if entered > len(_AD_LABEL):
                return False
            stack.append(content(item))
    return label.upper() == _AD_LABEL


def _string(value: str) -> str:
    """A run of text as escaped inline HTML with its whitespace collapsed."""
    return escape(_SPACE.sub(" ", xml_safe(value)), quote=False) if value else ""


# Where a nest read flat (past MAX_DEPTH) breaks its text: a block ends its paragraph, as
# `<br><br>` does in old stories, so that paragraph() splits it and drops junk lines there too.
# fmt: off
_FLAT_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# fmt: on


def _flat(node: Node) -> str:
    """`node` as escaped text with `<br>` for its line breaks and `<br><br>` around its blocks,
    minus dropped elements: what the builder makes of it, less the markup, without recursion
    (for a nest deeper than MAX_DEPTH)."""
    out: list[str] = []
    stack = [(content(node), "")]  # each level: its children, and what its end adds
    while stack:
        item = next(stack[-1][0], None)
        if item is None:
            out.append(stack.pop()[1])
        elif isinstance(item, str):
            out.append(_string(item))
        elif item.name == "br":
            out.append("<br>")
        elif _is_dropped(item):  # its label walk reads at most 13 elements: linear in all
            continue
        elif item.name in _FLAT_BLOCKS:
            out.append("<br><br>")
            stack.append((content(item), "<br><br>"))
        else:
            stack.append((content(item), ""))
    return "".join(out)


def image_src(img: Node, base: str) -> str | None:
    """The real image URL of a lazy image: `data-src` before a resized or placeholder `src`."""
    for name in ("data-src", "data-original", "src"):
        value = attr(img, name)
        if not value or not value.strip() or _PLACEHOLDER.search(value):
            continue
        if url := original_image_url(value, base):
            return url
    return None


class _Builder:
    def __init__(self, base: str) -> None:
        self.base = base
        self.html: list[str] = []
        self.text: list[str] = []
        self.result = CleanBody("", "")
        self.loose: list[str] = []  # inline content found directly in a container
        self.depth = 0  # elements entered by inline() and block(), for MAX_DEPTH

    # -- inline -----------------------------------------------------------------------------
    def inline(self, node: Node) -> str:
        if self.depth >= MAX_DEPTH:
            return _flat(node)
        self.depth += 1
        out = []
        for child in content(node):
            if isinstance(child, str):
                out.append(_string(child))
            elif not _is_dropped(child):  # the text after a dropped element stays
                out.append(self._inline_element(child))
        self.depth -= 1
        return "".join(out)

    def _inline_element(self, node: Node) -> str:
        name = node.name
        if name == "br":
            return "<br>"
        inner = self.inline(node)
        if name in _INLINE:
            return f"<{_INLINE[name]}>{inner}</{_INLINE[name]}>" if inner.strip() else ""
        if name == "a":
            href = (attr(node, "href") or "").strip()
            # a link no output may carry (`javascript:`, `http://[::1/x?`) is unwrapped
            url = public_url(absolute_url(href, self.base)) if href[:1] not in ("", "#") else None
            if url:
                return f'<a href="{escape(url)}">{inner}</a>'
        return inner

    # -- blocks -----------------------------------------------------------------------------
    def paragraph(self, inner: str, tag: str = "p") -> None:
        # old stories separate paragraphs with <br><br> inside one element
        chunks = _PARAGRAPH_BREAK.split(inner) if "<br>" in inner else [inner]
        for chunk in chunks:
            lines = [(line, plain) for line in chunk.split("<br>") if (plain := _plain(line))]
            lines = [(line.strip(), plain) for line, plain in lines if not _junk(plain)]
            if lines:
                self.html.append(f"<{tag}>{'<br>'.join(line for line, _ in lines)}</{tag}>")
                self.text.append("\n".join(plain for _, plain in lines))

    def flush_loose(self) -> None:
        loose = "".join(self.loose)
        self.loose = []
        if loose and not loose.isspace():
            self.paragraph(loose)

    def photo(self, block: Node) -> None:
        img = find(block, "img")
        if img is None:
            return
        src = image_src(img, self.base)
        if src is None:
            self.result.warnings.append("photo without a usable image URL dropped")
            return
        caption_tag = find(block, cls="caption")
        caption = clean_text(text(caption_tag)) if caption_tag is not None else ""
        alt = clean_text(attr(img, "alt") or "")
        caption = caption or alt  # the site repeats the caption in alt: keep one
        self.result.images.append((src, caption))
        figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
        self.html.append(
            f'<figure><img src="{escape(src)}" alt="{escape(caption or alt)}">{figcaption}</figure>'
        )

    def block(self, node: Node) -> None:
        if self.depth >= MAX_DEPTH:
            self.loose.append(_flat(node))
            self.flush_loose()
            return
        self.depth += 1
        for child in content(node):
            if isinstance(child, str):
                self.loose.append(_string(child))
            elif not _is_dropped(child):  # the text after a dropped element stays
                self._block_element(child)
        self.depth -= 1
        # loose text at the end of a container belongs to that container
        self.flush_loose()

    def _block_element(self, child: Node) -> None:
        kinds = classes(child)
        name = child.name
        if name == "br":
            self.loose.append("<br>")
            return
        if name in _INLINE or name in ("a", "span", "font"):
            self.loose.append(self.inline(child))
            return
        self.flush_loose()
        if "ab_photo" in kinds or name == "figure":
            self.photo(child)
        elif "ab_sub_heading" in kinds or name in ("h2", "h3", "h4"):
            self.paragraph(self.inline(child), "h3")
        elif name == "p":
            self.paragraph(self.inline(child))
        elif name == "img":
            src = image_src(child, self.base)
            if src:
                alt = clean_text(attr(child, "alt") or "")
                self.result.images.append((src, alt))
                self.html.append(f'<figure><img src="{escape(src)}" alt="{escape(alt)}"></figure>')
        elif name == "dl":
            self.definition_list(child)
        elif name in ("ul", "ol"):
            inlines = (self.inline(li) for li in children(child) if li.name == "li")
            items = [(i, plain) for i in inlines if (plain := _plain(i))]
            if items:
                self.html.append(
                    f"<{name}>" + "".join(f"<li>{_trim(i)}</li>" for i, _ in items) + f"</{name}>"
                )
                self.text.extend(plain for _, plain in items)
        elif kinds & {"ab_box_article", "ab_quot", "ab_quotation"} or name == "blockquote":
            inner = _Builder(self.base)
            inner.result = self.result
            inner.depth = self.depth  # a quote inside a quote is one level deeper, not the top
            inner.block(child)
            inner.flush_loose()
            if inner.html:
                self.html.append("<blockquote>" + "".join(inner.html) + "</blockquote>")
                self.text.extend(inner.text)
        else:
            self.block(child)

    def definition_list(self, node: Node) -> None:
        parts = []
        for child in children(node):
            if child.name not in ("dt", "dd"):
                continue
            inner = _trim(self.inline(child))
            if inner:
                parts.append(f"<{child.name}>{inner}</{child.name}>")
                self.text.append(clean_text(text(child)))
        if parts:
            self.html.append("<dl>" + "".join(parts) + "</dl>")


def _junk(text: str) -> bool:
    return bool(_PROMO.match(text) or _COPYRIGHT.match(text) or text.upper() == "ADVERTISEMENT")


_TAGS = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    """Text of an inline fragment this module built (its text is already escaped)."""
    if "<" in fragment:
        fragment = _TAGS.sub("", fragment)
    return clean_text(unescape(fragment) if "&" in fragment else fragment)


def _trim(fragment: str) -> str:
    """`fragment` without the line breaks and white space at its ends. Scanned, not matched: a
    pattern anchored at the end is tried from every `<br>`, quadratic in a run of them."""
    start, end = 0, len(fragment)
    while True:
        while start < end and fragment[start].isspace():
            start += 1
        if not fragment.startswith("<br>", start, end):
            break
        start += 4
    while True:
        while end > start and fragment[end - 1].isspace():
            end -= 1
        if not fragment.endswith("<br>", start, end):
            break
        end -= 4
    return fragment[start:end]


def clean_body(container: Node, base: str) -> CleanBody:
    """Rebuild `container` (the `#article_body` element) as clean HTML and plain text."""
    builder = _Builder(base)
    builder.block(container)
    result = builder.result
    result.html = "\n".join(builder.html)
    result.text = "\n\n".join(builder.text)
    return result
