"""The argument parser: every command, its options, and the options every command shares
(declared once)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

from feedbot import __version__
from feedbot.cli import commands, curation

EXIT_CODES = """exit codes:
  0  ok
  1  the run failed (network, store or output error); published feeds are left as they were
  2  usage or config error
  3  another run holds the lock
  4  the site's markup changed or the run was unhealthy (no cards, fields suddenly
     missing, extraction failing, every article request failing); nothing stored, feeds
     left as they were
"""


def port(text: str) -> int:
    value = integer(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, got {value}")
    return value


def article_id(text: str) -> int:
    """An article id: a whole number SQLite can hold (a longer one raised OverflowError)."""
    value = integer(text)
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"not an article id: {text!r}")
    return value


def positive(text: str) -> int:
    value = integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc


def positive_id(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"not an article id: {text!r}")
    return int(text)


def shared_options(parser: argparse.ArgumentParser, default: str | None) -> None:
    """The options every command takes, before or after its name (`default` SUPPRESS for
    the copy after it, so that an option given before the name is not reset)."""
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0 if default is None else default,
        help="more log output",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=False if default is None else default,
        help="only warnings and errors",
    )
    parser.add_argument(
        "--log-format",
        choices=["text", "json"],
        default="text" if default is None else default,
        help="log lines as text (default) or JSON objects",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if default is None else default,
        help="the traceback under the one-line error",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feedbot",
        description="Curated, enriched Atom feeds from the JoongAng 팩플 tech section.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"feedbot {__version__}")
    shared_options(parser, None)
    # the same options after the command name; SUPPRESS keeps them from resetting the above
    common = argparse.ArgumentParser(add_help=False)
    shared_options(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    with_config = argparse.ArgumentParser(add_help=False)
    with_config.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: ./config.toml when present, else built-in defaults)",
    )

    def add(name: str, help: str, *, config: bool = True) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help,
            description=help,
            epilog=EXIT_CODES,
            parents=[common, with_config] if config else [common],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    run = add("run", "fetch new stories once and write the feeds (safe to call from cron)")
    run.add_argument("--once", action="store_true", help="one cycle, then exit (the default)")
    run.set_defaults(func=commands.cmd_run)

    daemon = add(
        "daemon",
        "run on the schedule of [schedule] until SIGTERM (APScheduler); the config is re-read"
        " at every run",
    )
    daemon.set_defaults(func=commands.cmd_daemon)

    backfill = add("backfill", "walk older list pages politely and store their stories")
    scope = backfill.add_mutually_exclusive_group(required=True)
    scope.add_argument(
        "--pages", type=positive, metavar="N", help="list pages to walk (from page 1), N >= 1"
    )
    scope.add_argument("--since", metavar="YYYY-MM-DD", help="walk until stories are older")
    backfill.set_defaults(func=commands.cmd_backfill)

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
        "--ids", nargs="+", type=positive_id, metavar="ID", help="only these article ids"
    )
    again.add_argument(
        "--dry-run", action="store_true", help="report what would change, change nothing"
    )
    again.set_defaults(func=commands.cmd_reextract)

    check = add("check", "check config, reach the site and extract one article (writes nothing)")
    check.set_defaults(func=commands.cmd_check)

    status = add("status", "print status.json (beside the store, or output.status_path)")
    status.add_argument("--json", action="store_true", help="print the raw JSON")
    status.add_argument(
        "--file", metavar="PATH", help="read this status.json instead of the config's"
    )
    status.set_defaults(func=commands.cmd_status)

    demo = add(
        "demo", "serve the local replica of 팩플, scrape it once and write feeds", config=False
    )
    demo.add_argument("--out", default="feeds", metavar="DIR", help="output directory (feeds)")
    demo.add_argument(
        "--store",
        default=".feedbot/demo.db",
        metavar="PATH",
        help="SQLite store for the demo (.feedbot/demo.db)",
    )
    demo.add_argument("--port", type=port, default=8089, help="replica port if free (8089)")
    demo.set_defaults(func=commands.cmd_demo)

    replica = add("replica", "serve the replica of 팩플 for manual browsing", config=False)
    replica.add_argument("--port", type=port, default=8080, help="port (8080)")
    replica.add_argument("--host", default="127.0.0.1", help="address (127.0.0.1)")
    replica.set_defaults(func=commands.cmd_replica)

    serve = add(
        "serve", "preview the output directory over HTTP (MIME types, ETag, 304)", config=False
    )
    serve.add_argument("--port", type=port, default=8000, help="port (8000)")
    serve.add_argument("--dir", default="feeds", help="directory to serve (feeds)")
    serve.add_argument("--host", default="127.0.0.1", help="address (127.0.0.1)")
    serve.set_defaults(func=commands.cmd_serve)

    classify = add("classify", "label stories from JSON Lines (title, text) and say why")
    classify.add_argument(
        "file", nargs="?", metavar="FILE|-", help="JSON Lines input (default: standard input)"
    )
    classify.add_argument(
        "--eval",
        action="store_true",
        help="compare with the input's gold labels: precision, recall, F1",
    )
    classify.set_defaults(func=curation.cmd_classify)

    explain = add("explain", "show why a stored article was kept or dropped, topic by topic")
    explain.add_argument("article_id", type=article_id, help="the article's numeric id")
    explain.add_argument(
        "--store",
        metavar="PATH",
        help="the store to read (default: store.path; the demo's: .feedbot/demo.db)",
    )
    explain.set_defaults(func=curation.cmd_explain)

    train = add(
        "train", "rebuild the topic model's weights from the labelled corpus (needs scikit-learn)"
    )
    train.add_argument(
        "--corpus",
        nargs="+",
        metavar="FILE",
        help="JSON Lines with gold labels; held-out lines are skipped "
        f"(default: {' '.join(curation.DEFAULT_CORPUS)})",
    )
    train.add_argument(
        "--out", metavar="PATH", help="weight file to write (default: the one shipped in feedbot)"
    )
    train.set_defaults(func=curation.cmd_train)
    label = add(
        "label",
        "correct a stored story's topics (+ai -sme), kept over every re-classification",
    )
    label.add_argument(
        "article_id",
        nargs="?",
        type=article_id,
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
    label.add_argument("--store", metavar="PATH", help="the store (default: store.path)")
    label.set_defaults(func=curation.cmd_label)

    doctor = add("doctor", "list stored rows that no longer read; --quarantine sets them aside")
    doctor.add_argument("--store", metavar="PATH", help="the store to check (default: store.path)")
    doctor.add_argument(
        "--quarantine", action="store_true", help="move unreadable rows to a quarantine table"
    )
    doctor.set_defaults(func=commands.cmd_doctor)

    extract = add(
        "extract", "print what the extractor reads from a saved page, as JSON", config=False
    )
    extract.add_argument("kind", choices=["article", "list"], help="article page or list page")
    extract.add_argument("file", metavar="FILE.html", help="the saved page")
    extract.add_argument("--url", help="the page's URL (default: its og:url / canonical link)")
    extract.add_argument(
        "--canonical-base",
        default="https://www.joongang.co.kr",
        help="base of canonical article URLs (https://www.joongang.co.kr)",
    )
    extract.set_defaults(func=commands.cmd_extract)
    return parser


_TOPIC_CHANGE = re.compile(r"[+-][a-z][a-z0-9_-]*")


_SHORT_FLAGS = re.compile(r"-[hvq]+")


_VALUE_OPTIONS = {"--log-format", "--note", "--config", "--store", "--remove", "--export"}


def topic_changes(argv: Sequence[str]) -> list[str]:
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
