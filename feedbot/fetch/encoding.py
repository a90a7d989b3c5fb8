"""Content-Encoding, decoded by us with a cap on what each layer may produce. Pure (zlib only).

httpx would inflate every chunk it reads in one call, however much it grows: a 6.8 KB body
gzipped twice (`Content-Encoding: gzip, gzip`) took 8 GB of memory before the size cap was
checked. Here every layer inflates at most `limit` bytes (`decompressobj(max_length)`), so the
cap holds while decoding, for any number of layers.

A body labelled gzip that is not gzip at all (a misconfigured server) is read as it is, with a
warning, rather than failing the page: the bytes are what the server meant to send.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

# What we ask for (Accept-Encoding). Brotli and zstd need libraries we do not carry.
ACCEPTED = "gzip, deflate"
_GZIP_MAGIC = b"\x1f\x8b"


class EncodingError(ValueError):
    """The body cannot be decoded as its Content-Encoding says (the reason is the message)."""


class TooLarge(ValueError):
    """A layer produced more than the limit."""


# Each layer holds its own zlib state (about 35 KB): 14,000 of them, which a 100 KB header
# can name, took 524 MB. No server applies more than two.
MAX_LAYERS = 5


def layers(header: str | None) -> list[str]:
    """Encodings in the order they must be undone (the header lists them as applied)."""
    names = [part.strip().lower() for part in (header or "").split(",")]
    names = [name for name in names if name and name != "identity"]
    if len(names) > MAX_LAYERS:
        raise EncodingError(f"{len(names)} Content-Encoding layers; at most {MAX_LAYERS} are read")
    for name in names:
        if name not in ("gzip", "x-gzip", "deflate"):
            raise EncodingError(f"unsupported Content-Encoding {name!r}")
    return list(reversed(names))


class _Inflater:
    """One layer, fed chunk by chunk, never producing more than `limit` bytes in all."""

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.limit = limit
        self.produced = 0
        self.plain = False  # labelled gzip, but not gzip: passed through
        self.finished = False  # a whole stream was read (set again by each gzip member)
        self.ignoring = False  # past the end: what follows is not another member
        self._start = b""  # the first bytes, until we can tell what they are
        self._z: zlib._Decompress | None = None

    def feed(self, data: bytes) -> bytes:
        if self.finished and self._z is None:
            return self._after_end(data)
        if self._z is None and not self.plain:
            self._start += data
            if len(self._start) < 2:
                return b""
            data, self._start = self._start, b""
            self._begin(data)
        if self.plain:
            return self._count(data)
        return self._inflate(data)

    def _after_end(self, data: bytes) -> bytes:
        """Bytes after a complete stream: another gzip member, or trailing bytes (ignored)."""
        if self.ignoring or self.name == "deflate":
            return b""
        self._start += data
        if len(self._start) < 2:
            return b""
        data, self._start = self._start, b""
        if not data.startswith(_GZIP_MAGIC):
            self.ignoring = True
            return b""
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.finished = False
        return self._inflate(data)

    def _begin(self, data: bytes) -> None:
        if self.name in ("gzip", "x-gzip"):
            if not data.startswith(_GZIP_MAGIC):
                self.plain = True
                return
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        else:  # deflate: RFC 9110 says zlib-wrapped; some servers send raw deflate
            raw = (data[0] & 0x0F) != 8 or (data[0] << 8 | data[1]) % 31 != 0
            self._z = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def _inflate(self, data: bytes) -> bytes:
        """Inflate `data`; gzip members back to back are read one after another (a loop, not
        recursion: a body of 5,000 empty members must not exhaust the stack)."""
        out = []
        while data:
            assert self._z is not None
            try:
                piece = self._z.decompress(data, self.limit - self.produced + 1)
            except zlib.error as exc:
                raise EncodingError(f"bad {self.name} data: {exc}") from exc
            out.append(self._count(piece))
            if not self._z.eof:
                data = self._z.unconsumed_tail
                continue
            rest = self._z.unused_data
            self._z = None
            self.finished = True
            if self.name == "deflate":
                break
            if len(rest) < len(_GZIP_MAGIC):
                # too short to tell (a read that ends one byte into the next member):
                # _after_end decides when more comes, or finish() drops it as trailing
                self._start = rest
                break
            if not rest.startswith(_GZIP_MAGIC):
                self.ignoring = True  # what follows a complete stream is not another member
                break
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self.finished = False
            data = rest
        return b"".join(out)

    def _count(self, piece: bytes) -> bytes:
        self.produced += len(piece)
        if self.produced > self.limit:
            raise TooLarge(f"{self.name} layer inflates past {self.limit} bytes")
        return piece

    def finish(self) -> bytes:
        if self.finished:
            return b""  # a trailing byte or two after the stream: not content
        if self._start:  # a body shorter than two bytes: whatever it was, it is plain
            self.plain = True
            data, self._start = self._start, b""
            return self._count(data)
        if self._z is not None:
            # the body stopped inside a compressed stream: a page cut short, not a whole one
            raise EncodingError(f"truncated {self.name} data (the stream does not end)")
        return b""


class Decoder:
    """Undo the layers of `header` on a stream of raw chunks, each layer capped at `limit`."""

    def __init__(self, header: str | None, limit: int) -> None:
        self.inflaters = [_Inflater(name, limit) for name in layers(header)]

    @property
    def passed_through(self) -> list[str]:
        """Layers that were labelled but not applied (a plain body called gzip)."""
        return [i.name for i in self.inflaters if i.plain]

    def stream(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            for inflater in self.inflaters:
                chunk = inflater.feed(chunk)
            if chunk:
                yield chunk
        tail = b""
        for inflater in self.inflaters:
            tail = inflater.feed(tail) if tail else b""
            tail += inflater.finish()
        if tail:
            yield tail
