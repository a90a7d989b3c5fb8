"""JSON Feed 1.1 and RSS 2.0 alternates, and WebSub announcements (issue 7, parts 2 and 5)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import jsonschema
import pytest
from lxml import etree

from feedbot.config import Config, WebSubConfig
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from tests.helpers import fixed_now, newsboat_items, replica_config

NAMES = ("all", "ai", "crypto", "sme")
ATOM = "{http://www.w3.org/2005/Atom}"

# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) as a JSON Schema: the required members,
# their types, and RFC 3339 dates with an offset.
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "language": {"type": "string"},
        "authors": {"type": "array", "items": {"type": "object", "required": ["name"]}},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string"},
                    "date_published": {"type": "string", "pattern": RFC3339},
                    "date_modified": {"type": "string", "pattern": RFC3339},
                    "authors": {"type": "array", "items": {"type": "object", "required": ["name"]}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


@pytest.fixture
def site(replica: ReplicaServer, tmp_path: Path) -> Config:
    config = replica_config(replica, tmp_path)
    execute(config, fixed_now)
    return config


def atom_entries(config: Config, name: str) -> dict[str, tuple[str, str, str]]:
    root = etree.parse(str(config.output.dir / f"{name}.atom")).getroot()
    return {
        e.findtext(f"{ATOM}id") or "": (
            e.findtext(f"{ATOM}title") or "",
            e.findtext(f"{ATOM}published") or "",
            e.findtext(f"{ATOM}updated") or "",
        )
        for e in root.iter(f"{ATOM}entry")
    }


@pytest.mark.parametrize("name", NAMES)
def test_json_feed_is_valid_and_mirrors_the_atom_feed(site: Config, name: str) -> None:
    data = json.loads((site.output.dir / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, JSON_FEED_SCHEMA)
    atom = atom_entries(site, name)
    assert [item["id"] for item in data["items"]] == list(atom)  # same ids, same order
    for item in data["items"]:
        title, published, updated = atom[item["id"]]
        assert item["title"] == title
        assert item["date_published"] == published and item["date_modified"] == updated
    assert data["feed_url"] == f"http://127.0.0.1:8000/{name}.json"


@pytest.mark.parametrize("name", NAMES)
def test_rss_mirrors_the_atom_feed_with_rfc822_dates(site: Config, name: str) -> None:
    parsed = feedparser.parse((site.output.dir / f"{name}.rss").read_bytes())
    assert parsed.bozo == 0 and parsed.version == "rss20"
    atom = atom_entries(site, name)
    assert [e.id for e in parsed.entries] == list(atom)
    root = etree.parse(str(site.output.dir / f"{name}.rss")).getroot()
    for item in root.iter("item"):
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "false"
        pub_date = item.findtext("pubDate") or ""
        assert pub_date.endswith("+0900") and pub_date[:3] in {
            "Mon",
            "Tue",
            "Wed",
            "Thu",
            "Fri",
            "Sat",
            "Sun",
        }
        published = atom[guid.text or ""][1]
        assert parsedate_to_datetime(pub_date) == datetime.fromisoformat(published)


def test_atom_and_index_advertise_the_alternates(site: Config) -> None:
    root = etree.parse(str(site.output.dir / "ai.atom")).getroot()
    links = {
        (link.get("rel"), link.get("type")): link.get("href")
        for link in root.findall(f"{ATOM}link")
    }
    assert links[("alternate", "application/feed+json")] == "http://127.0.0.1:8000/ai.json"
    assert links[("alternate", "application/rss+xml")] == "http://127.0.0.1:8000/ai.rss"
    page = (site.output.dir / "index.html").read_text(encoding="utf-8")
    assert (
        'type="application/feed+json" title="팩플 큐레이션: AI (JSON Feed)" '
        'href="http://127.0.0.1:8000/ai.json"' in page
    )
    assert 'href="http://127.0.0.1:8000/ai.rss"' in page


def test_rss_is_written_without_touching_the_locale(
    site: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """feedgen's RSS writer sets LC_ALL process-wide; ours must never call setlocale."""
    import locale

    from feedbot.publish.build import write_output
    from feedbot.store.db import Store

    def forbidden(*args: object) -> str:
        raise AssertionError("setlocale called")

    monkeypatch.setattr(locale, "setlocale", forbidden)
    (site.output.dir / "ai.rss").unlink()
    with Store(site.store.path) as store:
        assert "ai.rss" in write_output(site, store).written


def test_newsboat_reads_the_rss_alternate(site: Config, tmp_path: Path) -> None:
    url = f"file://{site.output.dir / 'ai.rss'}"
    assert newsboat_items(url, tmp_path / "nb") == len(atom_entries(site, "ai"))


# -- WebSub --------------------------------------------------------------------------------------


class _Hub(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status: int) -> None:
        self.pings: list[dict[str, list[str]]] = []
        self.status = status
        super().__init__(("127.0.0.1", 0), _HubHandler)


