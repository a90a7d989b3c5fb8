"""Content-Encoding decoded by feedbot itself, every layer capped while it inflates."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedbot.fetch.encoding import Decoder, EncodingError, TooLarge, layers


def decode(data: bytes, header: str | None, limit: int = 10**6, piece: int = 7) -> bytes:
    chunks = [data[i : i + piece] for i in range(0, len(data), piece)] or [b""]
    return b"".join(Decoder(header, limit).stream(chunks))


def deflate_raw(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


def test_layers_are_undone_last_applied_first() -> None:
    assert layers("gzip, deflate") == ["deflate", "gzip"]
    assert layers("identity") == [] and layers(None) == []
    with pytest.raises(EncodingError, match="unsupported Content-Encoding 'br'"):
        layers("br")


@given(st.binary(max_size=3000), st.lists(st.sampled_from(["gzip", "deflate", "raw"]), max_size=3))
def test_any_stack_of_layers_round_trips(body: bytes, stack: list[str]) -> None:
    """Whatever the layers and however the bytes are split into chunks, the body comes back."""
    data = body
    for name in stack:
        data = {"gzip": gzip.compress, "deflate": zlib.compress, "raw": deflate_raw}[name](data)
    header = ", ".join("deflate" if name == "raw" else name for name in stack)
    for piece in (1, 5, 4096):
        assert decode(data, header, piece=piece) == body


def test_a_gzip_bomb_stops_at_the_cap_without_inflating_the_rest() -> None:
    """100 MB of zeros, gzipped twice, is 0.3 kB on the wire: decoding stops at the cap and its
    memory stays near the cap, not near 100 MB (httpx inflated whole chunks at once)."""
    bomb = gzip.compress(gzip.compress(b"\0" * 10**8))
    assert len(bomb) < 5000
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            decode(bomb, "gzip, gzip", limit=5_000_000, piece=65536)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30_000_000


def test_a_plain_body_labelled_gzip_is_read_as_it_is() -> None:
    decoder = Decoder("gzip", 10**6)
    assert b"".join(decoder.stream([b"<html>", b"plain</html>"])) == b"<html>plain</html>"
    assert decoder.passed_through == ["gzip"]
    assert decode(b"x", "gzip") == b"x"  # shorter than a gzip header


def test_broken_gzip_after_a_valid_header_is_an_encoding_error() -> None:
    with pytest.raises(EncodingError, match="bad gzip data"):
        decode(b"\x1f\x8b" + b"\xff" * 40, "gzip")


def test_concatenated_gzip_members_are_all_read() -> None:
    assert decode(gzip.compress(b"one ") + gzip.compress(b"two"), "gzip") == b"one two"


def test_thousands_of_members_and_trailing_bytes_are_no_trouble() -> None:
    """5,000 empty gzip members once exhausted the stack; a byte after a deflate stream once
    raised IndexError: both are read, bounded, as the body they carry."""
    body = gzip.compress(b"<p>page</p>") + gzip.compress(b"") * 5000
    assert decode(body, "gzip", piece=4096) == b"<p>page</p>"
    assert decode(zlib.compress(b"<p>page</p>") + b"x", "deflate") == b"<p>page</p>"
    assert decode(gzip.compress(b"<p>page</p>") + b"\x00\x00junk", "gzip") == b"<p>page</p>"


@pytest.mark.parametrize("piece", [1, 3, 4096])
def test_members_split_across_chunks_are_all_read(piece: int) -> None:
    body = gzip.compress(b"one ") + gzip.compress(b"two")
    assert decode(body, "gzip", piece=piece) == b"one two"


def test_a_truncated_stream_is_an_error_not_a_shorter_page() -> None:
    """A page cut at 60 % must not be stored as the whole page (and later seen as 'corrected')."""
    whole = gzip.compress(b"<p>" + "가나다라".encode() * 3000 + b"</p>")
    with pytest.raises(EncodingError, match="truncated gzip"):
        decode(whole[: len(whole) * 6 // 10], "gzip")
