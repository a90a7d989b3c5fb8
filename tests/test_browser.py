"""The pages in a real browser: Debian's Chromium, headless, driven by selenium through
chromedriver (issue 15). One browser session for the whole module.

.ci/run installs chromium and chromium-driver and sets FEEDBOT_REQUIRE_CHROMIUM=1, which turns
their absence into a failure; elsewhere these tests are skipped, saying why.

The browser never reaches the internet: host names other than 127.0.0.1 resolve to nothing,
and it loads no images (the article images live on the site's image host; the thumbnails have
a fixed box, so the layout does not depend on them)."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from feedbot.ops.runner import execute
from feedbot.ops.serve import make_server
from feedbot.replica import ReplicaServer
from tests.helpers import fixed_now, replica_config, require_tool

ENV = "FEEDBOT_REQUIRE_CHROMIUM"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # without these Chromium's own background connections are refused here, and it stalls
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


def _selenium() -> Any:
    try:
        from selenium import webdriver
    except ImportError:
        if os.environ.get(ENV) == "1":
            pytest.fail(
                f"selenium is required ({ENV}=1) but not installed (pip install -e '.[test]')"
            )
        pytest.skip("selenium not installed (pip install -e '.[test]')")
    return webdriver


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    """The output of one run against the replica (8 stories a feed, so older ones go to archive
    months), served on 127.0.0.1 under its own base URL: (URL, directory, page paths)."""
    tmp = tmp_path_factory.mktemp("browser")
    server = make_server(tmp / "feeds", 0, verbose=False)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with ReplicaServer() as replica:
        config = replica_config(replica, tmp)
        config = replace(config, output=replace(config.output, base_url=url, feed_size=8))
        execute(config, fixed_now)
    out = config.output.dir
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    yield url, out, pages
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_tool("chromium", ENV)
    chromedriver = require_tool("chromedriver", ENV)
    webdriver = _selenium()
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="feedbot-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # no images (the content setting: Blink's imagesEnabled flag does not hold in headless mode)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.images": 2})
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Any, url: str) -> list[dict[str, Any]]:
    """Load `url`; return what the page logged to the console while loading."""
    driver.get_log("browser")  # drop what earlier pages left
    driver.get(url)
    return list(driver.get_log("browser"))


def _phone(driver: Any, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )


def _desktop(driver: Any) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _dark(driver: Any, on: bool) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark" if on else "light"}]},
    )


def test_pages_load_cleanly_and_every_link_and_image_holds(
    browser: Any, site: tuple[str, Path, list[str]]
) -> None:
    """No console message at all, every link to our own site lands on a file that exists, every
    image has an alt attribute, and the favicon and stylesheet are ours."""
    url, out, pages = site
    assert {"index.html", "ai.html", "all.html"} <= set(pages)
    assert any(p.startswith("archive/ai/") for p in pages)
    for page in pages:
        logged = _open(browser, url + page)
        assert logged == [], (page, logged)
        assert browser.execute_script("return document.documentElement.lang") == "ko"
        targets = browser.execute_script(
            "return Array.from(document.querySelectorAll('a[href], link[href], img[src]'))"
            ".map(e => e.href || e.src)"
        )
        for target in targets:
            parts = urlsplit(target)
            if f"{parts.scheme}://{parts.netloc}/" != url:
                assert parts.scheme == "https", (page, target)  # the site's articles and images
                continue
            path = out / unquote(parts.path).lstrip("/")
            assert path.is_file(), (page, target)
        missing_alt = browser.execute_script(
            "return Array.from(document.images).filter(i => !i.hasAttribute('alt')).length"
        )
        assert missing_alt == 0, page
        sheets = browser.execute_script("return document.styleSheets.length")
        assert sheets == 1, page  # style.css loaded (a failed load would not count)


@pytest.mark.parametrize("width", [360, 390])
def test_no_horizontal_scroll_on_a_phone(
    browser: Any, site: tuple[str, Path, list[str]], width: int
) -> None:
    url, _, pages = site
    _phone(browser, width)
    try:
        for page in pages:
            _open(browser, url + page)
            inner, scroll = browser.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth]"
            )
            assert inner == width and scroll <= inner, (page, scroll)
    finally:
        _desktop(browser)


def _luminance(rgb: str) -> float:
    """Relative luminance (WCAG 2) of a computed `rgb(r, g, b)` colour."""
    values = [int(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


COLOURS = """
const style = e => getComputedStyle(document.querySelector(e));
return {
  background: style('body').backgroundColor,
  text: style('body').color,
  link: style('article.story h3 a').color,
  meta: style('article.story .meta').color,
  why: style('article.story .why').color,
  badge: style('.badge').color,
  badgeBackground: style('.badge').backgroundColor,
};
"""


@pytest.mark.parametrize("dark", [False, True])
def test_light_and_dark_mode_are_readable(
    browser: Any, site: tuple[str, Path, list[str]], dark: bool
) -> None:
    """prefers-color-scheme switches the palette, and text keeps WCAG AA contrast (4.5:1)."""
    url, _, _ = site
    _dark(browser, dark)
    try:
        _open(browser, url + "ai.html")
        colours = browser.execute_script(COLOURS)
    finally:
        _dark(browser, False)
    background = _luminance(colours["background"])
    assert (background < 0.05) if dark else (background > 0.9), colours
    for name in ("text", "link", "meta", "why"):
        assert _contrast(colours[name], colours["background"]) >= 4.5, (name, colours)
    assert _contrast(colours["badge"], colours["badgeBackground"]) >= 4.5, colours


def test_headings_and_landmarks_for_a_screen_reader(
    browser: Any, site: tuple[str, Path, list[str]]
) -> None:
    """One h1, no skipped heading level, a main landmark the skip link points at, a named
    navigation, and a title on every page."""
    url, _, pages = site
    for page in pages:
        _open(browser, url + page)
        levels = browser.execute_script(
            "return Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))"
            ".map(h => Number(h.tagName[1]))"
        )
        assert levels.count(1) == 1 and levels[0] == 1, (page, levels)
        assert all(b - a <= 1 for a, b in pairwise(levels)), (page, levels)
        assert browser.execute_script(
            "return document.querySelector('a.skip').getAttribute('href') === '#main'"
            " && document.querySelectorAll('main#main').length === 1"
            " && document.querySelectorAll('header, footer').length >= 2"
            " && document.title.length > 0"
        ), page
