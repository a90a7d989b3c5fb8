"""The connection every part of the store shares: opening (WAL, migrations, read-only),
transactions, and the database's own failures as StoreError naming the file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from feedbot.errors import StoreError
from feedbot.store.migrations import MIGRATIONS

# the types the other parts of the store name (only this module imports sqlite3)
Database = sqlite3.Connection
Row = sqlite3.Row


class Connection:
    # how long a write waits for another process's lock before failing with "database is locked"
    BUSY_TIMEOUT_S = 10.0

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """`read_only` (explain, doctor without --quarantine, label --list): open without
        writing anything, so that a store on a read-only mount can still be looked at."""
        self.path = path
        with self._errors("open"):
            if read_only:
                self.db = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
                )
                self.db.row_factory = sqlite3.Row
                version = self.db.execute("PRAGMA user_version").fetchone()[0]
                if version != len(MIGRATIONS):
                    raise StoreError(
                        f"{path}: schema version {version}, this feedbot reads {len(MIGRATIONS)}"
                        " (run feedbot once, with write access, to bring it up to date)"
                    )
                return
            self.db = sqlite3.connect(path, isolation_level=None, timeout=self.BUSY_TIMEOUT_S)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """The database's own failures (locked, disk full or I/O, not a database, corrupt) as
        StoreError naming the file; a mistake in our SQL (ProgrammingError, IntegrityError,
        InterfaceError) is a bug and stays one."""
        try:
            yield
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError):
            raise
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot {action}: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._errors("write"):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this feedbot knows"
            )
        for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction() as db:
                for statement in statements:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    def get_meta(self, key: str) -> str | None:
        with self._errors("read"):
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
