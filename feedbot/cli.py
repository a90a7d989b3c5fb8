"""Command line: arguments, logging, and FeedbotError -> one stderr line + exit code.

Expected failures (network down, site errors, bad config, a changed site) print one line and
exit with their documented code; anything else is a bug: one line too, and the traceback with
--debug."""

from __future__ import annotations

import argparse
import json
import logging
import re
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from feedbot import __version__
from feedbot.config import Config, check_paths, load_config
from feedbot.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, ConfigError, FeedbotError
from feedbot.models import RunReport, article_to_dict
from feedbot.ops.runner import execute

log = logging.getLogger("feedbot")

EXIT_CODES = """exit codes:
  0  ok
  1  the run failed (network, store or output error); published feeds are left as they were
  2  usage or config error
  3  another run holds the lock
  4  the site's markup changed or the run was unhealthy (no cards, fields suddenly
     missing, extraction failing, every article request failing); nothing stored, feeds
     left as they were
"""


def _summary(report: RunReport, out_dir: Path) -> str:
    feeds = ", ".join(str(out_dir / name) for name in report.feeds_written) or "none (unchanged)"
    return (
        f"list pages {report.list_pages}, cards {report.cards}, articles fetched "
        f"{report.fetched}: new {report.new}, updated {report.updated}, unchanged "
        f"{report.unchanged}, failed {report.failed}; {report.requests} requests; "
        f"feeds written: {feeds}"
    )


# -- commands ---------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    config = _config(args)
    report = execute(config)
    print(_summary(report, config.output.dir))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from feedbot.ops.demo import run_demo

    try:
        config, report = run_demo(Path(args.out), Path(args.store), args.port)
    except ConfigError as exc:  # name the demo's own options, not config keys
        raise ConfigError(
            str(exc).replace("output.dir", "--out").replace("store.path", "--store")
        ) from exc
    print(_summary(report, config.output.dir))
    print(f"store: {config.store.path}")
    print(f"status: feedbot status --file {config.status_file}")
    return EXIT_OK


def _load(args: argparse.Namespace) -> Config:
    return load_config(Path(args.config) if args.config else None)


def _config(args: argparse.Namespace) -> Config:
    """The config, with its paths checked: for commands that run."""
    config = _load(args)
    check_paths(config, Path(args.config) if args.config else None)
    return config


def cmd_daemon(args: argparse.Namespace) -> int:
    import os

    from feedbot.ops.daemon import run_daemon

    if not run_daemon(lambda: _config(args), lambda r, c: _summary(r, c.output.dir)):
        # a run still stuck after schedule.shutdown_timeout_s: its worker thread would keep the
        # interpreter alive (threads are joined at exit), so leave without waiting for it;
        # store and output are written atomically, nothing is left half-done
        logging.shutdown()
        os._exit(EXIT_OK)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from feedbot.ops.status import format_status

    path = Path(args.file) if args.file else _load(args).status_file
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FeedbotError(f"{path}: no status yet (no run has finished)") from exc
    except (OSError, ValueError) as exc:
        raise FeedbotError(f"{path}: unreadable: {exc}") from exc
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else format_status(data))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from feedbot.errors import EXIT_SITE_CHANGED
    from feedbot.ops.daemon import build_trigger
    from feedbot.ops.runner import check_site

    config = _config(args)
    build_trigger(config.schedule)
    report = check_site(config)
    print("\n".join(report.lines))
    print("result: ok" if report.healthy else "result: the site's markup needs a look")
    return EXIT_OK if report.healthy else EXIT_SITE_CHANGED