class _HubHandler(BaseHTTPRequestHandler):
    server: _Hub

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.server.pings.append(parse_qs(body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hub() -> Iterator[_Hub]:
    server = _Hub(204)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def with_hub(config: Config, url: str) -> Config:
    return replace(config, websub=WebSubConfig(hub=url, timeout_s=2.0))


def test_websub_one_ping_per_changed_feed_and_none_without_change(
    replica: ReplicaServer, tmp_path: Path, hub: _Hub
) -> None:
    url = f"http://127.0.0.1:{hub.server_address[1]}/"
    config = with_hub(replica_config(replica, tmp_path), url)
    execute(config, fixed_now)
    announced = sorted(p["hub.url"][0] for p in hub.pings)
    assert announced == [f"http://127.0.0.1:8000/{n}.atom" for n in sorted(NAMES)]
    assert all(p["hub.mode"] == ["publish"] for p in hub.pings)
    root = etree.parse(str(config.output.dir / "all.atom")).getroot()
    assert [
        link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "hub"
    ] == [url]
    hub.pings.clear()
    execute(config, fixed_now)  # nothing changed
    assert hub.pings == []
    from tests.helpers import fresh_story

    replica.site.add(fresh_story(7))  # one new crypto story: all.atom and crypto.atom change
    execute(config, fixed_now)
    assert sorted(p["hub.url"][0] for p in hub.pings) == [
        "http://127.0.0.1:8000/all.atom",
        "http://127.0.0.1:8000/crypto.atom",
    ]


def test_a_failing_hub_never_fails_the_run(replica: ReplicaServer, tmp_path: Path) -> None:
    failing = _Hub(500)
    thread = threading.Thread(target=failing.serve_forever, daemon=True)
    thread.start()
    try:
        config = with_hub(
            replica_config(replica, tmp_path), f"http://127.0.0.1:{failing.server_address[1]}/"
        )
        waits: list[float] = []
        report = execute(config, fixed_now, sleep=waits.append)  # waits measured, not spent
    finally:
        failing.shutdown()
        failing.server_close()
    assert report.new == 45
    assert len(failing.pings) == 4 * 3  # four feeds, three tries each
    assert sorted(w for w in waits if w >= 0.5) == [0.5] * 4 + [1.0] * 4  # backoff between tries
    assert any("WebSub ping" in note and "HTTP 500" in note for note in report.notes)
    status = json.loads(config.status_file.read_text())
    assert any("WebSub ping" in note for note in status["health"])


# -- the lead image, and what the W3C feed validator checks -------------------------------------

MEDIA = "{http://search.yahoo.com/mrss/}"
GPU_STORY = 25401480  # the replica's story with a lead image


def test_rss_and_json_feed_items_carry_the_lead_image(site: Config) -> None:
    root = etree.parse(str(site.output.dir / "ai.rss")).getroot()
    item = next(
        i for i in root.iter("item") if (i.findtext("guid") or "").endswith(f"/{GPU_STORY}")
    )
    content, thumbnail = item.find(f"{MEDIA}content"), item.find(f"{MEDIA}thumbnail")
    assert content is not None and thumbnail is not None and item.find("enclosure") is None
    assert content.get("medium") == "image" and content.get("url", "").endswith("gpu.jpg")
    assert thumbnail.get("url") == content.get("url")
    data = json.loads((site.output.dir / "ai.json").read_text(encoding="utf-8"))
    (story,) = [i for i in data["items"] if i["id"].endswith(f"/{GPU_STORY}")]
    assert story["image"] == content.get("url")
    atom = etree.parse(str(site.output.dir / "ai.atom")).getroot()
    assert content.get("url") in {t.get("url") for t in atom.iter(f"{MEDIA}thumbnail")}
    parsed = feedparser.parse((site.output.dir / "ai.rss").read_bytes())
    gpu = next(e for e in parsed.entries if e.id.endswith(f"/{GPU_STORY}"))
    assert gpu.media_thumbnail[0]["url"] == content.get("url")  # a real parser reads it


def test_every_format_links_the_feed_page_as_home(site: Config) -> None:
    for name in NAMES:
        page = f"http://127.0.0.1:8000/{name}.html"
        root = etree.parse(str(site.output.dir / f"{name}.rss")).getroot()
        assert root.findtext("channel/link") == page == root.findtext("channel/image/link")
        data = json.loads((site.output.dir / f"{name}.json").read_text(encoding="utf-8"))
        assert data["home_page_url"] == page


def test_no_feed_declares_the_tombstone_namespace_without_a_tombstone(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    """The W3C feed validator warns about a namespace it does not know (it predates RFC 6721),
    so `at:` is declared only where a tombstone needs it."""
    config = replica_config(replica, tmp_path)
    config = replace(config, site=replace(config.site, recheck_hours=0.0))
    execute(config, fixed_now)
    for name in NAMES:
        assert b"tombstones/1.0" not in (config.output.dir / f"{name}.atom").read_bytes()
    replica.site.remove(GPU_STORY)  # an ai story: its tombstone goes into ai.atom and all.atom
    execute(config, fixed_now)
    holding = {
        name
        for name in NAMES
        if "at" in etree.parse(str(config.output.dir / f"{name}.atom")).getroot().nsmap
    }
    assert holding == {"ai", "all"}


def test_opml_carries_nothing_the_w3c_validator_rejects(site: Config) -> None:
    """No `<docs>` in the head and no outline `version` (it may only name an RSS flavour)."""
    root = etree.parse(str(site.output.dir / "feeds.opml")).getroot()
    head = root.find("head")
    assert head is not None and [child.tag for child in head] == [
        "title",
        "dateModified",
        "ownerId",
    ]
    outlines = list(root.iter("outline"))
    assert outlines and all(o.get("version") is None for o in outlines)
    assert [o.get("htmlUrl") for o in outlines] == [
        f"http://127.0.0.1:8000/{name}.html" for name in NAMES
    ]
