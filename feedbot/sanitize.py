"""HTML sanitizing for feed content: the only nh3 user.

The extractor already rebuilds bodies from an allow-list; this is the second, independent line:
whatever reaches a feed passes a real sanitizer (no script/style/iframe, no on* attributes, no
javascript: or data: URLs), and images get `loading="lazy"` and `referrerpolicy="no-referrer"`.
"""

from __future__ import annotations

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
    set_tag_attribute_values={"img": {"loading": "lazy", "referrerpolicy": "no-referrer"}},
    url_schemes={"http", "https"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(fragment: str) -> str:
    return _CLEANER.clean(fragment)
