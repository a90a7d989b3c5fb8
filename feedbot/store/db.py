"""The SQLite store (connection.py alone imports sqlite3): one class made of its parts, each a
module of its own: connection.py (open, migrate, transactions), articles.py (stories),
overrides.py (a curator's labels), repair.py (damaged rows), crawl.py (validators, robots.txt,
failures, the page archive), runs.py (history) and state.py (typed meta values). WAL mode;
every write in a transaction, so a crash loses nothing already committed."""

from __future__ import annotations

from feedbot.store.crawl import Crawl
from feedbot.store.overrides import Overrides
from feedbot.store.repair import Repair
from feedbot.store.rows import BadRow
from feedbot.store.runs import Runs
from feedbot.store.state import MetaState

__all__ = ["BadRow", "Store"]


class Store(Overrides, Repair, Crawl, Runs, MetaState):
    """Store(path) opens (creating and migrating) the database; read_only=True looks without
    writing (explain, doctor, label --list)."""
