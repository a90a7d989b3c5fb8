"""The curator's commands: classify, explain, label, train."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from feedbot.cli.common import load, store_path, write_text
from feedbot.errors import EXIT_OK, EXIT_USAGE, ConfigError


def cmd_classify(args: argparse.Namespace) -> int:
    from feedbot.curate.tools import classify_lines, format_evaluations
    from feedbot.pipeline.run import topic_rules

    config = load(args)
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


def cmd_explain(args: argparse.Namespace) -> int:
    from feedbot.curate.classifier import classify
    from feedbot.curate.corrections import side_by_side
    from feedbot.curate.tools import explain
    from feedbot.pipeline.run import topic_rules
    from feedbot.store.db import Store

    config = load(args)
    rules, _model = topic_rules(config)
    path = store_path(args, config)
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

    config = load(args)
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

    config = load(args)
    if (args.add or args.drop or args.note is not None) and args.article_id is None:
        raise ConfigError("label: +TOPIC, -TOPIC and --note go with an ARTICLE_ID")
    modes = [args.list, args.remove is not None, args.export is not None]
    if sum(modes) + (args.article_id is not None) != 1:
        raise ConfigError(
            "label: give ARTICLE_ID with +TOPIC/-TOPIC, or one of --list, --remove ID, --export"
        )
    path = store_path(args, config)
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
            write_text(args.export, "".join(lines))
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
