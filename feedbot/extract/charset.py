"""A page's characters from its bytes and Content-Type (`decode_page`): the HTML standard's
order of evidence, and the labels a web page may use."""

from __future__ import annotations

import codecs
import re

from feedbot.extract.dom import declared_charset, strip_byte_order_mark
from feedbot.models import DecodedPage

# The order is the HTML standard's: a byte order mark, then the Content-Type header's charset,
# then the page's own <meta charset> (or XML declaration), then the default. Each is tried
# strictly, in that order; the first that decodes every byte wins, so a stale <meta> is never
# read when the header's charset fits, and a server that labels CP949 bytes as UTF-8 is read
# by the page's own declaration. When none fits, the first usable one decodes with U+FFFD for
# the bad bytes (and a warning). The default after UTF-8 is CP949: the site is Korean, and an
# undeclared page that is not UTF-8 is, as browsers in Korea assume, EUC-KR.

# Labels Python does not know, or knows as something narrower. Korean pages labelled EUC-KR
# are in practice CP949 (its superset, UHC): decoding them as strict EUC-KR turns every
# extended syllable (똠, 햏, …) into U+FFFD. ASCII and Latin-1 labels mean windows-1252, as in
# every browser.
_ALIASES = {
    "euc-kr": "cp949",
    "euckr": "cp949",
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ksc5601": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "uhc": "cp949",
    "windows-874": "cp874",
    "x-mac-cyrillic": "mac-cyrillic",
    "windows-31j": "cp932",
    "gb2312": "gbk",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
}
# Python codecs a web page may be in: the HTML standard's encodings that are ASCII-compatible
# (UTF-16/32 only with a byte order mark). Python knows others (utf-7, idna, unicode-escape,
# "undefined", EBCDIC) that are no page encoding, some of them dangerous (UTF-7 smuggles
# markup past a filter).
_WEB_CODECS = frozenset(
    {
        "utf-8",
        "cp1252",
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        *(f"cp{n}" for n in range(1250, 1259)),
        "cp866",
        "cp874",
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "mac-cyrillic",
        "gbk",
        "gb18030",
        "big5",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "shift_jis",
        "cp932",
        "cp949",
    }
)
_DEFAULTS = ("utf-8", "cp949")
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([^\s;"']*)""", re.IGNORECASE)
MAX_LABEL = 40  # the longest real label is 24 characters


def codec_for(label: str) -> tuple[str | None, str]:
    """(the Python codec for a charset label, or None and why it cannot be used)."""
    name = label.strip().strip("\"'").lower()
    if not name:
        return None, "empty"
    if len(name) > MAX_LABEL:
        return None, f"longer than {MAX_LABEL} characters"
    name = _ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None, "unknown"
    codec = _ALIASES.get(codec, codec)
    if codec not in _WEB_CODECS:
        return None, "not a web page encoding"
    return codec, ""


def header_charset(content_type: str | None) -> str | None:
    """The `charset` parameter of a Content-Type header, as written."""
    match = _CHARSET_PARAM.search(content_type or "")
    return match.group(1) if match else None


def _shown(label: str) -> str:
    return repr(label if len(label) <= MAX_LABEL else label[:MAX_LABEL] + "…")


def decode_page(body: bytes, content_type: str | None) -> DecodedPage:
    """The characters of a page fetched as `body` with this Content-Type header."""
    data, bom = strip_byte_order_mark(body)
    if bom is not None:  # the byte order mark is authoritative (HTML standard, 13.2.3.1)
        try:
            return DecodedPage(data.decode(bom), bom, "bom", False, ())
        except UnicodeDecodeError:
            text = data.decode(bom, errors="replace")
            return DecodedPage(text, bom, "bom", True, (f"undecodable bytes replaced ({bom})",))
    warnings_: list[str] = []
    candidates: list[tuple[str, str]] = []  # (codec, where it came from)
    declared = (
        ("Content-Type header", header_charset(content_type)),
        ("<meta charset>", declared_charset(data)),
    )
    for where, label in declared:
        if label is None:
            continue
        codec, why = codec_for(label)
        if codec is None:
            warnings_.append(f"charset {_shown(label)} in the {where} is {why}; ignored")
        else:
            candidates.append((codec, where))
    candidates += [(codec, "default") for codec in _DEFAULTS]
    tried: set[str] = set()
    for codec, where in candidates:
        if codec in tried:
            continue
        tried.add(codec)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        first = candidates[0]
        if where != first[1] and first[1] != "default":
            warnings_.append(
                f"the bytes are not {first[0]} as the {first[1]} says; read as {codec}"
            )
        return DecodedPage(text, codec, where, False, tuple(warnings_))
    codec, where = candidates[0]
    warnings_.append(f"undecodable bytes replaced (read as {codec}, from the {where})")
    return DecodedPage(data.decode(codec, errors="replace"), codec, where, True, tuple(warnings_))
