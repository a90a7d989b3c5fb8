"""A curator's overrides (`feedbot label`): recorded beside the classifier's verdict and
applied to the labels the feeds use, through every re-classification."""

from __future__ import annotations

import json
import logging

from feedbot.models import (
    LabelOverride,
)
from feedbot.store.articles import Articles
from feedbot.store.connection import Database
from feedbot.store.rows import (
    read_verdict,
    stamp,
)

log = logging.getLogger(__name__)


class Overrides(Articles):
    def set_override(self, override: LabelOverride) -> None:
        """Record (or replace) a curator's override and apply it to the stored labels at once;
        the story's month is marked so that its archive documents are written again."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO label_overrides"
                " (article_id, add_topics, remove_topics, note, set_at) VALUES (?,?,?,?,?)",
                (
                    override.article_id,
                    json.dumps(list(override.add)),
                    json.dumps(list(override.remove)),
                    override.note,
                    stamp(override.when),
                ),
            )
            self._relabel(db, override.article_id)

    def remove_override(self, article_id: int) -> bool:
        """Drop the override: the story is back to the classifier's verdict. False if none."""
        with self.transaction() as db:
            gone = db.execute("DELETE FROM label_overrides WHERE article_id = ?", (article_id,))
            if gone.rowcount:
                self._relabel(db, article_id)
        return bool(gone.rowcount)

    def overrides(self) -> list[LabelOverride]:
        """Every recorded override, by article id (also those whose story is no longer stored)."""
        with self._errors("read"):
            rows = self.db.execute("SELECT article_id FROM label_overrides").fetchall()
            found = self._overrides_of(self.db, [row["article_id"] for row in rows])
        return [found[article_id] for article_id in sorted(found)]

    def _relabel(self, db: Database, article_id: int) -> None:
        """Index the story's labels again from its stored verdict (nothing is re-classified)."""
        row = db.execute("SELECT topics FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return  # quarantined: the override applies when the story is stored again
        self._save_topics(db, article_id, read_verdict(row["topics"]))
        self._dirty(db, article_id)
