"""Command line: arguments (cli/parser.py), the operator's commands (cli/commands.py), the
curator's (cli/curation.py); here, FeedbotError -> one stderr line + its exit code.

Expected failures (network down, site errors, bad config, a changed site) print one line and
exit with their documented code; anything else is a bug: one line too. --debug adds the
traceback, for either."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

from feedbot.cli.parser import EXIT_CODES, build_parser, topic_changes
from feedbot.errors import EXIT_FAILED, FeedbotError
from feedbot.ops.logs import setup_logging

__all__ = ["EXIT_CODES", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(topic_changes(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    setup_logging(args.verbose, args.quiet, args.log_format)
    try:
        code: int = args.func(args)
    except FeedbotError as exc:
        print(f"feedbot: error: {exc}", file=sys.stderr)
        if args.debug:  # the whole chain: what failed underneath the one line
            traceback.print_exception(exc, file=sys.stderr)
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
