"""Article page -> Article, one cascade per field (docs/site-markup.md, "The cascade").

Sources in order: JSON-LD NewsArticle, og:/article: meta, `window.article`, page markup. Each
field records the source that gave it (`Article.provenance`), so a markup change shows up as a
field silently switching source. A missing field is None plus a warning, never a crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from feedbot.errors import ExtractError
from feedbot.extract.body import clean_body, image_src
from feedbot.extract.cascade import Cascade, json_ld
from feedbot.extract.dom import (
    Index,
    Node,
    Parts,
    ancestors,
    attr,
    find,
    find_all,
    find_within,
    has_class,
    parse,
    root_element,
    text,
)
from feedbot.models import Article, Author
from feedbot.normalize import (
    article_id,
    canonical_article_url,
    clean_text,
    original_image_url,
    parse_iso_datetime,
    parse_site_datetime,
    strip_factpl_tag,
    strip_site_suffix,
)

_SERVICE_DAYTIME = re.compile(r"SERVICE_DAYTIME\s*[:=]\s*[\"']([^\"']+)[\"']")
# ASCII (what valid_email accepts), starting only where such a run starts, every part bounded
# (a local part has at most 64 characters, RFC 5321): `[\w.+-]+@…` unbounded took minutes on a
# byline of 100 kB of letters and no "@", and `\w` is Hangul too ("기자hong@…" is an address).
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}"
    r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}(?![A-Za-z0-9-])"
)
_REPORTER = re.compile(r"([가-힣]{2,5})\s*(?:기자|특파원|선임기자)")
_MEMBER_TEXT = ("회원전용", "회원 전용", "더중앙플러스")
_NOT_AUTHORS = {"중앙일보", "joongang", "중앙일보 디지털"}
# What the cascades look up anywhere in the page; only these parts of it are built (dom.py).
# `article` for the header's ancestors; `time` and the header's classes for a page without an
# article header, whose dates and bylines are then looked for everywhere.
ARTICLE_PARTS = Parts(
    tags=frozenset({"meta", "script", "title", "h1", "article", "time"}),
    classes=frozenset(
        {"article_header", "date", "byline", "subhead", "plus_login", "label_plus", "tag_wrap"}
    ),
    ids=frozenset({"article_body"}),
    attrs=frozenset({("itemprop", "articleBody")}),
)
_URL_PARTS = Parts(tags=frozenset({"meta", "link"}))


class _Page:
    """Parsed sources of one page, read lazily by the field cascades."""

    def __init__(self, html: str, url: str) -> None:
        self.url = url
        self.index = Index(parse(html, ARTICLE_PARTS), ARTICLE_PARTS)
        self.root = self.index.root
        # the <html> element itself is no candidate below (it is never its own descendant)
        top = root_element(self.root)
        scope = top if top.name == "html" else self.root
        self.meta = _meta(self.index)
        self.ld = json_ld(self.index)
        scripts = (text(s) for s in self.index.tag("script"))
        self.window = "\n".join(s for s in scripts if "window.article" in s)
        headers = self.index.tag("header", "article_header")
        self.header = next((h for h in headers if _in_article(h)), headers[0] if headers else None)
        self.body = self.index.id("article_body")
        if self.body is None:  # [itemprop=articleBody]
            self.body = next(
                (e for e in self.index.having("itemprop", "articleBody") if e is not top), None
            )
        headlines = self.index.tag("h1", "headline")
        self.headline = headlines[0] if headlines else None
        self.parts = _HeaderParts(self.header if self.header is not None else scope)


class _HeaderParts:
    """The header's dated lines, bylines and section links, read in one pass over `scope` (the
    article header, else the whole page)."""

    def __init__(self, scope: Node) -> None:
        self.times: dict[str, str] = {}  # itemprop -> the first time[itemprop][datetime]
        self.dates: list[str] = []  # the text of each p.date / .date
        bylines: list[Node] = []
        subheads: list[Node] = []
        for node in find_all(scope):
            if node.name == "time" and "datetime" in node.attrs:
                self.times.setdefault(attr(node, "itemprop") or "", attr(node, "datetime") or "")
            value = attr(node, "class")
            if not value:
                continue
            names = value.split()
            if "date" in names:
                self.dates.append(clean_text(text(node, " ")))
            if "byline" in names:
                bylines.append(node)
            if "subhead" in names:
                subheads.append(node)
        self.byline_links = list(find_within(bylines, "a"))  # .byline a
        self.subhead_links = list(find_within(subheads, "a"))  # .subhead a


def _in_article(node: Node) -> bool:
    return any(has_class(a, "article") for a in ancestors(node, "article"))


def _meta(index: Index) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in index.tag("meta"):
        key = attr(tag, "property") or attr(tag, "name")
        value = attr(tag, "content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _text(node: Node | None) -> str | None:
    return (clean_text(text(node, " ")) or None) if node is not None else None


def _labelled_date(
    page: _Page, cascade: Cascade, name: str, label: str, itemprop: str
) -> tuple[datetime | None, datetime | None]:
    """(`time[itemprop][datetime]`, the `p.date` text after its label) from the header."""
    from_attr = cascade.date(name, "page", page.parts.times.get(itemprop), parse_iso_datetime)
    from_text = None
    for content in page.parts.dates:
        if content.startswith(label):
            # "입력" alone (the seed) is no date and no warning
            value = content[len(label) :].strip()
            from_text = cascade.date(name, "page", value, parse_site_datetime)
            break
    return from_attr, from_text


def _ld_authors(page: _Page, cascade: Cascade) -> tuple[Author, ...]:
    raw = page.ld.get("author")
    items = raw if isinstance(raw, list) else [raw] if raw else []
    authors = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            email = cascade.email("jsonld", item.get("email")) if isinstance(item, dict) else None
            authors.append(Author(_reporter_name(name), email))
        else:
            cascade.ignored("authors", "jsonld", item, "names no one")
    return tuple(a for a in authors if a.name.lower() not in _NOT_AUTHORS)


_TITLES = ("선임기자", "특파원", "기자")  # the longest first: 선임기자 ends in 기자


def _reporter_name(text: str) -> str:
    """ "홍길동 기자" -> "홍길동". Read from the end, not by a pattern anchored there, which is
    tried from every position (quadratic in a name of newlines)."""
    name = clean_text(text)
    for title in _TITLES:
        if name.endswith(title):
            return name[: -len(title)].rstrip()
    return name


def _byline_authors(page: _Page) -> tuple[Author, ...]:
    names = [_reporter_name(text(a)) for a in page.parts.byline_links]
    return tuple(Author(n) for n in names if n and n.lower() not in _NOT_AUTHORS)


def _ab_byline(page: _Page, cascade: Cascade) -> tuple[Author, ...]:
    tag = find(page.body, cls="ab_byline")
    if tag is None:
        return ()
    line = clean_text(text(tag, " "))
    authors = []
    # "홍길동 기자 hong@joongang.co.kr 김철수 기자" -> names, each with the email after it
    matches = list(_REPORTER.finditer(line))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        email = _EMAIL.search(line, match.end(), end)
        address = cascade.email("ab_byline", email.group(0)) if email else None
        authors.append(Author(match.group(1), address))
    return tuple(authors)


def _authors(page: _Page, cascade: Cascade) -> tuple[Author, ...]:
    closing = _ab_byline(page, cascade)
    emails = {a.name: a.email for a in closing if a.email}
    dable = page.meta.get("dable:author")
    candidates = [
        ("jsonld", _ld_authors(page, cascade)),
        ("byline", _byline_authors(page)),
        ("ab_byline", closing),
        ("meta", (Author(_reporter_name(dable)),) if dable else ()),
    ]
    # JSON-LD wins when present; otherwise the source naming the most reporters (dable:author
    # carries only the first of several).
    source, found = candidates[0]
    if not found:
        source, found = max(candidates[1:], key=lambda c: len(c[1]))
    if not found:
        cascade.warnings.append("authors: not found")
        return ()
    cascade.provenance["authors"] = source
    return tuple(
        Author(a.name, a.email or emails.get(a.name))
        for a in found
        if a.name.lower() not in _NOT_AUTHORS
    )


def _ld_image(page: _Page) -> str | None:
    image = page.ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url")
    return original_image_url(image, page.url) if isinstance(image, str) and image else None


def _first_photo(page: _Page) -> str | None:
    img = find(page.body, "img")  # .ab_photo img, figure img, img: the first image
    return image_src(img, page.url) if img is not None else None


def _title_sources(page: _Page, cascade: Cascade) -> list[tuple[str, Callable[[], str | None]]]:
    def h1() -> str | None:
        return _text(page.headline)

    def og() -> str | None:
        return page.meta.get("og:title")

    def ld() -> str | None:
        return cascade.ld_text("title", page.ld, "headline")

    def title_tag() -> str | None:
        titles = page.index.tag("title")
        return _text(titles[0]) if titles else None

    return [("page", h1), ("meta", og), ("jsonld", ld), ("title", title_tag)]


def _member_only(page: _Page, url: str) -> bool:
    if "/plus/" in url or page.index.cls("plus_login") or page.index.cls("label_plus"):
        return True
    header_text = text(page.header, " ") if page.header is not None else ""
    body_text = text(page.body, " ") if page.body is not None else ""
    return any(marker in header_text for marker in _MEMBER_TEXT) or any(
        marker in body_text for marker in _MEMBER_TEXT[1:]
    )


def page_url(html: str) -> str | None:
    """The URL a saved page names for itself (og:url, else rel=canonical)."""
    index = Index(parse(html, _URL_PARTS), _URL_PARTS)
    url = _meta(index).get("og:url")
    links = index.tag("link")
    link = next((e for e in links if "canonical" in (attr(e, "rel") or "").lower().split()), None)
    if not url and link is not None:
        url = attr(link, "href")
    return url or None


def parse_article(html: str, url: str, canonical_base: str) -> Article:
    """Extract one article page fetched from `url`. Raises ExtractError for a page that is not an
    article (no headline and no body container, or no id in the URL)."""
    requested = article_id(url)
    if requested is None:
        raise ExtractError(url, "URL holds no article id")
    page = _Page(html, url)
    if page.body is None and page.headline is None:
        raise ExtractError(url, "not an article page (no h1.headline, no #article_body)")
    own = article_id(page.meta.get("og:url", ""), url)
    if own is not None and own != requested:
        raise ExtractError(url, f"page is article {own}, not {requested}")

    cascade = Cascade()
    raw_title = cascade.first("title", _title_sources(page, cascade))
    if not raw_title:
        raise ExtractError(url, "no title")
    title, tagged = strip_factpl_tag(strip_site_suffix(clean_text(raw_title)))
    meta = page.meta

    pub_attr, pub_text = _labelled_date(page, cascade, "published", "입력", "datePublished")
    mod_attr, mod_text = _labelled_date(page, cascade, "updated", "업데이트", "dateModified")
    daytime = _SERVICE_DAYTIME.search(page.window)

    def dated(
        name: str, source: str, key: str, read: Callable[[str], datetime | None]
    ) -> tuple[str, Callable[[], datetime | None]]:
        value = page.ld.get(key) if source == "jsonld" else meta.get(key)
        return source, lambda: cascade.date(name, source, value, read)

    published = cascade.first(
        "published",
        [
            dated("published", "jsonld", "datePublished", parse_iso_datetime),
            dated("published", "meta", "article:published_time", parse_iso_datetime),
            dated("published", "meta", "published_date", parse_iso_datetime),
            (
                "window.article",
                lambda: cascade.date(
                    "published",
                    "window.article",
                    daytime.group(1) if daytime else None,
                    parse_site_datetime,
                ),
            ),
            ("page", lambda: pub_attr),
            ("page", lambda: pub_text),
        ],
    )
    updated = None
    for source, step in (
        dated("updated", "jsonld", "dateModified", parse_iso_datetime),
        dated("updated", "meta", "article:modified_time", parse_iso_datetime),
        ("page", lambda: mod_attr),
        ("page", lambda: mod_text),
    ):
        updated = step()
        if updated is not None:
            cascade.provenance["updated"] = source
            break
    if updated is not None and published is not None and updated <= published:
        updated = None  # "modified" equal to "published" is not an update

    subhead = page.parts.subhead_links
    section = cascade.first(
        "section",
        [
            ("page", lambda: _text(subhead[0]) if subhead else None),
            ("meta", lambda: meta.get("article:section2")),
        ],
    )
    subsection = (_text(subhead[1]) if len(subhead) > 1 else None) or meta.get("article:section3")

    description = cascade.first(
        "description",
        [
            ("meta", lambda: meta.get("og:description")),
            ("jsonld", lambda: cascade.ld_text("description", page.ld, "description")),
            ("meta", lambda: meta.get("description")),
        ],
    )
    image = cascade.first(
        "image",
        [
            ("jsonld", lambda: _ld_image(page)),
            (
                "meta",
                lambda: original_image_url(meta["og:image"], url) if "og:image" in meta else None,
            ),
            ("page", lambda: _first_photo(page)),
        ],
    )
    authors = _authors(page, cascade)

    if page.body is None:
        raise ExtractError(url, "no article body (#article_body)")
    body = clean_body(page.body, url)
    if not body.text:
        raise ExtractError(url, "article body is empty")
    if description is None:
        description = body.text.split("\n\n", 1)[0][:300]
        cascade.provenance["description"] = "body"

    tags = tuple(
        t
        for t in (
            clean_text(text(a)).lstrip("#").strip()
            for a in find_within(page.index.cls("tag_wrap"), "a")
        )
        if t
    ) or tuple(t.strip() for t in meta.get("news_keywords", "").split(",") if t.strip())

    return Article(
        id=requested,
        url=canonical_article_url(requested, canonical_base),
        title=title,
        factpl_tag=tagged,
        description=clean_text(description) if description else None,
        published=published,
        updated=updated,
        authors=authors,
        section=clean_text(section) if section else None,
        subsection=clean_text(subsection) if subsection else None,
        image=image,
        body_html=body.html,
        body_text=body.text,
        tags=tuple(dict.fromkeys(tags)),
        member_only=_member_only(page, url),
        provenance=cascade.provenance,
        warnings=tuple(cascade.warnings + body.warnings),
    )
