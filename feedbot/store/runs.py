"""The run history: one row a run (its report, or the error that ended it), read back for
the health baseline and `feedbot status`."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import datetime

from feedbot.models import (
    RunReport,
)
from feedbot.store.connection import Connection
from feedbot.store.rows import (
    read_report,
    stamp,
)


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


log = logging.getLogger(__name__)


class Runs(Connection):
    def recent_fill(self, runs: int, min_sample: int = 3) -> list[dict[str, float]]:
        """Field fill rates of the last `runs` healthy runs that extracted enough articles."""
        with self._errors("read"):
            rows = self.db.execute(
                "SELECT report FROM runs WHERE result = 'ok' ORDER BY id DESC LIMIT 200"
            ).fetchall()
        found = []
        for row in rows:
            report = read_report(row["report"])
            fill = report.get("fill")
            extracted = report.get("extracted", 0)
            if not isinstance(extracted, int) or isinstance(extracted, bool):
                continue  # a damaged history row says nothing about the baseline
            if extracted >= min_sample and isinstance(fill, dict) and fill:
                try:
                    found.append({str(k): float(v) for k, v in fill.items()})
                except (TypeError, ValueError):
                    continue  # a damaged history row says nothing about the baseline
            if len(found) == runs:
                break
        return found

    def runs(self, limit: int) -> list[tuple[str, dict[str, object]]]:
        """(result, report) of the newest runs, newest first."""
        with self._errors("read"):
            rows = self.db.execute(
                "SELECT result, report FROM runs ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [(row["result"], read_report(row["report"])) for row in rows]

    def record_run(self, report: RunReport, result: str) -> None:
        self._insert_run(report.started, report.finished, result, asdict(report))

    def record_failed_run(
        self, started: datetime, finished: datetime, result: str, error: str
    ) -> None:
        """A run that ended in an error before it had a report (network down, locked, …)."""
        self._insert_run(
            started, finished, result, {"started": started, "finished": finished, "error": error}
        )

    def _insert_run(
        self, started: datetime, finished: datetime, result: str, report: dict[str, object]
    ) -> None:
        data = json.dumps(report, default=_json_default, ensure_ascii=False, sort_keys=True)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO runs (started, finished, result, report) VALUES (?,?,?,?)",
                (stamp(started), stamp(finished), result, data),
            )