def cmd_backfill(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from feedbot.ops.runner import execute_backfill

    config = _config(args)
    since = None
    if args.since:
        try:
            since = date.fromisoformat(args.since)
        except ValueError as exc:
            raise ConfigError(f"--since: not a date (YYYY-MM-DD): {args.since!r}") from exc
    bar = tqdm(total=args.pages, unit="page", desc="backfill", disable=args.quiet)
    new = 0

    def progress(page: int, cards: int, added: int) -> None:
        nonlocal new
        new += added
        bar.update(1)
        bar.set_postfix(page=page, cards=cards, new=new)

    try:
        report = execute_backfill(config, pages=args.pages, since=since, progress=progress)
    except KeyboardInterrupt:
        bar.close()
        print(
            "feedbot: backfill interrupted; run the same command again to resume", file=sys.stderr
        )
        return EXIT_FAILED
    bar.close()
    print(_summary(report, config.output.dir))
    return EXIT_OK


T = TypeVar("T")


def _bound(start: Callable[[], T], args: argparse.Namespace) -> T:
    """A server bound to --host/--port, or a one-line usage error saying why it cannot be."""
    try:
        return start()
    except socket.gaierror as exc:
        raise ConfigError(f"--host {args.host!r}: not an address here ({exc.strerror})") from exc
    except OSError as exc:
        raise ConfigError(
            f"--host {args.host} --port {args.port}: cannot listen there ({exc.strerror or exc})"
        ) from exc


def cmd_replica(args: argparse.Namespace) -> int:
    from feedbot.replica import ReplicaServer

    server = _bound(lambda: ReplicaServer(port=args.port, host=args.host), args)
    print(f"replica of 팩플 at {server.url}/factpl (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from feedbot.ops.serve import make_server

    root = Path(args.dir)
    if not root.is_dir():
        raise ConfigError(f"--dir: not a directory: {root} (run feedbot demo first?)")
    server = _bound(lambda: make_server(root, args.port, args.host), args)
    host, port = server.server_address[:2]
    print(f"serving {root} at http://{host!s}:{port}/ (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def _read_page(path: str) -> str:
    from feedbot.pipeline.decoding import page_text

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return page_text(data, None, path)


def cmd_doctor(args: argparse.Namespace) -> int:
    from feedbot.ops.runner import utc_now
    from feedbot.store.db import Store

    config = _load(args)
    path = _store_path(args, config)
    with Store(path, read_only=not args.quarantine) as store:
        bad = store.unreadable()
        for row in bad:
            print(f"article {row.id}: unreadable row ({row.reason})")
        if not bad:
            print(f"{path}: {store.count()} stories, every row reads")
        elif args.quarantine:
            moved = store.quarantine(bad, utc_now())
            print(f"{moved} rows moved to the quarantine table; the next run fetches them again")
        else:
            print(f"{len(bad)} unreadable rows; `feedbot doctor --quarantine` sets them aside")
    return EXIT_OK


def _store_path(args: argparse.Namespace, config: Config) -> Path:
    """--store when given (the demo keeps its own store), else store.path; it must exist."""
    path = Path(args.store) if getattr(args, "store", None) else config.store.path
    if not path.is_file():
        raise ConfigError(f"store.path: no store at {path} (run feedbot first, or pass --store)")
    return path


def cmd_extract(args: argparse.Namespace) -> int:
    from feedbot.extract import page_url, parse_article, parse_list_page
    from feedbot.normalize import public_url

    html = _read_page(args.file)
    base = args.canonical_base
    for option, value in (("--url", args.url), ("--canonical-base", base)):
        if value and public_url(value) is None:
            raise ConfigError(f"{option}: not an http(s) URL: {value!r}")
    if args.kind == "list":
        url = args.url or base.rstrip("/") + "/factpl"
        cards = parse_list_page(html, url, base).cards
        data: object = [
            {**asdict(card), "date": card.date.isoformat() if card.date else None} for card in cards
        ]
    else:
        url = args.url or page_url(html)
        if not url:
            raise ConfigError(f"{args.file}: no og:url or canonical link in the page; pass --url")
        data = article_to_dict(parse_article(html, url, base))
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return EXIT_OK


def cmd_classify(args: argparse.Namespace) -> int:
    from feedbot.curate.tools import classify_lines, format_evaluations
    from feedbot.pipeline.run import topic_rules

    config = _load(args)
    rules, _model = topic_rules(config)
    if args.file in (None, "-"):
        lines: list[str] = sys.stdin.read().splitlines()
    else:
        try:
            lines = Path(args.file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {args.file}: {exc}") from exc
    results = list(classify_lines(lines, rules))
    for result in results:
        if result.error:
            print(f"feedbot: error: {result.error}", file=sys.stderr)
    if args.eval:
        labelled = [r for r in results if r.gold is not None]
        if not labelled:
            raise ConfigError('--eval needs input lines with gold "labels"')
        print(format_evaluations(labelled, [rule.id for rule in rules]))
    else:
        for result in results:
            print(json.dumps(result.output, ensure_ascii=False))
    return EXIT_USAGE if any(r.error for r in results) else EXIT_OK


def _since(text: str) -> datetime:
    """`--since YYYY-MM-DD` as the start of that day in Korea time; not after today."""
    from datetime import time

    from feedbot.normalize import KST

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"--since: not a date (YYYY-MM-DD): {text!r}") from exc
    today = datetime.now(KST).date()
    if day > today:
        raise ConfigError(f"--since: {day} is in the future (today is {today} in Korea)")
    return datetime.combine(day, time(), KST)


def _positive_id(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"not an article id: {text!r}")
    return int(text)


def cmd_reextract(args: argparse.Namespace) -> int:
    from feedbot.ops.runner import execute_reextract

    config = _config(args)
    since = _since(args.since) if args.since else None
    if not config.store.path.is_file():
        raise ConfigError(f"store.path: no store at {config.store.path} (run feedbot first)")
    result = execute_reextract(config, since=since, ids=args.ids, dry_run=args.dry_run)
    lines = []
    if not result.pages:
        if args.ids:
            lines.append("none of the given ids has a page in the archive: nothing to do")
        elif since is not None:
            lines.append(f"no page in the archive fetched since {args.since}: nothing to do")
        else:
            lines.append("the page archive is empty: nothing to do")
    else:
        verb = "would change" if result.dry_run else "changed"
        lines.append(f"reextract: {result.pages} archived pages read, no request sent")
        lines.append(
            f"stories: {result.repaired} {verb}, {result.new} new, {result.unchanged} "
            f"unchanged, {len(result.skipped)} skipped"
        )
        for name, count in result.changed.items():
            lines.append(f"  {name}: {count} {'story' if count == 1 else 'stories'} {verb}")
        lines += [f"skipped {line}" for line in result.skipped]
    if result.missing:
        lines.append("not in the archive: " + ", ".join(str(i) for i in result.missing))
    if result.dry_run:
        lines.append("dry run: nothing was changed")
    elif result.pages:
        feeds = ", ".join(result.feeds_written) or "none (unchanged)"
        lines.append(f"feeds written: {feeds}")
    print("\n".join(lines))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from feedbot.curate.classifier import classify
    from feedbot.curate.corrections import side_by_side
    from feedbot.curate.tools import explain
    from feedbot.pipeline.run import topic_rules
    from feedbot.store.db import Store

    config = _load(args)
    rules, _model = topic_rules(config)
    path = _store_path(args, config)
    with Store(path, read_only=True) as store:
        stored = store.get(args.article_id)
    if stored is None:
        raise ConfigError(f"article {args.article_id} is not in the store {path}")
    article = stored.article
    now = classify(rules, article.title, article.body_text, article.description)
    verdict = stored.verdict if stored.verdict is not None else stored.topics
    print(explain(f"{article.id} {article.title}\n{article.url}", now, rules, verdict))
    print(side_by_side(stored, [rule.id for rule in rules]))
    return EXIT_OK


DEFAULT_CORPUS = ("tests/data/topics-real.jsonl", "tests/data/topics-dev.jsonl")


def cmd_train(args: argparse.Namespace) -> int:
    import os
    import tempfile

    from feedbot.curate.classifier import compile_topics
    from feedbot.curate.model import SHIPPED_MODEL

    try:  # scikit-learn is a development dependency: `feedbot run` never needs it
        from feedbot.curate.train import format_report, read_corpus, train
    except ImportError as exc:
        raise ConfigError(
            f"feedbot train needs scikit-learn ({exc.name} is missing): pip install -e '.[test]'"
        ) from exc

    config = _load(args)
    names = args.corpus or list(DEFAULT_CORPUS)
    files = []
    for name in names:
        try:
            files.append((name, Path(name).read_text(encoding="utf-8").splitlines()))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"--corpus: cannot read {name}: {exc}") from exc
    stories, skipped = read_corpus(files)
    rules = compile_topics(config.topics)  # the rules alone: the model learns to second them
    trained = train(stories, rules, [Path(n).as_posix() for n in names], skipped)
    out = Path(args.out) if args.out else SHIPPED_MODEL
    try:  # atomically: a run reading the file meanwhile sees the old weights or the new
        with tempfile.NamedTemporaryFile(dir=out.parent, prefix=".model-", delete=False) as tmp:
            tmp.write(trained.data)
        os.chmod(tmp.name, 0o644)  # a package data file, not a secret (mkstemp makes it 0600)
        os.replace(tmp.name, out)
    except OSError as exc:
        raise ConfigError(f"--out: cannot write {out}: {exc.strerror or exc}") from exc
    print(format_report(trained, stories, [rule.id for rule in rules]))
    print(f"weights written to {out}")
    return EXIT_OK


def cmd_label(args: argparse.Namespace) -> int:
    from feedbot.curate.corrections import changes, check_changes, corpus_line, list_line
    from feedbot.models import LabelOverride
    from feedbot.ops.runner import utc_now
    from feedbot.store.db import Store

    config = _load(args)
    if (args.add or args.drop or args.note is not None) and args.article_id is None:
        raise ConfigError("label: +TOPIC, -TOPIC and --note go with an ARTICLE_ID")
    modes = [args.list, args.remove is not None, args.export is not None]
    if sum(modes) + (args.article_id is not None) != 1:
        raise ConfigError(
            "label: give ARTICLE_ID with +TOPIC/-TOPIC, or one of --list, --remove ID, --export"
        )
    path = _store_path(args, config)
    with Store(path) as store:
        if args.list:
            overrides = store.overrides()
            for override in overrides:
                print(list_line(override, store.get(override.article_id)))
            print(f"{len(overrides)} overrides in {path}", file=sys.stderr)
        elif args.remove is not None:
            if not store.remove_override(args.remove):
                raise ConfigError(f"label --remove: article {args.remove} has no override")
            stored = store.get(args.remove)
            labels = ", ".join(stored.topics.labels) if stored else ""
            print(
                f"article {args.remove}: override removed; the classifier's labels again "
                f"({labels or 'none'}); the feeds change at the next run"
            )
        elif args.export is not None:
            lines = []
            for override in store.overrides():
                stored = store.get(override.article_id)
                if stored is not None:
                    lines.append(json.dumps(corpus_line(stored), ensure_ascii=False) + "\n")
            _write_text(args.export, "".join(lines))
            where = "standard output" if args.export == "-" else args.export
            print(f"{len(lines)} corrected stories written to {where}", file=sys.stderr)
        else:
            stored = store.get(args.article_id)
            if stored is None:
                raise ConfigError(f"label: article {args.article_id} is not in the store {path}")
            add, remove = check_changes(args.add, args.drop, [t.id for t in config.topics])
            override = LabelOverride(args.article_id, add, remove, args.note or "", utc_now())
            store.set_override(override)
            after = store.get(args.article_id)
            assert after is not None
            verdict = after.verdict if after.verdict is not None else after.topics
            earlier = f" (replaces {changes(stored.override)})" if stored.override else ""
            print(
                f"article {args.article_id}: {changes(override)} recorded{earlier}; feeds: "
                f"{', '.join(after.topics.labels) or 'none'} (classifier: "
                f"{', '.join(verdict.labels) or 'none'}); the feeds change at the next run"
            )
    return EXIT_OK


def _write_text(target: str, text: str) -> None:
    """To standard output for "-", else to the file (a one-line error when it cannot be)."""
    if target == "-":
        sys.stdout.write(text)
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from exc


# -- parser -----------------------------------------------------------------------------------


def _port(text: str) -> int:
    value = _integer(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, got {value}")
    return value


def _article_id(text: str) -> int:
    """An article id: a whole number SQLite can hold (a longer one raised OverflowError)."""
    value = _integer(text)
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"not an article id: {text!r}")
    return value


def _positive(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feedbot",
        description="Curated, enriched Atom feeds from the JoongAng 팩플 tech section.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"feedbot {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    parser.add_argument(
        "--log-format",
        choices=["text", "json"],
        default="text",
        help="log lines as text (default) or JSON objects",
    )
    parser.add_argument("--debug", action="store_true", help="tracebacks for internal errors")
    # the same options after the command name; SUPPRESS keeps them from resetting the above
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="count", default=argparse.SUPPRESS, help="more log output"
    )
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="only warnings and errors",
    )
    common.add_argument(
        "--log-format",
        choices=["text", "json"],
        default=argparse.SUPPRESS,
        help="log lines as text (default) or JSON objects",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="tracebacks for internal errors",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help,
            description=help,
            epilog=EXIT_CODES,
            parents=[common],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    run = add("run", "fetch new stories once and write the feeds (safe to call from cron)")
    run.add_argument("--once", action="store_true", help="one cycle, then exit (the default)")
    run.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: ./config.toml when present, else built-in defaults)",
    )
    run.set_defaults(func=cmd_run)

    daemon = add("daemon", "run on the schedule of [schedule] until SIGTERM (APScheduler)")
    daemon.add_argument("--config", metavar="PATH", help="config file (re-read at every run)")
    daemon.set_defaults(func=cmd_daemon)

    backfill = add("backfill", "walk older list pages politely and store their stories")
    scope = backfill.add_mutually_exclusive_group(required=True)
    scope.add_argument(
        "--pages", type=_positive, metavar="N", help="list pages to walk (from page 1), N >= 1"
    )
    scope.add_argument("--since", metavar="YYYY-MM-DD", help="walk until stories are older")
    backfill.add_argument("--config", metavar="PATH", help="config file")
    backfill.set_defaults(func=cmd_backfill)

    again = add(
        "reextract",
        "extract and classify the archived pages again, with no request to the site",
    )
    which = again.add_mutually_exclusive_group()
    which.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="pages fetched on or after this day (Korea time); default: the whole archive",
    )
    which.add_argument(
        "--ids", nargs="+", type=_positive_id, metavar="ID", help="only these article ids"
    )
    again.add_argument(
        "--dry-run", action="store_true", help="report what would change, change nothing"
    )
    again.add_argument("--config", metavar="PATH", help="config file")
    again.set_defaults(func=cmd_reextract)

    check = add("check", "check config, reach the site and extract one article (writes nothing)")
    check.add_argument("--config", metavar="PATH", help="config file")
    check.set_defaults(func=cmd_check)

    status = add("status", "print status.json (beside the store, or output.status_path)")
    status.add_argument("--config", metavar="PATH", help="config file")
    status.add_argument("--json", action="store_true", help="print the raw JSON")
    status.add_argument(
        "--file", metavar="PATH", help="read this status.json instead of the config's"
    )
    status.set_defaults(func=cmd_status)

    demo = add("demo", "serve the local replica of 팩플, scrape it once and write feeds")
    demo.add_argument("--out", default="feeds", metavar="DIR", help="output directory (feeds)")
    demo.add_argument(
        "--store",
        default=".feedbot/demo.db",
        metavar="PATH",
        help="SQLite store for the demo (.feedbot/demo.db)",
    )
    demo.add_argument("--port", type=_port, default=8089, help="replica port if free (8089)")
    demo.set_defaults(func=cmd_demo)

    replica = add("replica", "serve the replica of 팩플 for manual browsing")
    replica.add_argument("--port", type=_port, default=8080, help="port (8080)")
    replica.add_argument("--host", default="127.0.0.1", help="address (127.0.0.1)")
    replica.set_defaults(func=cmd_replica)

    serve = add("serve", "preview the output directory over HTTP (MIME types, ETag, 304)")
    serve.add_argument("--port", type=_port, default=8000, help="port (8000)")
    serve.add_argument("--dir", default="feeds", help="directory to serve (feeds)")
    serve.add_argument("--host", default="127.0.0.1", help="address (127.0.0.1)")
    serve.set_defaults(func=cmd_serve)

    classify = add("classify", "label stories from JSON Lines (title, text) and say why")
    classify.add_argument(
        "file", nargs="?", metavar="FILE|-", help="JSON Lines input (default: standard input)"
    )
    classify.add_argument("--config", metavar="PATH", help="config file with [topics.*]")
    classify.add_argument(
        "--eval",
        action="store_true",
        help="compare with the input's gold labels: precision, recall, F1",
    )
    classify.set_defaults(func=cmd_classify)

    explain = add("explain", "show why a stored article was kept or dropped, topic by topic")
    explain.add_argument("article_id", type=_article_id, help="the article's numeric id")
    explain.add_argument("--config", metavar="PATH", help="config file")
    explain.add_argument(
        "--store",
        metavar="PATH",
        help="the store to read (default: store.path; the demo's: .feedbot/demo.db)",
    )
    explain.set_defaults(func=cmd_explain)

    train = add(
        "train", "rebuild the topic model's weights from the labelled corpus (needs scikit-learn)"
    )
    train.add_argument(
        "--corpus",
        nargs="+",
        metavar="FILE",
        help="JSON Lines with gold labels; held-out lines are skipped "
        f"(default: {' '.join(DEFAULT_CORPUS)})",
    )
    train.add_argument(
        "--out", metavar="PATH", help="weight file to write (default: the one shipped in feedbot)"
    )
    train.add_argument("--config", metavar="PATH", help="config file with [topics.*]")
    train.set_defaults(func=cmd_train)
    label = add(
        "label",
        "correct a stored story's topics (+ai -sme), kept over every re-classification",
    )
    label.add_argument(
        "article_id",
        nargs="?",
        type=_article_id,
        metavar="ARTICLE_ID",
        help="the story to correct, followed by +TOPIC (add) and -TOPIC (remove)",
    )
    label.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="TOPIC",
        help="add a topic: the same as +TOPIC after the id",
    )
    label.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="TOPIC",
        help="remove a topic: the same as -TOPIC after the id",
    )
    label.add_argument("--note", metavar="TEXT", help="why (kept in the store, never published)")
    label.add_argument("--list", action="store_true", help="list the recorded overrides")
    label.add_argument("--remove", type=int, metavar="ARTICLE_ID", help="drop a story's override")
    label.add_argument(
        "--export",
        nargs="?",
        const="-",
        metavar="FILE|-",
        help="write the corrected stories as corpus JSON Lines (default: standard output)",
    )
    label.add_argument("--config", metavar="PATH", help="config file (its [topics])")
    label.add_argument("--store", metavar="PATH", help="the store (default: store.path)")
    label.set_defaults(func=cmd_label)

    doctor = add("doctor", "list stored rows that no longer read; --quarantine sets them aside")
    doctor.add_argument("--config", metavar="PATH", help="config file")
    doctor.add_argument("--store", metavar="PATH", help="the store to check (default: store.path)")
    doctor.add_argument(
        "--quarantine", action="store_true", help="move unreadable rows to a quarantine table"
    )
    doctor.set_defaults(func=cmd_doctor)

    extract = add("extract", "print what the extractor reads from a saved page, as JSON")
    extract.add_argument("kind", choices=["article", "list"], help="article page or list page")
    extract.add_argument("file", metavar="FILE.html", help="the saved page")
    extract.add_argument("--url", help="the page's URL (default: its og:url / canonical link)")
    extract.add_argument(
        "--canonical-base",
        default="https://www.joongang.co.kr",
        help="base of canonical article URLs (https://www.joongang.co.kr)",
    )
    extract.set_defaults(func=cmd_extract)
    return parser


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (it may be replaced after set-up)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


