"""Every change to an article's annotations, and its undo and redo.

A change replaces records by others in an article's tables (spans, stances, relations, suggestions,
conflicts) and is logged in `history/<article>` with its annotator, in the same journal line. History is per
annotator: each undoes only their own changes, in their own order, and an undo or redo whose target another
process (or annotator) has changed since is refused, changing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class UndoRefused(Exception):
    """An undo or redo whose target another process (or annotator) has changed since; nothing was changed."""


class History:
    """Mixed into Store, which provides table(), _writing(), storage and annotator."""

    def apply(self, article_id: str, changes: list[Change], description: str, record: bool = True) -> None:
        """Replace each change's `before` by its `after`, and (unless undoing) log it for undo; one write."""
        with self._writing(), self.storage.batch():
            for change in changes:
                table = self.table(f"{change.kind}s/{article_id}")
                if change.before is not None:
                    table.remove(change.matches(change.before))
                if change.after is not None:
                    table.remove(change.matches(change.after))
                    table.insert(change.after)
            if record:
                history = self.table(f"history/{article_id}")
                # A new change ends this annotator's redo branch (never another annotator's).
                history.remove(lambda doc: doc["undone"] and doc.get("annotator") == self.annotator)
                seq = max((doc["seq"] for doc in history.all()), default=0) + 1
                history.insert({"seq": seq, "description": description, "undone": False, "time": now(),
                                "annotator": self.annotator, "changes": [c.to_record() for c in changes]})

    def undo(self, article_id: str) -> str | None:
        """Undo this annotator's latest change in the article; returns its description, or None when there is
        nothing to undo. Raises UndoRefused when another process has changed its target since."""
        return self._step(article_id, undo=True)

    def redo(self, article_id: str) -> str | None:
        return self._step(article_id, undo=False)

    def _step(self, article_id: str, undo: bool) -> str | None:
        """History is per annotator: each undoes only their own changes, in their own order."""
        with self._writing(), self.storage.batch():
            history = self.table(f"history/{article_id}")
            entries = [doc for doc in history.all()
                       if doc["undone"] != undo and doc.get("annotator", self.annotator) == self.annotator]
            if not entries:
                return None
            entry = max(entries, key=lambda d: d["seq"]) if undo else min(entries, key=lambda d: d["seq"])
            changes = [Change.from_record(c) for c in entry["changes"]]
            if undo:
                changes = [Change(c.kind, c.after, c.before) for c in reversed(changes)]
            for change in changes:
                if not self._is_current(article_id, change):
                    what = (change.before or change.after or {}).get("text") or (change.before or change.after
                                                                                 or {}).get("target", "")
                    raise UndoRefused(f"cannot {'undo' if undo else 'redo'} «{entry['description']}»: «{what}» was "
                                      f"changed since by another process; nothing was changed")
            self.apply(article_id, changes, entry["description"], record=False)
            history.update({"undone": undo}, lambda doc: doc["seq"] == entry["seq"])
            return entry["description"]

    def _is_current(self, article_id: str, change: Change) -> bool:
        """Is the table still as `change` expects (its `before` present as it was, or absent)?"""
        expected = change.before if change.before is not None else change.after
        found = [doc for doc in self.table(f"{change.kind}s/{article_id}").all() if change.matches(expected)(doc)]
        if change.before is None:
            return not found
        return len(found) == 1 and dict(found[0]) == change.before


@dataclass(frozen=True)
class Change:
    """One record replaced by another in an article's spans or stances table (None: absent)."""

    kind: str  # "span", "stance", "relation", "suggestion" or "conflict": the table is f"{kind}s/<article id>"
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def matches(self, record: dict[str, Any]):
        if self.kind in ("span", "suggestion", "conflict", "relation"):
            return lambda doc: doc["id"] == record["id"]
        return lambda doc: doc["target"] == record["target"] and doc["annotator"] == record["annotator"]

    def to_record(self) -> dict[str, Any]:
        return {"kind": self.kind, "before": self.before, "after": self.after}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Change:
        return cls(record["kind"], record["before"], record["after"])
