"""The package rules: each outside library has one owner, imports point downward only, edges never
import each other, pure packages touch no I/O library, and the replica knows nothing of the rest.

Layers, top to bottom (a module may import its own package and any layer below its own):

    shell           __main__, then cli, then ops
    orchestration   pipeline
    edges           fetch, extract, store, render, publish   (never each other; publish writes
                                                              out what render makes, from the store)
    config          config                                   (reads topic tables through curate)
    pure core       curate, normalize
    foundation      models, errors, __init__ (version)
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "feedbot"

# library -> the only modules allowed to import it
OWNERS = {
    "httpx": {"fetch/http.py"},
    "protego": {"fetch/http.py"},
    "sqlite3": {"store/connection.py"},
    "feedgen": {"render/atom.py"},
    # the HTML tree the extractors read, and the page's charset (bs4.dammit)
    "bs4": {"extract/dom.py"},
    # RELAX NG validation; lxml also parses every page, as the parser dom.py names to bs4
    "lxml": {"publish/validate.py"},
    "nh3": {"render/sanitize.py"},
    "filelock": {"ops/lock.py"},
    "apscheduler": {"ops/daemon.py"},
    "regex": {"curate/patterns.py"},
    "tqdm": {"cli/commands.py"},
    # `feedbot train` only: a development dependency (the `test` extra), never on the run path
    "sklearn": {"curate/train.py"},
    "numpy": {"curate/train.py"},
    "scipy": {"curate/train.py"},
}
LAYERS = {
    "cli": 8,
    "__main__": 9,
    "ops": 7,
    "pipeline": 6,
    "fetch": 5,
    "extract": 5,
    "store": 5,
    "render": 5,
    "publish": 5,
    "config": 4,
    "curate": 3,
    "normalize": 3,
    "errors": 2,  # names RunReport (UnhealthyRun carries one)
    "models": 1,
    "__init__": 1,
    "replica": 0,  # stands apart: imports only itself
}
EDGES = {"fetch", "extract", "store", "render", "publish"}
# edge -> other edges it may use
EDGE_USES = {"publish": {"render"}}
# packages that may do no I/O: no network, files, database or clock libraries
PURE = {"curate", "normalize", "models", "errors", "extract", "render"}
IO_LIBRARIES = {"httpx", "sqlite3", "socket", "filelock", "apscheduler", "subprocess", "shutil"}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def unit(relative: str) -> str:
    """The layer unit of a module path: its package, or the top-level module's name."""
    return relative.split("/")[0].removesuffix(".py")


def modules() -> list[tuple[str, set[str]]]:
    return [(p.relative_to(PACKAGE).as_posix(), imports(p)) for p in PACKAGE.rglob("*.py")]


def ours(found: set[str]) -> set[str]:
    return {m.split(".")[1] for m in found if m.startswith("feedbot.")}


def test_every_module_belongs_to_a_layer() -> None:
    """A new package must be placed in the layer table before it can be imported."""
    for name, _found in modules():
        assert unit(name) in LAYERS, name


def test_outside_libraries_have_one_owner() -> None:
    for name, found in modules():
        for library, owners in OWNERS.items():
            if any(m == library or m.startswith(library + ".") for m in found):
                assert name in owners, (name, library)


def test_imports_point_downward() -> None:
    for name, found in modules():
        own = unit(name)
        if own == "replica":
            continue
        for target in ours(found) - {own}:
            assert LAYERS[target] < LAYERS[own] or target in EDGE_USES.get(own, set()), (
                f"{name} imports feedbot.{target} (layer {LAYERS[target]} >= {LAYERS[own]})"
            )


def test_edges_do_not_import_each_other() -> None:
    for name, found in modules():
        own = unit(name)
        if own not in EDGES:
            continue
        for target in ours(found) & EDGES - {own}:
            assert target in EDGE_USES.get(own, set()), (name, target)


def test_pure_packages_do_no_io() -> None:
    for name, found in modules():
        if unit(name) in PURE:
            bad = {m for m in found if m.split(".")[0] in IO_LIBRARIES}
            assert not bad, (name, bad)


def test_replica_imports_nothing_of_the_pipeline() -> None:
    for name, found in modules():
        if name.startswith("replica/"):
            assert ours(found) <= {"replica"}, (name, found)


def test_only_feedbot_train_reaches_the_training_module() -> None:
    """scikit-learn must never load in `feedbot run`: curate/train.py is imported by no module
    but cli/curation.py, and there only inside `cmd_train` (tests/test_model.py runs
    `feedbot run` in a fresh interpreter and finds sklearn unloaded)."""
    for name, found in modules():
        if name not in ("cli/curation.py", "curate/train.py"):
            assert "feedbot.curate.train" not in found, name
    tree = ast.parse((PACKAGE / "cli" / "curation.py").read_text(encoding="utf-8"))
    top = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert "feedbot.curate.train" not in top
    users = [
        f.name
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef)
        and any(
            isinstance(n, ast.ImportFrom) and n.module == "feedbot.curate.train"
            for n in ast.walk(f)
        )
    ]
    assert users == ["cmd_train"]
