"""Each outside library is imported by one module only, and imports point downward."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "feedbot"

# library -> the only place allowed to import it
OWNERS = {
    "httpx": {"fetch.py"},
    "protego": {"fetch.py"},
    "sqlite3": {"store.py"},
    "feedgen": {"render/atom.py"},
    # two jobs, one owner each: the HTML tree the extractors read, and RELAX NG validation
    "lxml": {"validate.py", "extract/dom.py"},
    "nh3": {"sanitize.py"},
    "filelock": {"lock.py"},
    "apscheduler": {"daemon.py"},
}
# modules that must not import other feedbot modules beyond these
PURE = {
    "normalize.py": set(),
    "models.py": set(),
    "errors.py": set(),
    "config.py": {"feedbot", "feedbot.errors", "feedbot.topic_defaults"},
    "topic_defaults.py": set(),
    "topics.py": {"feedbot.config", "feedbot.models"},
    "evaluation.py": set(),
}
EDGES = {"fetch", "extract", "store", "render", "publish", "validate"}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def modules() -> list[tuple[str, set[str]]]:
    return [(p.relative_to(PACKAGE).as_posix(), imports(p)) for p in PACKAGE.rglob("*.py")]


def test_outside_libraries_have_one_owner() -> None:
    for name, found in modules():
        for library, owners in OWNERS.items():
            if any(m == library or m.startswith(library + ".") for m in found):
                assert any(name == o or name.startswith(o) for o in owners), (name, library)


def test_pure_modules_import_no_edges() -> None:
    for name, found in modules():
        if name in PURE:
            ours = {m for m in found if m == "feedbot" or m.startswith("feedbot.")}
            assert ours <= PURE[name], (name, ours - PURE[name])


def test_edges_do_not_import_each_other() -> None:
    for name, found in modules():
        own = name.split("/")[0].removesuffix(".py")
        if own not in EDGES:
            continue
        for module in found:
            parts = module.split(".")
            if parts[0] == "feedbot" and len(parts) > 1 and parts[1] in EDGES:
                # extract/body.py may use its own package
                assert parts[1] == own, (name, module)


def test_replica_imports_nothing_of_the_pipeline() -> None:
    for name, found in modules():
        if name.startswith("replica/"):
            ours = {m for m in found if m.startswith("feedbot")}
            assert all(m.startswith("feedbot.replica") for m in ours), (name, ours)
