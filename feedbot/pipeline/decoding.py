"""A fetched or archived page's bytes to text, through the extractor's charset rules; what they
had to ignore or replace goes into the log with the page's URL."""

from __future__ import annotations

import logging

from feedbot.extract import decode_page

log = logging.getLogger(__name__)


def page_text(body: bytes | None, content_type: str | None, url: str) -> str:
    decoded = decode_page(body or b"", content_type)
    for warning in decoded.warnings:
        log.warning("%s url=%s", warning, url)
    return decoded.text