class _JsonFormatter(logging.Formatter):
    """One JSON object per line, for journald and log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def _setup_logging(verbose: int, quiet: bool, log_format: str = "text") -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = _StderrHandler()
    handler.setFormatter(
        _JsonFormatter()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger("feedbot")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


_TOPIC_CHANGE = re.compile(r"[+-][a-z][a-z0-9_-]*")
_SHORT_FLAGS = re.compile(r"-[hvq]+")
_VALUE_OPTIONS = {"--log-format", "--note", "--config", "--store", "--remove", "--export"}


def _topic_changes(argv: Sequence[str]) -> list[str]:
    """After `label`, `+ai` and `-sme` name topics: they become --add=ai and --drop=sme before
    argparse sees them, which would read `-quantum` as -q with an argument."""
    out: list[str] = []
    command = None
    value_next = False
    for token in argv:
        if (
            command == "label"
            and not value_next
            and _TOPIC_CHANGE.fullmatch(token)
            and not _SHORT_FLAGS.fullmatch(token)
        ):
            token = ("--add=" if token[0] == "+" else "--drop=") + token[1:]
        elif command is None and not value_next and not token.startswith("-"):
            command = token
        out.append(token)
        value_next = token in _VALUE_OPTIONS
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(_topic_changes(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    _setup_logging(args.verbose, args.quiet, args.log_format)
    try:
        code: int = args.func(args)
    except FeedbotError as exc:
        print(f"feedbot: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("feedbot: interrupted", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug: say so in one line, the traceback with --debug
        if args.debug:
            raise
        print(
            f"feedbot: internal error: {type(exc).__name__}: {exc} (run with --debug for "
            "the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return code
