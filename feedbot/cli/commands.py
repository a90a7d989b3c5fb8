"""The operator's commands: run, daemon, backfill, reextract, check, status, demo, replica,
serve, doctor, extract. Each parses nothing (cli/parser.py does) and decides nothing the
pipeline or ops/ decide: it calls them and prints."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from feedbot.cli.common import (
    bound,
    checked_config,
    load,
    read_page,
    since_day,
    store_path,
    summary,
)
from feedbot.errors import EXIT_FAILED, EXIT_OK, EXIT_SITE_CHANGED, ConfigError, FeedbotError
from feedbot.models import article_to_dict
from feedbot.ops.runner import execute

log = logging.getLogger("feedbot")


def cmd_run(args: argparse.Namespace) -> int:
    config = checked_config(args)
    report = execute(config)
    print(summary(report, config.output.dir))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from feedbot.ops.demo import run_demo

    try:
        config, report = run_demo(Path(args.out), Path(args.store), args.port)
    except ConfigError as exc:  # name the demo's own options, not config keys
        raise ConfigError(
            str(exc).replace("output.dir", "--out").replace("store.path", "--store")
        ) from exc
    print(summary(report, config.output.dir))
    print(f"store: {config.store.path}")
    print(f"status: feedbot status --file {config.status_file}")
    return EXIT_OK


def cmd_daemon(args: argparse.Namespace) -> int:
    import os

    from feedbot.ops.daemon import run_daemon

    if not run_daemon(lambda: checked_config(args), lambda r, c: summary(r, c.output.dir)):
        # a run still stuck after schedule.shutdown_timeout_s: its worker thread would keep the
        # interpreter alive (threads are joined at exit), so leave without waiting for it;
        # store and output are written atomically, nothing is left half-done
        logging.shutdown()
        os._exit(EXIT_OK)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from feedbot.ops.status import format_status

    path = Path(args.file) if args.file else load(args).status_file
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FeedbotError(f"{path}: no status yet (no run has finished)") from exc
    except (OSError, ValueError) as exc:
        raise FeedbotError(f"{path}: unreadable: {exc}") from exc
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else format_status(data))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from feedbot.ops.daemon import build_trigger
    from feedbot.ops.runner import check_site

    config = checked_config(args)
    build_trigger(config.schedule)
    report = check_site(config)
    print("\n".join(report.lines))
    print("result: ok" if report.healthy else "result: the site's markup needs a look")
    return EXIT_OK if report.healthy else EXIT_SITE_CHANGED


def cmd_backfill(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from feedbot.ops.runner import execute_backfill

    config = checked_config(args)
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
    print(summary(report, config.output.dir))
    return EXIT_OK


def cmd_reextract(args: argparse.Namespace) -> int:
    from feedbot.ops.runner import execute_reextract

    config = checked_config(args)
    since = since_day(args.since) if args.since else None
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


def cmd_replica(args: argparse.Namespace) -> int:
    from feedbot.replica import ReplicaServer

    server = bound(lambda: ReplicaServer(port=args.port, host=args.host), args)
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
    server = bound(lambda: make_server(root, args.port, args.host), args)
    host, port = server.server_address[:2]
    print(f"serving {root} at http://{host!s}:{port}/ (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from feedbot.ops.runner import utc_now
    from feedbot.store.db import Store

    config = load(args)
    path = store_path(args, config)
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


def cmd_extract(args: argparse.Namespace) -> int:
    from feedbot.extract import page_url, parse_article, parse_list_page
    from feedbot.normalize import public_url

    html = read_page(args.file)
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
