"""HTML sanitizing for feed content: the only nh3 user.

The extractor already rebuilds bodies from an allow-list; this is the second, independent line:
whatever reaches a feed passes a real sanitizer (no script/style/iframe, no on* attributes, no
javascript: or data: URLs), and images get `loading="lazy"` and `referrerpolicy="no-referrer"`.
"""

from __future__ import annotations

import re

import nh3

_TAGS = {
    "p",
    "br",
    "h3",
    "h4",
    "strong",
    "em",
    "a",
    "figure",
    "figcaption",
    "img",
    "blockquote",
    "dl",
    "dt",
    "dd",
    "ul",
    "ol",
    "li",
    "hr",
    "small",
}
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}, "img": {"src", "alt"}},
    url_schemes={"http", "https"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)
# nh3's `set_tag_attribute_values` would add these too, but from a Rust HashMap: their order
# changes from process to process, and so would the feed's bytes. We add them ourselves, after
# the sanitizer has removed any the page carried.
_IMG = re.compile(r"<img(?=[\s>/])")
_IMG_EXTRA = '<img loading="lazy" referrerpolicy="no-referrer"'


# Real bodies are under 50 kB of HTML; nh3's time grows with the square of the entities (a body
# of 1.5 MB of bare `&` took seconds per call), so what is sanitized is bounded first.
MAX_BODY_HTML = 200_000


def sanitize_html(fragment: str) -> str:
    return _IMG.sub(_IMG_EXTRA, _CLEANER.clean(fragment))


def bounded_body(fragment: str, limit: int = MAX_BODY_HTML) -> tuple[str, bool]:
    """The body cut to at most `limit` characters, at the last paragraph end before it (a cut
    tag is mended by the sanitizer), then sanitized; and whether it was cut."""
    if len(fragment) <= limit:
        return sanitize_html(fragment), False
    head = fragment[:limit]
    end = head.rfind("</p>")
    return sanitize_html(head[: end + 4] if end > 0 else head), True
