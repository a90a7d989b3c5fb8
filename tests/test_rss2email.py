"""A second real feed client besides newsboat: Debian's rss2email (feedparser-based; it mails
each new entry once). It reads the served Atom and RSS feeds three times: after the first run,
after a run with nothing new, and after a source correction plus one new story. Every story must
arrive exactly once: a correction moves `updated` but keeps the id, so it is no new entry.

No mail leaves the machine: rss2email delivers into a Maildir in the test's directory.
.ci/run installs rss2email and sets FEEDBOT_REQUIRE_RSS2EMAIL=1; elsewhere the test is skipped.
"""

from __future__ import annotations

import mailbox
import os
import subprocess
import threading
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from lxml import etree

from feedbot.ops.runner import execute
from feedbot.ops.serve import make_server
from feedbot.replica import ReplicaServer
from feedbot.replica.stories import STORIES
from tests.helpers import fixed_now, fresh_story, replica_config, require_tool

ATOM = "{http://www.w3.org/2005/Atom}"
CORRECTED = 25401455  # the Upbit story: in all.atom and crypto.rss


def feed_ids(out: Path) -> dict[str, set[str]]:
    """What the served feeds hold now, by the URL path rss2email reads them from."""
    atom = etree.parse(str(out / "all.atom")).getroot()
    rss = etree.parse(str(out / "crypto.rss")).getroot()
    return {
        "all.atom": {e.findtext(f"{ATOM}id") or "" for e in atom.iter(f"{ATOM}entry")},
        "crypto.rss": {i.findtext("guid") or "" for i in rss.iter("item")},
    }


def test_rss2email_delivers_each_story_exactly_once(replica: ReplicaServer, tmp_path: Path) -> None:
    r2e = require_tool("r2e", "FEEDBOT_REQUIRE_RSS2EMAIL")
    config = replica_config(replica, tmp_path)
    config = replace(config, site=replace(config.site, recheck_hours=0.0))
    execute(config, fixed_now)
    out = config.output.dir
    server = make_server(out, 0, verbose=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    home = tmp_path / "r2e"
    home.mkdir()
    (home / "rss2email.cfg").write_text(
        "[DEFAULT]\n"
        "from = feedbot-test@example.invalid\n"
        "to = reader@example.invalid\n"
        "email-protocol = maildir\n"
        f"maildir-path = {home}\n"
        "maildir-mailbox = mail\n",
        encoding="utf-8",
    )
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home)}

    def r2e_run(*args: str) -> None:
        command = [r2e, "-c", str(home / "rss2email.cfg"), "-d", str(home / "data.json"), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
        assert result.returncode == 0, result.stderr

    def delivered() -> Counter[tuple[str, str]]:
        """(feed file, entry id) of every mail in the Maildir."""
        box = mailbox.Maildir(home / "mail", create=False)
        return Counter((str(m["X-RSS-Feed"]).removeprefix(base), str(m["X-RSS-ID"])) for m in box)

    def expected() -> Counter[tuple[str, str]]:
        return Counter((feed, i) for feed, ids in feed_ids(out).items() for i in ids)

    try:
        r2e_run("add", "all", base + "all.atom")
        r2e_run("add", "crypto", base + "crypto.rss")
        r2e_run("run")
        first = delivered()
        assert first == expected() and len(first) == 30 + 11  # every story, each once

        execute(config, lambda: fixed_now() + timedelta(hours=1))  # nothing new on the site
        r2e_run("run")
        assert delivered() == first

        story = next(s for s in STORIES if s.id == CORRECTED)
        replica.site.edit(CORRECTED, blocks=(*story.blocks, "업비트는 보상 계획을 고쳐 발표했다."))
        replica.site.add(fresh_story(5))
        execute(config, lambda: fixed_now() + timedelta(hours=2))
        assert "수정됨" in (out / "crypto.rss").read_text(encoding="utf-8")  # it did change
        r2e_run("run")
        after = delivered()
    finally:
        server.shutdown()
        server.server_close()
    assert after == expected()  # the new story once in each feed, the correction not again
    assert max(after.values()) == 1
    assert sorted((after - first).elements()) == sorted(
        (feed, f"tag:feedbot,2026:joongang.co.kr/article/{fresh_story(5).id}")
        for feed in ("all.atom", "crypto.rss")
    )
