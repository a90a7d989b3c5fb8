"""What an outside tester sent to the list page and robots.txt, after the article pages held:
one odd card, link, header, charset or encoding must cost at most that card or that page, and
a page that cannot be read is a one-line error with a documented exit code, never a crash."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from feedbot.cli import main
from feedbot.ops.runner import execute
from feedbot.replica import ReplicaServer
from feedbot.replica.server import Scripted
from feedbot.store.db import Store
from tests.helpers import fixed_now, replica_config, write_config


def listing(replica: ReplicaServer, page: int = 1) -> str:
    return replica.site.page("/factpl", {"page": [str(page)]}).body.decode()


def first_card_at(html: str, card: str) -> str:
    start = html.index('id="story_list"')
    start = html.index(">", start) + 1
    return html[:start] + card + html[start:]


@pytest.mark.parametrize(
    "card",
    [
        '<li class="card"><h2 class="headline"><a href="http://[::1/article/25409999">x</a></h2></li>',
        '<li class="card"><h2 class="headline"><a href="//[x/article/25409999">x</a></h2></li>',
        '<li class="card"><p class="date">99999.99.99 99:99</p><a href="/article/1">x</a></li>',
    ],
)
def test_one_odd_card_costs_only_itself(replica: ReplicaServer, tmp_path: Path, card: str) -> None:
    config = replica_config(replica, tmp_path)
    replica.script("/factpl", Scripted(200, body=first_card_at(listing(replica), card).encode()))
    assert execute(config, fixed_now).new == 45


def test_a_page_number_of_five_thousand_digits_is_not_a_page(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = replica_config(replica, tmp_path)
    html = listing(replica).replace("</nav>", f'<a href="?page={"9" * 5000}">9</a></nav>', 1)
    replica.script("/factpl", Scripted(200, body=html.encode()))
    assert execute(config, fixed_now).new == 45


@pytest.mark.parametrize(
    ("where", "answer"),
    [
        ("list", Scripted(503, headers={"Retry-After": "²"})),
        ("list", Scripted(302, headers={"Location": "http://[x"})),
        ("list", Scripted(302, headers={"Location": "javascript:alert(1)"})),
        (
            "list",
            Scripted(
                200, headers={"Content-Type": "text/html; charset=undefined"}, body=b"<html>\xff"
            ),
        ),
        (
            "list",
            Scripted(
                200, headers={"Content-Encoding": "deflate"}, body=zlib.compress(b"<p>x</p>") + b"x"
            ),
        ),
        (
            "robots",
            Scripted(
                200,
                headers={"Content-Type": "text/plain; charset=idna"},
                body=b"User-agent: *\n\xff",
            ),
        ),
        (
            "robots",
            Scripted(
                200,
                headers={"Content-Encoding": "gzip"},
                body=gzip.compress(b"Allow: /\n") + gzip.compress(b"") * 5000,
            ),
        ),
    ],
)
def test_an_odd_answer_on_page_one_or_robots_is_one_line_never_a_crash(
    replica: ReplicaServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
    answer: Scripted,
) -> None:
    config = replica_config(replica, tmp_path)
    path = write_config(config, tmp_path / "c.toml")
    replica.script("/factpl" if where == "list" else "/robots.txt", answer, answer)
    code = main(["-q", "run", "--config", str(path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 1, 4), err
    assert not any("internal error" in line for line in err), err
    with replica._server._lock:
        replica._server.scripts.clear()
    assert main(["-q", "run", "--config", str(path)]) == 0  # the next run, undisturbed


def test_robots_txt_redirects_are_followed(replica: ReplicaServer, tmp_path: Path) -> None:
    """RFC 9309 §2.3.1.2: robots.txt moved (http -> https is common) is still obeyed."""
    config = replica_config(replica, tmp_path)
    replica.script("/robots.txt", Scripted(301, headers={"Location": "/moved-robots.txt"}))
    replica.script(
        "/moved-robots.txt",
        Scripted(
            200,
            headers={"Content-Type": "text/plain"},
            body=b"User-agent: *\nDisallow: /article/\n",
        ),
    )
    report = execute(config, fixed_now)
    assert report.new == 0
    assert not any(r.path.startswith("/article/") for r in replica.requests)
    with Store(config.store.path) as store:
        assert store.count() == 0
