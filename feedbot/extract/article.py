"""Article page -> Article, one cascade per field (docs/joongang-site.md §5).

Sources in order: JSON-LD NewsArticle, og:/article: meta, `window.article`, page markup. Each
field records the source that gave it (`Article.provenance`), so a markup change shows up as a
field silently switching source. A missing field is None plus a warning, never a crash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from bs4 import BeautifulSoup, Tag

from feedbot.errors import ExtractError
from feedbot.extract.body import clean_body, image_src
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

T = TypeVar("T")
_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle"}
_SERVICE_DAYTIME = re.compile(r"SERVICE_DAYTIME\s*[:=]\s*[\"']([^\"']+)[\"']")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REPORTER = re.compile(r"([가-힣]{2,5})\s*(?:기자|특파원|선임기자)")
_MEMBER_TEXT = ("회원전용", "회원 전용", "더중앙플러스")
_NOT_AUTHORS = {"중앙일보", "joongang", "중앙일보 디지털"}


class _Page:
    """Parsed sources of one page, read lazily by the field cascades."""

    def __init__(self, html: str, url: str) -> None:
        self.url = url
        self.soup = BeautifulSoup(html, "lxml")
        self.meta = _meta(self.soup)
        self.ld = _json_ld(self.soup)
        self.window = "\n".join(
            s.get_text() for s in self.soup.find_all("script") if "window.article" in s.get_text()
        )
        self.header = self.soup.select_one(
            "article.article header.article_header"
        ) or self.soup.select_one("header.article_header")
        self.body = self.soup.select_one("#article_body") or self.soup.select_one(
            "[itemprop=articleBody]"
        )


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        value = tag.get("content")
        if isinstance(key, str) and isinstance(value, str) and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _json_ld(soup: BeautifulSoup) -> dict[str, Any]:
    """The first NewsArticle-like object in any JSON-LD block (lists and @graph included)."""
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.get_text())
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = set(kind) if isinstance(kind, list) else {kind}
                if kinds & _ARTICLE_TYPES:
                    return item
                stack.extend(item.get("@graph", []))
    return {}


class _Cascade:
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


def _text(tag: Tag | None) -> str | None:
    return (clean_text(tag.get_text(" ")) or None) if tag is not None else None


def _labelled_date(
    page: _Page, label: str, itemprop: str
) -> tuple[datetime | None, datetime | None]:
    """(`time[itemprop][datetime]`, the `p.date` text after its label) from the header."""
    scope = page.header or page.soup
    time_tag = scope.select_one(f"time[itemprop={itemprop}][datetime]")
    attr = parse_iso_datetime(str(time_tag["datetime"])) if time_tag is not None else None
    text = None
    for p in scope.select("p.date, .date"):
        content = clean_text(p.get_text(" "))
        if content.startswith(label):
            text = parse_site_datetime(content[len(label) :])  # "입력" alone (the seed) -> None
            break
    return attr, text


def _ld_authors(page: _Page) -> tuple[Author, ...]:
    raw = page.ld.get("author")
    items = raw if isinstance(raw, list) else [raw] if raw else []
    authors = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            email = item.get("email") if isinstance(item, dict) else None
            authors.append(Author(_reporter_name(name), email if isinstance(email, str) else None))
    return tuple(a for a in authors if a.name.lower() not in _NOT_AUTHORS)


def _reporter_name(text: str) -> str:
    return re.sub(r"\s*(기자|특파원|선임기자)$", "", clean_text(text))


def _byline_authors(page: _Page) -> tuple[Author, ...]:
    scope = page.header or page.soup
    names = [_reporter_name(a.get_text()) for a in scope.select(".byline a")]
    return tuple(Author(n) for n in names if n and n.lower() not in _NOT_AUTHORS)


def _ab_byline(page: _Page) -> tuple[Author, ...]:
    tag = page.body.select_one(".ab_byline") if page.body is not None else None
    if tag is None:
        return ()
    text = clean_text(tag.get_text(" "))
    authors = []
    # "홍길동 기자 hong@joongang.co.kr 김철수 기자" -> names, each with the email after it
    matches = list(_REPORTER.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        email = _EMAIL.search(text, match.end(), end)
        authors.append(Author(match.group(1), email.group(0) if email else None))
    return tuple(authors)


def _authors(page: _Page, cascade: _Cascade) -> tuple[Author, ...]:
    closing = _ab_byline(page)
    emails = {a.name: a.email for a in closing if a.email}
    dable = page.meta.get("dable:author")
    candidates = [
        ("jsonld", _ld_authors(page)),
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
    img = page.body.select_one(".ab_photo img, figure img, img") if page.body else None
    return image_src(img, page.url) if img is not None else None


def _title_sources(page: _Page) -> list[tuple[str, Callable[[], str | None]]]:
    def h1() -> str | None:
        return _text(page.soup.select_one("h1.headline"))

    def og() -> str | None:
        return page.meta.get("og:title")

    def ld() -> str | None:
        value = page.ld.get("headline")
        return value if isinstance(value, str) else None

    def title_tag() -> str | None:
        return _text(page.soup.find("title"))

    return [("page", h1), ("meta", og), ("jsonld", ld), ("title", title_tag)]


def _member_only(page: _Page, url: str) -> bool:
    if "/plus/" in url or page.soup.select_one(".plus_login, .label_plus"):
        return True
    header_text = page.header.get_text(" ") if page.header is not None else ""
    return any(marker in header_text for marker in _MEMBER_TEXT) or any(
        marker in (page.body.get_text(" ") if page.body else "") for marker in _MEMBER_TEXT[1:]
    )


def page_url(html: str) -> str | None:
    """The URL a saved page names for itself (og:url, else rel=canonical)."""
    soup = BeautifulSoup(html, "lxml")
    url = _meta(soup).get("og:url")
    link = soup.find("link", rel="canonical")
    if not url and isinstance(link, Tag) and isinstance(link.get("href"), str):
        url = str(link["href"])
    return url or None


def parse_article(html: str, url: str, canonical_base: str) -> Article:
    """Extract one article page fetched from `url`. Raises ExtractError for a page that is not an
    article (no headline and no body container, or no id in the URL)."""
    requested = article_id(url)
    if requested is None:
        raise ExtractError(url, "URL holds no article id")
    page = _Page(html, url)
    if page.body is None and page.soup.select_one("h1.headline") is None:
        raise ExtractError(url, "not an article page (no h1.headline, no #article_body)")
    own = article_id(page.meta.get("og:url", ""), url)
    if own is not None and own != requested:
        raise ExtractError(url, f"page is article {own}, not {requested}")

    cascade = _Cascade()
    raw_title = cascade.first("title", _title_sources(page))
    if not raw_title:
        raise ExtractError(url, "no title")
    title, tagged = strip_factpl_tag(strip_site_suffix(clean_text(raw_title)))
    meta = page.meta

    pub_attr, pub_text = _labelled_date(page, "입력", "datePublished")
    mod_attr, mod_text = _labelled_date(page, "업데이트", "dateModified")
    daytime = _SERVICE_DAYTIME.search(page.window)
    published = cascade.first(
        "published",
        [
            ("jsonld", lambda: parse_iso_datetime(page.ld.get("datePublished"))),
            ("meta", lambda: parse_iso_datetime(meta.get("article:published_time"))),
            ("meta", lambda: parse_iso_datetime(meta.get("published_date"))),
            ("window.article", lambda: parse_site_datetime(daytime.group(1)) if daytime else None),
            ("page", lambda: pub_attr),
            ("page", lambda: pub_text),
        ],
    )
    updated_steps: list[tuple[str, Callable[[], datetime | None]]] = [
        ("jsonld", lambda: parse_iso_datetime(page.ld.get("dateModified"))),
        ("meta", lambda: parse_iso_datetime(meta.get("article:modified_time"))),
        ("page", lambda: mod_attr),
        ("page", lambda: mod_text),
    ]
    updated = next((v for _, v in ((s, f()) for s, f in updated_steps) if v), None)
    if updated is not None:
        cascade.provenance["updated"] = next(s for s, f in updated_steps if f())
    if updated is not None and published is not None and updated <= published:
        updated = None  # "modified" equal to "published" is not an update

    subhead = (page.header or page.soup).select(".subhead a")
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
            ("jsonld", lambda: page.ld.get("description") or None),
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
            clean_text(a.get_text()).lstrip("#").strip()
            for a in page.soup.select(".tag_wrap a.tag, .tag_wrap a")
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
