"""feedbot benchmarks: each result is printed as a ratio to its target, measured in this run.

    python -m benchmarks.run [NAME ...]

Not part of the tests (they never pass or fail on speed). Results are appended to
benchmarks/results/history.jsonl with the machine they ran on.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "history.jsonl"


@dataclass(frozen=True)
class Result:
    name: str
    measured: float
    unit: str
    target: float
    detail: str = ""

    @property
    def ratio(self) -> float:
        """measured ÷ target: at most 1.0 meets the target."""
        return self.measured / self.target if self.target else float("inf")


def bench_classifier() -> list[Result]:
    """Classification with the shipped model, one core: dev-set stories (title + lead, the
    corpus's own length) and stories of article length (about 3,000 characters: a dozen
    corpus texts in a row, so the rules see evidence and the model is consulted); then a full
    relabel of 100,000 stored stories of ~1,000 characters (JSON read from SQLite, classified,
    written back), as a new weight file causes."""
    import sqlite3
    import tempfile

    from feedbot.config import Config, load_model
    from feedbot.curate.classifier import classify, compile_topics, fingerprint
    from feedbot.models import article_to_dict
    from feedbot.pipeline.run import reclassify_if_changed
    from feedbot.store.db import Store

    config = Config()
    start = time.process_time()
    model = load_model(config)
    loading = time.process_time() - start
    rules = compile_topics(config.topics, model)
    plain = compile_topics(config.topics)
    rows = [
        json.loads(line) for line in (ROOT / "tests/data/topics-dev.jsonl").open(encoding="utf-8")
    ]
    short = [(rows[i % len(rows)]["title"], rows[i % len(rows)]["text"]) for i in range(10_000)]
    long = [
        (
            rows[i % len(rows)]["title"],
            "\n\n".join(rows[(i + k) % len(rows)]["text"] for k in range(12)),
        )
        for i in range(2_000)
    ]
    results = []
    for label, items in (("10k dev-set stories", short), ("2k stories of 3,000 chars", long)):
        spent = {}
        for name, chosen in (("rules", plain), ("model", rules)):
            start = time.process_time()
            for title, text in items:
                classify(chosen, title, text)
            spent[name] = time.process_time() - start
        rate = len(items) / spent["model"]
        results.append(
            Result(
                f"classify {label}, rules + model",
                1000 / rate,
                "ms a story",
                2.0,  # 500 stories/s
                f"{rate:,.0f} stories/s (rules alone {len(items) / spent['rules']:,.0f}/s); "
                f"weight file read in {loading * 1000:.0f} ms",
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        store_config = _replica_config("http://127.0.0.1:9", Path(tmp))
        Store(store_config.store.path).close()  # the schema
        body = lambda n: "\n\n".join(rows[(n + k) % len(rows)]["text"] for k in range(4))  # noqa: E731
        _fill_store(store_config, 100_000, sqlite3, json, article_to_dict, body)
        with Store(store_config.store.path) as store:
            store.set_topics_fingerprint(fingerprint(config.topics))  # labels of the rules alone
            start, cpu = time.perf_counter(), time.process_time()
            count = reclassify_if_changed(store, config.topics, rules, model)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    results.append(
        Result(
            f"relabel {count:,} stored stories (new weights)",
            wall,
            "s",
            240.0,
            f"{cpu:.0f} s CPU, {count / wall:,.0f} stories/s",
        )
    )
    return results


def _snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(directory).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in directory.rglob("*")
        if p.is_file()
    }


def bench_no_change() -> list[Result]:
    """After a full run, a run with nothing new: requests to the site and bytes written."""
    import tempfile

    from feedbot.ops.runner import execute
    from feedbot.replica import ReplicaServer

    with tempfile.TemporaryDirectory() as tmp, ReplicaServer() as replica:
        config = _replica_config(replica.url, Path(tmp), min_interval_s=0.0)
        execute(config)
        before = _snapshot(config.output.dir)
        replica.clear_requests()
        execute(config)
        after = _snapshot(config.output.dir)
        changed = [n for n in after if after[n] != before.get(n)]
        feed_bytes = sum(after[n][1] for n in changed)
        status_bytes = config.status_file.stat().st_size  # beside the store, not published
        requests = len(replica.requests)
    return [
        Result(
            "no-change run: HTTP requests",
            requests,
            "req",
            1.0,
            "the list page, answered 304; robots.txt from the store",
        ),
        Result(
            "no-change run: bytes written into the output directory",
            feed_bytes,
            "B",
            1.0,
            f"target 0 (ratio vs 1 B); status.json heartbeat beside the store: {status_bytes} B",
        ),
    ]


def bench_cold_run() -> list[Result]:
    """1 list page + 24 new articles at 1 request/s: wall time ÷ (gaps × interval)."""
    import tempfile

    from feedbot.ops.runner import execute
    from feedbot.replica import ReplicaServer, ReplicaSite

    site = ReplicaSite(per_page=24)
    keep = [s.id for s in site.listing() if hasattr(s, "blocks")][:24]
    site.stories = {i: site.stories[i] for i in keep}
    site.specials = {}
    with tempfile.TemporaryDirectory() as tmp, ReplicaServer(site) as replica:
        config = _replica_config(replica.url, Path(tmp), min_interval_s=1.0, max_pages=1)
        start = time.perf_counter()
        report = execute(config)
        wall = time.perf_counter() - start
        requests = len(replica.requests)
    floor = (requests - 1) * 1.0  # the first request waits for nothing
    return [
        Result(
            "cold run vs politeness floor",
            wall / floor,
            "x",
            1.1,
            f"{requests} requests ({report.new} articles) in {wall:.1f}s, floor {floor:.0f}s",
        )
    ]


def _chrome(kilobytes: int) -> tuple[str, str]:
    """Site chrome of about `kilobytes` KB (menu links with tracking attributes, as the real
    header and footer carry; docs/site-markup.md, "Around the story"): a header and a footer.
    Dense on purpose: an element every 85 bytes, where a real page's scripts and styles would
    spread the same bytes over far fewer elements, and bs4's cost is per element."""
    link = (
        '<li><a href="https://www.joongang.co.kr/section/{n}?cloc=joongang-home-gnb{n}" '
        'data-evnt-ctg="gnb" data-evnt-act="move" data-evnt-lbl="섹션{n}">섹션 {n}</a></li>'
    )
    links = "".join(link.format(n=n) for n in range(kilobytes * 1024 // 170))
    half = len(links) // 2
    return (
        f'<header id="header" class="header"><nav class="gnb"><ul>{links[:half]}</ul></nav></header>',
        f'<div id="footer" class="footer footer22"><ul>{links[half:]}</ul></div>',
    )


def _with_chrome(body: bytes, kilobytes: int) -> bytes:
    header, footer = _chrome(kilobytes)
    body = body.replace(b"<body>", b"<body>" + header.encode(), 1)
    return body.replace(b"</body>", footer.encode() + b"</body>", 1)


def _article_pages(kilobytes: int = 0) -> list[tuple[int, bytes]]:
    """The replica's article pages (45 stories), with `kilobytes` KB of site chrome."""
    from feedbot.replica import ReplicaSite

    site = ReplicaSite()
    pages = []
    for item in site.listing():
        page = site.page(f"/article/{item.id}", {})
        if page.status == 200 and b"article_body" in page.body:
            pages.append((item.id, _with_chrome(page.body, kilobytes) if kilobytes else page.body))
    return pages


def _median_ms(work: Callable[[], object], rounds: int) -> float:
    """Median CPU time of one call, in ms (per-call medians shrug off this VM's jitter)."""
    times = []
    for _ in range(rounds):
        start = time.process_time_ns()
        work()
        times.append(time.process_time_ns() - start)
    return statistics.median(times) / 1e6


def bench_extraction() -> list[Result]:
    """Median CPU time to read one page: bytes decoded (extract.decode_page) and extracted, as
    the pipeline does; the article page at a realistic size is the target."""
    from feedbot.extract import decode_page, parse_article, parse_list_page
    from feedbot.replica import ReplicaSite

    base = "https://www.joongang.co.kr"
    charset = "text/html; charset=UTF-8"

    def article(item: tuple[int, bytes]) -> Callable[[], object]:
        url = f"https://x/article/{item[0]}"
        return lambda: parse_article(decode_page(item[1], charset).text, url, base)

    results = []
    for kilobytes, label in ((100, "+ 100 KB chrome"), (0, "as served (4 KB)")):
        pages = _article_pages(kilobytes)
        medians = [_median_ms(article(item), 7) for item in pages]
        size = sum(len(b) for _, b in pages) / len(pages) / 1024
        results.append(
            Result(
                f"extraction: article page {label}",
                statistics.median(medians),
                "ms",
                10.0,
                f"median of {len(pages)} pages of {size:.0f} KB (slowest {max(medians):.1f} ms)",
            )
        )
    site = ReplicaSite()
    lists = [site.page("/factpl", {"page": [str(n)]}).body for n in (1, 2, 3)]
    medians = [
        _median_ms(
            lambda body=body: parse_list_page(decode_page(body, charset).text, base, base), 7
        )
        for body in lists
    ]
    results.append(
        Result(
            "extraction: list page (15 KB)",
            statistics.median(medians),
            "ms",
            10.0,
            "median of the 3 list pages (built whole: the fallback reads every link)",
        )
    )
    return results


def _hostile_pages(size: int) -> dict[str, bytes]:
    """Article pages of about `size` bytes built to be slow to read, one per way the adversarial
    review of 2026-12-02 found: each was quadratic or worse, or overflowed the stack, before."""

    def page(body: str, title: str = "제목") -> bytes:
        return (
            f"<html><head></head><body><h1 class='headline'>{title}</h1><div id='article_body'>"
            f"<p>본문 문단.</p>{body}</div></body></html>"
        ).encode()

    return {
        "charset prescan (<meta…charset= without >)": b"<metaXcharset=X" * (size // 15) + page(""),
        "byline of letters with no @": page(
            "<div class='ab_byline'>홍길동 기자 " + "a" * size + "</div>"
        ),
        "unclosed <font>, nested": page("<p>" + "<font color='red'>글" * (size // 22) + "</p>"),
        "<div> nested, text at the bottom": page(
            "<div>" * (size // 11) + "글" + "</div>" * (size // 11)
        ),
        "<ul><li> nested": page("<ul><li>글" * (size // 12)),
        "headline of newlines and spaces": page("", "제목" + "\n " * (size // 2) + "x"),
        "list item of line breaks": page("<ul><li>x" + "<br>" * (size // 4) + "y</li></ul>"),
    }


def bench_hostile() -> list[Result]:
    """CPU to decode and extract one 1 MB page built to be slow (what a hostile or broken site
    could send, under the 5 MB `fetch.max_bytes`): linear in its size, bounded per MB."""
    from feedbot.extract import decode_page, parse_article

    base = "https://www.joongang.co.kr"
    results = []
    for label, body in _hostile_pages(1_000_000).items():
        started = time.process_time()
        parse_article(decode_page(body, "text/html").text, base + "/article/25400001", base)
        spent = time.process_time() - started
        megabytes = len(body) / 1e6
        results.append(
            Result(
                f"hostile page: {label}",
                spent / megabytes,
                "s/MB",
                10.0,
                f"{len(body) / 1024:.0f} KB in {spent:.2f} s",
            )
        )
    return results


def _chrome_site(kilobytes: int):  # type: ignore[no-untyped-def]
    """The replica, every HTML page of it carrying `kilobytes` KB of site chrome."""
    from dataclasses import replace

    from feedbot.replica import ReplicaSite

    class ChromeSite(ReplicaSite):
        def page(self, path, query):  # type: ignore[no-untyped-def]
            page = super().page(path, query)
            if page.status == 200 and page.content_type.startswith("text/html"):
                return replace(page, body=_with_chrome(page.body, kilobytes))
            return page

    return ChromeSite


def bench_extraction_share() -> list[Result]:
    """A cold run (1 list page + 24 articles, each with 100 KB of chrome) at the default
    politeness (1 s + up to 0.25 s jitter): the share of its wall time spent decoding and
    extracting pages."""
    import tempfile

    from feedbot.config import Config, OutputConfig, SiteConfig, StoreConfig
    from feedbot.ops.runner import execute
    from feedbot.pipeline import decoding, harvest
    from feedbot.replica import ReplicaServer

    site = _chrome_site(100)(per_page=24)
    keep = [s.id for s in site.listing() if hasattr(s, "blocks")][:24]
    site.stories = {i: site.stories[i] for i in keep}
    site.specials = {}
    spent = [0.0]

    def timed(function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return wrapper

    originals = (decoding.decode_page, harvest.parse_article, harvest.parse_list_page)
    decoding.decode_page = timed(originals[0])
    harvest.parse_article = timed(originals[1])
    harvest.parse_list_page = timed(originals[2])
    try:
        with tempfile.TemporaryDirectory() as tmp, ReplicaServer(site) as replica:
            root = Path(tmp)
            config = Config(
                site=SiteConfig(base_url=replica.url, max_pages=1),
                store=StoreConfig(path=root / "feedbot.db"),
                output=OutputConfig(dir=root / "feeds"),
            )
            start = time.perf_counter()
            report = execute(config)
            wall = time.perf_counter() - start
    finally:
        decoding.decode_page, harvest.parse_article, harvest.parse_list_page = originals
    return [
        Result(
            "extraction share of a cold run",
            spent[0] / wall * 100,
            "%",
            2.0,
            f"{spent[0] * 1000:.0f} ms of {wall:.1f} s wall; {report.new} articles + 1 list "
            "page with 100 KB chrome each, default politeness",
        )
    ]


def _distinct_story(body: bytes, old: int, new: int, rng) -> bytes:  # type: ignore[no-untyped-def]
    """A replica page as another article: its id changed, its paragraphs rewritten from a word
    list (copies of one story would be folded together as near-duplicates)."""
    import re

    words = [a + b for a in "가나다라마바사아자차카타파하" for b in "국문산업정책시장기술투자"]

    def paragraph(match: re.Match[str]) -> str:
        count = max(8, len(match.group(2)) // 3)
        return match.group(1) + " ".join(rng.choices(words, k=count)) + "</p>"

    text = body.decode().replace(str(old), str(new))
    return re.sub(r"(<p(?: data-divno=\"\d+\")?>)([^<]{20,})</p>", paragraph, text).encode()


def bench_reextract() -> list[Result]:
    """`feedbot reextract` over 10,000 archived pages (replica pages with 100 KB of chrome):
    CPU time on one core, with the stories stored and the feeds written; and the page
    archive's size per 1,000 pages."""
    import random
    import tempfile
    from datetime import timedelta

    from feedbot.config import Config, OutputConfig, StoreConfig
    from feedbot.models import FetchResult
    from feedbot.pipeline.reextract import reextract
    from feedbot.store.db import Store

    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    sources = _article_pages(100)
    plain = _article_pages(0)
    rng = random.Random(14)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = Config(
            store=StoreConfig(path=root / "feedbot.db"), output=OutputConfig(dir=root / "feeds")
        )
        with Store(config.store.path) as store:
            for n in range(10_000):
                old, body = sources[n % len(sources)]
                new = 26_000_000 + n
                page = FetchResult(
                    f"https://www.joongang.co.kr/article/{new}",
                    200,
                    _distinct_story(body, old, new, rng),
                    "text/html; charset=UTF-8",
                    f'"{new}"',
                    "Wed, 25 Nov 2026 00:00:00 GMT",
                    now - timedelta(minutes=n),
                )
                store.archive_page(new, page, now)
            count, raw, kept = store.page_archive_size()
            start_cpu, start = time.process_time(), time.perf_counter()
            outcome = reextract(config, store, since=None, ids=None, dry_run=False, now=lambda: now)
            cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start
        results.append(
            Result(
                "reextract 10,000 archived pages",
                cpu,
                "s CPU",
                120.0,
                f"{wall:.0f} s wall; {outcome.new} stories stored, {len(outcome.skipped)} "
                f"skipped, {len(outcome.feeds_written)} output files written",
            )
        )
        results.append(
            Result(
                "page archive per 1,000 pages (+100 KB chrome)",
                kept / count * 1000 / 1e6,
                "MB",
                raw / count * 1000 / 1e6,
                f"as received {raw / count * 1000 / 1e6:.0f} MB (target column); zlib level 6",
            )
        )
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
        for story_id, body in plain:
            page = FetchResult(f"https://x/article/{story_id}", 200, body, None, None, None, now)
            store.archive_page(story_id, page, now)
        count, raw, kept = store.page_archive_size()
        results.append(
            Result(
                "page archive per 1,000 pages (as served)",
                kept / count * 1000 / 1e6,
                "MB",
                raw / count * 1000 / 1e6,
                f"the replica's {raw / count / 1024:.1f} KB pages; as received in the target column",
            )
        )
    return results


def bench_scale() -> list[Result]:
    """Rendering every feed and a no-change run with 1k, 10k and 100k stored articles."""
    import json as _json
    import sqlite3
    import tempfile
    import tracemalloc

    from feedbot.config import load_model
    from feedbot.curate.classifier import fingerprint
    from feedbot.models import article_to_dict
    from feedbot.ops.runner import execute
    from feedbot.publish.build import write_output
    from feedbot.replica import ReplicaServer
    from feedbot.store.db import Store

    results = []
    times: dict[int, tuple[float, float, float, float]] = {}
    with ReplicaServer() as replica:
        for size in (1_000, 10_000, 100_000):
            with tempfile.TemporaryDirectory() as tmp:
                config = _replica_config(replica.url, Path(tmp), min_interval_s=0.0)
                execute(config)  # a real store: the 45 replica stories, validators, robots
                _fill_store(config, size, sqlite3, _json, article_to_dict)
                with Store(config.store.path) as store:
                    store.set_topics_fingerprint(fingerprint(config.topics, load_model(config)))
                    start = time.perf_counter()
                    write_output(config, store)  # once: writes the month archives (RFC 5005)
                    first = time.perf_counter() - start
                    tracemalloc.start()
                    start = time.perf_counter()
                    write_output(config, store)
                    render = time.perf_counter() - start
                    peak = tracemalloc.get_traced_memory()[1] / 1e6
                    tracemalloc.stop()
                start = time.perf_counter()
                execute(config)
                no_change = time.perf_counter() - start
                times[size] = (render, peak, no_change, first)
    base = times[1_000]
    for size, (render, peak, no_change, first) in times.items():
        results.append(
            Result(
                f"scale {size:>7,}: render all feeds",
                render / base[0],
                "x",
                1.5,
                f"{render * 1000:.0f} ms, peak {peak:.1f} MB (ratio vs 1k); first build "
                f"with month archives {first:.1f} s (once)",
            )
        )
        results.append(
            Result(
                f"scale {size:>7,}: no-change run",
                no_change / base[2],
                "x",
                1.5,
                f"{no_change * 1000:.0f} ms (ratio vs 1k)",
            )
        )
    return results


def _fill_store(config, size, sqlite3, json, article_to_dict, body=None):  # type: ignore[no-untyped-def]
    """Synthetic rows, older than the replica's stories, a third of them labelled; `body(n)`
    gives story n's text (default: random syllable pairs, which no topic matches)."""
    import random
    from datetime import timedelta

    from feedbot.models import Article, Author
    from feedbot.normalize import KST

    db = sqlite3.connect(config.store.path)
    base = datetime(2020, 1, 1, tzinfo=KST)
    rows, labels = [], []
    # distinct texts: near-identical bodies would be folded together by the duplicate control
    words = [a + b for a in "가나다라마바사아자차카타파하" for b in "국문산업정책시장기술투자"]
    rng = random.Random(size)
    for n in range(size):
        published = base + timedelta(minutes=30 * n)  # ~1,400 a month, more than 팩플 prints
        article = Article(
            id=20_000_000 + n,
            url=f"https://www.joongang.co.kr/article/{20_000_000 + n}",
            title=f"합성 기사 {n}",
            factpl_tag=True,
            description="요약",
            published=published,
            updated=None,
            authors=(Author("김민지"),),
            section="경제",
            subsection=None,
            image=None,
            body_html="<p>본문</p>",
            body_text=body(n) if body else " ".join(rng.choices(words, k=40)),
            tags=(),
            member_only=False,
        )
        stamp = published.astimezone(UTC).isoformat()
        topic = ("ai", "crypto", "sme")[n % 3] if n % 3 == 0 else None
        topics = {"labels": [topic] if topic else [], "scores": {}, "why": {}}
        rows.append(
            (
                article.id,
                article.url,
                article.title,
                stamp,
                json.dumps(article_to_dict(article), ensure_ascii=False),
                "h",
                stamp,
                stamp,
                stamp,
                json.dumps(topics),
            )
        )
        if topic:
            labels.append((topic, article.id, stamp))
    db.executemany(
        "INSERT INTO articles (id, url, title, sort_time, data, content_hash, first_seen,"
        " last_fetched, changed, topics) VALUES (?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    db.executemany(
        "INSERT INTO article_topics (topic, article_id, sort_time) VALUES (?,?,?)", labels
    )
    db.commit()
    db.close()


def _replica_config(url: str, root: Path, **fetch: object):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from feedbot.config import Config, FetchConfig, OutputConfig, SiteConfig, StoreConfig

    site = SiteConfig(base_url=url)
    if "max_pages" in fetch:
        site = replace(site, max_pages=int(fetch.pop("max_pages")))  # type: ignore[call-overload]
    return Config(
        site=site,
        fetch=FetchConfig(jitter_s=0.0, **fetch),  # type: ignore[arg-type]
        store=StoreConfig(path=root / "feedbot.db"),
        output=OutputConfig(dir=root / "feeds"),
    )


def bench_soak() -> list[Result]:
    """The daemon for FEEDBOT_SOAK_RUNS runs (500): memory, files and threads stay flat."""
    from benchmarks.soak import WARM_UP, soak

    runs = int(os.environ.get("FEEDBOT_SOAK_RUNS", "500"))
    s = soak(runs)
    growth = s["rss_end_kb"] / s["rss_warm_kb"] - 1
    detail = (
        f"{s['runs']:.0f} runs in {s['seconds']:.0f} s, {s['ok']:.0f} ok, exit {s['exit']:.0f}; "
        f"RSS {s['rss_warm_kb'] / 1024:.1f} MB after {WARM_UP} runs -> "
        f"{s['rss_end_kb'] / 1024:.1f} MB; {s['stories_added']:.0f} stories arrived"
    )
    return [
        Result("soak: resident memory growth after warm-up", growth * 100, "%", 10.0, detail),
        Result(
            "soak: open files, end - warm-up",
            s["fds_end"] - s["fds_warm"],
            "fd",
            1.0,
            f"{s['fds_warm']:.0f} -> {s['fds_end']:.0f} (target 0; ratio vs 1)",
        ),
        Result(
            "soak: threads, end - warm-up",
            s["threads_end"] - s["threads_warm"],
            "thr",
            1.0,
            f"{s['threads_warm']:.0f} -> {s['threads_end']:.0f} (target 0; ratio vs 1)",
        ),
        Result(
            "soak: runs not recorded as ok",
            s["runs"] - s["ok"],
            "runs",
            1.0,
            "target 0 (ratio vs 1): every run is in the history",
        ),
    ]


BENCHMARKS: dict[str, Callable[[], list[Result]]] = {
    "no_change": bench_no_change,
    "cold_run": bench_cold_run,
    "extraction": bench_extraction,
    "extraction_share": bench_extraction_share,
    "hostile": bench_hostile,
    "reextract": bench_reextract,
    "scale": bench_scale,
    "classifier": bench_classifier,
    "soak": bench_soak,
}


def machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    print(f"machine: {machine()}")
    print(f"{'benchmark':<46}{'measured':>14}{'target':>12}{'ratio':>8}")
    results = []
    for name in names:
        for result in BENCHMARKS[name]():
            results.append(result)
            print(
                f"{result.name:<46}{result.measured:>10.3f} {result.unit:<4}"
                f"{result.target:>10g}  {result.ratio:>6.2f}  {result.detail}"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as history:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for result in results:
            history.write(
                json.dumps(
                    {
                        "at": stamp,
                        "machine": machine(),
                        **asdict(result),
                        "ratio": round(result.ratio, 4),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
