"""Pure helpers: canonical URLs and ids, text clean-up, XML-safe strings, site dates in KST."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")

_ARTICLE_PATH = re.compile(r"/article/(\d{5,10})(?:/|$)")
_SITE_NAME = "중앙일보"  # the suffix of a page title: `헤드라인 | 중앙일보`
_FACTPL_TAG = "[팩플]"
_IMAGE_RENDITION = re.compile(r"(\.(?:jpe?g|png|gif|webp))/_ir[^/]*_/?$", re.IGNORECASE)
# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BROWSER_FIXES = str.maketrans({"\t": None, "\n": None, "\r": None, " ": "%20"})
_BROWSER_CHARS = frozenset("\t\n\r ")
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200a\u3000]+")


def article_id(href: str, base: str = "") -> int | None:
    """The numeric article id an href points to, whatever its host, query or fragment."""
    href = href.strip()
    if not href:
        return None
    try:
        match = _ARTICLE_PATH.search(urlsplit(absolute_url(href, base)).path)
    except ValueError:  # a link no URL parser accepts (`http://[::1/...`): no article
        return None
    return int(match.group(1)) if match else None


def canonical_article_url(article_id: int, canonical_base: str) -> str:
    """`<base>/article/<id>`: no query, no fragment, no trailing slash."""
    return f"{canonical_base.rstrip('/')}/article/{article_id}"


def absolute_url(href: str, base: str) -> str:
    """Resolve a (possibly relative or protocol-relative) href against the page URL.

    Protocol-relative `//host/…` links become https whatever scheme the page came over, so a
    page fetched over plain HTTP (a local replica, a proxy) still yields the public URL. Inside
    it, tabs and line breaks are removed and a space is `%20`, as a browser reads it (the URL
    standard), so that public_url does not refuse a link a reader could follow."""
    href = href.strip()
    if not _BROWSER_CHARS.isdisjoint(href):
        href = href.translate(_BROWSER_FIXES)
    if href.startswith("//"):
        return "https:" + href
    if href.startswith(("https://", "http://")) and not href.endswith(("?", "#")):
        return href  # what urljoin returns for it, without parsing both URLs
    try:
        return urljoin(base, href)
    except ValueError:  # `HTTPS://[::1/x`: no URL parser accepts it; public_url then refuses it
        return href


def public_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL with a host that a feed or page may carry as it
    is; None for anything else (`javascript:`, `data:`, relative, spaces, control characters,
    and what XML cannot carry: lone surrogates, U+FFFE, U+FFFF — an attribute holding one makes
    lxml refuse the whole feed, not just the entry)."""
    if not url or url != url.strip() or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    if _XML_ILLEGAL.search(url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def email_address(value: str | None) -> str | None:
    """`value` when it is a plain e-mail address (`valid_email`), else None: what keeps "hong" or
    "hong@" out of Atom's <email>, which the schema and readers reject."""
    return value if value and valid_email(value) else None


def original_image_url(src: str, base: str) -> str | None:
    """The image's absolute URL without the `/_ir…_/` rendition suffix the site appends to pds
    image URLs; None when that is not a `public_url` (so that the next candidate is tried)."""
    return public_url(_IMAGE_RENDITION.sub(r"\1", absolute_url(src, base)))


def xml_safe(text: str) -> str:
    """Remove characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _XML_ILLEGAL.sub("", text)


def clean_text(text: str) -> str:
    """NFC, XML-safe, no-break and other spaces folded into one ASCII space, trimmed."""
    if not text.isascii():  # ASCII is always NFC
        text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", xml_safe(text)).strip()


def strip_site_suffix(title: str) -> str:
    """`헤드라인 | 중앙일보` -> `헤드라인` (also the ` - 중앙일보` form). Read from the end, not by
    a pattern searched from every position, whose leading white space made it quadratic in a
    run of white space (an 80 kB title of newlines and spaces took half a minute)."""
    head = title.rstrip()
    if not head.endswith(_SITE_NAME):
        return title.strip()
    head = head[: -len(_SITE_NAME)].rstrip()
    return head[:-1].strip() if head.endswith(("|", "-")) else title.strip()


def strip_factpl_tag(title: str) -> tuple[str, bool]:
    """Remove an exact `[팩플]` at either end; `[팩플레터]` and `[속보]` stay."""
    title = title.strip()
    if title.startswith(_FACTPL_TAG):
        return title[len(_FACTPL_TAG) :].strip(), True
    if title.endswith(_FACTPL_TAG):
        return title[: -len(_FACTPL_TAG)].strip(), True
    return title, False


# Dates outside these years are no 팩플 dates (the section began in 2020; the site in 1995) but
# a page's mistake, and the extremes would overflow when moved to UTC: they read as no date.
FIRST_YEAR, LAST_YEAR = 1990, 2100
YEARS = f"{FIRST_YEAR}–{LAST_YEAR}"


def _in_range(moment: datetime) -> datetime | None:
    return moment if FIRST_YEAR <= moment.year <= LAST_YEAR else None


_SITE_DATE = re.compile(
    r"(\d{4})[.\-/]\s*(\d{1,2})[.\-/]\s*(\d{1,2})\.?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


def parse_site_datetime(text: str | None) -> datetime | None:
    """`2026.03.14 00:34` (or `2026-03-14 00:34:00`, or a bare date) in Korea time; None for no
    date, or one outside `YEARS`."""
    if not text:
        return None
    match = _SITE_DATE.search(text)
    if not match:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
    try:
        return _in_range(datetime(y, mo, d, h, mi, s, tzinfo=KST))
    except ValueError:
        return None


def parse_iso_datetime(text: str | None) -> datetime | None:
    """An ISO 8601 / RFC 3339 timestamp; one without an offset is read as Korea time. None for
    no timestamp, or one outside `YEARS`."""
    if not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return parse_site_datetime(value)
    if parsed.tzinfo is None:
        return _in_range(parsed.replace(tzinfo=KST))
    offset = parsed.utcoffset()
    if offset is None or abs(offset) >= timedelta(hours=24):
        return None
    if offset % timedelta(minutes=1):  # `+09:00:30`: Python takes it, RFC 3339 has no such form
        parsed = parsed.astimezone(KST)  # the same moment, written with an offset RFC 3339 has
    return _in_range(parsed)


# RFC 5322 addr-spec, dot-atom form (what a byline prints): atoms of its `atext` joined by dots,
# then a host name of at least two labels. No quoted local parts or address literals: a byline
# never carries them, and anything fancier is more likely junk than an address.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")


def valid_email(text: str) -> bool:
    """Whether `text` is an e-mail address (a simple RFC 5322 addr-spec check, ≤ 254 chars)."""
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


def to_kst(moment: datetime) -> datetime:
    return moment.astimezone(KST)


def content_hash(title: str, body_text: str) -> str:
    """Hash of what makes a change significant: the title and the body's text. Ads, tracking
    parameters and markup are not part of it, so changing them never marks an entry updated."""
    canonical = (
        clean_text(title)
        + "\n"
        + "\n".join(clean_text(line) for line in body_text.splitlines() if line.strip())
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
