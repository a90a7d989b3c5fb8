"""Clean an article body (`#article_body`) into safe HTML and plain text.

The output is rebuilt from an allow-list (p, h3, figure/img/figcaption, blockquote, dl, ul/ol,
br, strong, em, a) rather than pruned from the page, so nothing the site adds later (scripts,
trackers, widgets) can leak through by default. Feeds still run it through the sanitizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape

from bs4.element import Comment, NavigableString, Tag

from feedbot.normalize import absolute_url, clean_text, original_image_url, xml_safe

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
# The 팩플 promo footer and copyright lines (docs/joongang-site.md U3, U11).
_PROMO = re.compile(r"^(※\s*지금 뜨는|👉?\s*https?://(www\.)?joongang\.co\.kr/factpl/?$)")
_COPYRIGHT = re.compile(r"^(ⓒ|©|Copyright\b)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"(^data:|blank\.gif|placeholder|spacer\.gif)", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_INLINE = {"strong": "strong", "b": "strong", "em": "em", "i": "em"}


@dataclass
class CleanBody:
    html: str
    text: str
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, caption)
    warnings: list[str] = field(default_factory=list)


def _classes(tag: Tag) -> set[str]:
    value = tag.get("class")
    if isinstance(value, list):
        return {str(v) for v in value}
    return set(str(value).split()) if value else set()


def _is_dropped(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS or _classes(tag) & _DROP_CLASSES:
        return True
    tag_id = str(tag.get("id") or "")
    if tag_id.startswith("ad_"):
        return True
    return tag.get_text(strip=True).upper() == "ADVERTISEMENT"


def image_src(img: Tag, base: str) -> str | None:
    """The real image URL of a lazy image: `data-src` before a resized or placeholder `src`."""
    for attr in ("data-src", "data-original", "src"):
        value = img.get(attr)
        if isinstance(value, str) and value.strip() and not _PLACEHOLDER.search(value):
            return original_image_url(value, base)
    return None


class _Builder:
    def __init__(self, base: str) -> None:
        self.base = base
        self.html: list[str] = []
        self.text: list[str] = []
        self.result = CleanBody("", "")
        self.loose: list[str] = []  # inline content found directly in a container

    # -- inline -----------------------------------------------------------------------------
    def inline(self, node: Tag) -> str:
        out: list[str] = []
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                out.append(escape(_SPACE.sub(" ", xml_safe(str(child))), quote=False))
            elif isinstance(child, Tag):
                if _is_dropped(child):
                    continue
                if child.name == "br":
                    out.append("<br>")
                elif child.name in _INLINE:
                    inner = self.inline(child)
                    if inner.strip():
                        out.append(f"<{_INLINE[child.name]}>{inner}</{_INLINE[child.name]}>")
                elif child.name == "a":
                    inner = self.inline(child)
                    href = child.get("href")
                    if isinstance(href, str) and href.strip() and not href.startswith("#"):
                        url = absolute_url(href, self.base)
                        if url.startswith(("http://", "https://")):
                            out.append(f'<a href="{escape(url)}">{inner}</a>')
                            continue
                    out.append(inner)
                else:
                    out.append(self.inline(child))
        return "".join(out)

    # -- blocks -----------------------------------------------------------------------------
    def paragraph(self, inner: str, tag: str = "p") -> None:
        # old stories separate paragraphs with <br><br> inside one element
        for chunk in re.split(r"(?:<br>\s*){2,}", inner):
            lines = [part.strip() for part in chunk.split("<br>")]
            lines = [line for line in lines if _plain(line) and not _junk(_plain(line))]
            if lines:
                self.html.append(f"<{tag}>{'<br>'.join(lines)}</{tag}>")
                self.text.append("\n".join(_plain(line) for line in lines))

    def flush_loose(self) -> None:
        if self.loose:
            self.paragraph("".join(self.loose))
            self.loose = []

    def photo(self, block: Tag) -> None:
        img = block.find("img")
        if not isinstance(img, Tag):
            return
        src = image_src(img, self.base)
        if src is None:
            self.result.warnings.append("photo without a usable image URL dropped")
            return
        caption_tag = block.find(class_="caption")
        caption = clean_text(caption_tag.get_text()) if isinstance(caption_tag, Tag) else ""
        alt = clean_text(str(img.get("alt") or ""))
        caption = caption or alt  # the site repeats the caption in alt: keep one
        self.result.images.append((src, caption))
        figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
        self.html.append(
            f'<figure><img src="{escape(src)}" alt="{escape(caption or alt)}">{figcaption}</figure>'
        )

    def block(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.loose.append(escape(_SPACE.sub(" ", xml_safe(str(child))), quote=False))
                continue
            if not isinstance(child, Tag) or _is_dropped(child):
                continue
            classes = _classes(child)
            name = child.name
            if name == "br":
                self.loose.append("<br>")
                continue
            if name in _INLINE or name in ("a", "span", "font"):
                self.loose.append(self.inline(child))
                continue
            self.flush_loose()
            if "ab_photo" in classes or name == "figure":
                self.photo(child)
            elif "ab_sub_heading" in classes or name in ("h2", "h3", "h4"):
                self.paragraph(self.inline(child), "h3")
            elif name == "p":
                self.paragraph(self.inline(child))
            elif name == "img":
                src = image_src(child, self.base)
                if src:
                    alt = clean_text(str(child.get("alt") or ""))
                    self.result.images.append((src, alt))
                    self.html.append(
                        f'<figure><img src="{escape(src)}" alt="{escape(alt)}"></figure>'
                    )
            elif name == "dl":
                self.definition_list(child)
            elif name in ("ul", "ol"):
                items = [self.inline(li) for li in child.find_all("li", recursive=False)]
                items = [i for i in items if _plain(i)]
                if items:
                    self.html.append(
                        f"<{name}>" + "".join(f"<li>{_trim(i)}</li>" for i in items) + f"</{name}>"
                    )
                    self.text.extend(_plain(i) for i in items)
            elif classes & {"ab_box_article", "ab_quot", "ab_quotation"} or name == "blockquote":
                inner = _Builder(self.base)
                inner.result = self.result
                inner.block(child)
                inner.flush_loose()
                if inner.html:
                    self.html.append("<blockquote>" + "".join(inner.html) + "</blockquote>")
                    self.text.extend(inner.text)
            else:
                self.block(child)
        # loose text at the end of a container belongs to that container
        self.flush_loose()

    def definition_list(self, node: Tag) -> None:
        parts = []
        for child in node.find_all(["dt", "dd"], recursive=False):
            inner = _trim(self.inline(child))
            if inner:
                parts.append(f"<{child.name}>{inner}</{child.name}>")
                self.text.append(clean_text(child.get_text()))
        if parts:
            self.html.append("<dl>" + "".join(parts) + "</dl>")


def _junk(text: str) -> bool:
    return bool(_PROMO.match(text) or _COPYRIGHT.match(text) or text.upper() == "ADVERTISEMENT")


_TAGS = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    """Text of an inline fragment this module built (its text is already escaped)."""
    return clean_text(unescape(_TAGS.sub("", fragment)))


def _trim(fragment: str) -> str:
    return re.sub(r"^(?:\s*<br>)+|(?:<br>\s*)+$", "", fragment.strip()).strip()


def clean_body(container: Tag, base: str) -> CleanBody:
    """Rebuild `container` (the `#article_body` element) as clean HTML and plain text."""
    builder = _Builder(base)
    builder.block(container)
    result = builder.result
    result.html = "\n".join(builder.html)
    result.text = "\n\n".join(builder.text)
    return result
