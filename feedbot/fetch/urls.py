"""Where a request may go, decided without sending one: an URL's origin and host:port, the
allow-list of endpoints, and the target of a redirect."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from feedbot.errors import FetchError


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_port(url: str) -> str | None:
    """`host:port` of an http(s) URL, the scheme's default port filled in; None otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number or out of range
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in _DEFAULT_PORTS or not host:
        return None
    return f"{host}:{port or _DEFAULT_PORTS[parts.scheme]}"


def allowed_endpoints(entries: frozenset[str]) -> frozenset[str]:
    """`host` allows the default ports (80, 443); `host:port` that port only."""
    found = set()
    for entry in entries:
        explicit = host_port(f"http://{entry}")
        if explicit is None:
            continue
        if urlsplit(f"http://{entry}").port is None:
            host = explicit.rsplit(":", 1)[0]
            found |= {f"{host}:80", f"{host}:443"}
        else:
            found.add(explicit)
    return frozenset(found)


def redirect_target(url: str, status: int, location: str | None) -> str:
    """Where a redirect points, resolved against `url`; a FetchError for one that points
    nowhere a request can go (no Location, a broken URL)."""
    if not location:
        raise FetchError(url, f"HTTP {status} without a Location", status=status)
    try:
        target = urljoin(url, location.strip())
        urlsplit(target).port  # noqa: B018  (raises for a broken host or port)
    except ValueError as exc:
        raise FetchError(url, f"HTTP {status} to a broken URL {location[:80]!r}") from exc
    return target
