"""The bounds of one request in time: its deadline (redirects, retries and waits included) and
the watchdog that ends it however it is stuck."""

from __future__ import annotations

import socket
import threading
import weakref
from contextlib import suppress
from dataclasses import dataclass


@dataclass
class Deadline:
    """When a request (with its redirects, retries and waits) must be over. It starts with the
    first attempt, and the politeness gaps before attempts do not count: they are ours, bounded
    by the Crawl-delay cap, not the site being slow."""

    seconds: float
    at: float | None = None

    def begin(self, now: float, paced: float) -> float:
        """Seconds left, at an attempt that waited `paced` for politeness first."""
        self.at = now + self.seconds if self.at is None else self.at + paced
        return self.at - now


class Watchdog:
    """Ends a request that outlives its deadline however it is stuck (headers trickling in, a
    read that never times out because a byte arrives just in time): the sockets the client
    opened are learnt from httpcore's `trace` extension and shut down when time is up, which
    makes the blocked read return at once. One request at a time per fetcher."""

    def __init__(self) -> None:
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._timer: threading.Timer | None = None
        self.fired = False

    def trace(self, event: str, info: dict[str, object]) -> None:
        if event == "connection.connect_tcp.complete":
            stream = info.get("return_value")
            sock = getattr(stream, "get_extra_info", lambda _name: None)("socket")
            if isinstance(sock, socket.socket):
                self._sockets.add(sock)

    def start(self, seconds: float) -> None:
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self) -> None:
        self.fired = True
        for sock in list(self._sockets):
            with suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)
