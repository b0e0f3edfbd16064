"""Every change to an article's annotations, and its undo and redo.

A change replaces records by others in an article's tables (spans, stances, relations, suggestions,
conflicts) and is logged in `history/<article>` with its annotator, in the same journal line. History is per
annotator: each undoes only their own changes, in their own order, and an undo or redo whose target another
process (or annotator) has changed since is refused, changing nothing.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinydb.table import Table

    from annotations.store.storage import JournaledStorage


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class UndoRefused(Exception):
    """An undo or redo whose target another process (or annotator) has changed since; nothing was changed."""


class History:
    """Mixed into Store. What it needs of the store is declared here (and defined by Store): the storage, the
    annotator, a table by name and the writing context (lock held, on-disk state read)."""

    if TYPE_CHECKING:  # declared for the checker: Store (and the other mixins) define them

        def _writing(self) -> AbstractContextManager[None]: ...
        def table(self, name: str) -> Table: ...

    storage: JournaledStorage
    annotator: str

    def apply(self, article_id: str, changes: list[Change], description: str, record: bool = True) -> None:
        """Replace each change's `before` by its `after`, and (unless undoing) log it for undo; one write.
        Each table is read and rewritten once however many changes it gets (accepting 1,700 suggestions in
        one go is one pass, not 1,700)."""
        with self._writing(), self.storage.batch():
            data = self.storage.read()
            edited: dict[str, dict[str, Any]] = {}
            index: dict[str, dict[tuple[Any, ...], str]] = {}  # per table: record key -> document id
            next_id: dict[str, int] = {}
            for change in changes:
                name = f"{change.kind}s/{article_id}"
                if name not in edited:
                    edited[name] = dict(data.get(name, {}))  # a new object: the journal writes changed tables
                    index[name] = {change.key(doc): doc_id for doc_id, doc in edited[name].items()}
                    next_id[name] = int(_next_id(edited[name]))
                table, keys = edited[name], index[name]
                for old in (change.before, change.after):
                    if old is not None and (doc_id := keys.pop(change.key(old), None)) is not None:
                        del table[doc_id]
                if change.after is not None:
                    doc_id = str(next_id[name])
                    next_id[name] += 1
                    table[doc_id] = dict(change.after)
                    keys[change.key(change.after)] = doc_id
            if record:
                name = f"history/{article_id}"
                history = {
                    k: doc
                    for k, doc in data.get(name, {}).items()
                    # A new change ends this annotator's redo branch (never another annotator's).
                    if not (doc["undone"] and doc.get("annotator") == self.annotator)
                }
                seq = max((doc["seq"] for doc in history.values()), default=0) + 1
                history[_next_id(history)] = {
                    "seq": seq,
                    "description": description,
                    "undone": False,
                    "time": now(),
                    "annotator": self.annotator,
                    "changes": [c.to_record() for c in changes],
                }
                edited[name] = history
            data.update(edited)
            self.storage.write_tables(data, edited)

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
            entries = [
                doc
                for doc in history.all()
                if doc["undone"] != undo and doc.get("annotator", self.annotator) == self.annotator
            ]
            if not entries:
                return None
            entry = max(entries, key=lambda d: d["seq"]) if undo else min(entries, key=lambda d: d["seq"])
            changes = [Change.from_record(c) for c in entry["changes"]]
            if undo:
                changes = [Change(c.kind, c.after, c.before) for c in reversed(changes)]
            for change in changes:
                if not self._is_current(article_id, change):
                    what = (change.before or change.after or {}).get("text") or (
                        change.before or change.after or {}
                    ).get("target", "")
                    raise UndoRefused(
                        f"cannot {'undo' if undo else 'redo'} «{entry['description']}»: «{what}» was "
                        f"changed since by another process; nothing was changed"
                    )
            self.apply(article_id, changes, entry["description"], record=False)
            history.update({"undone": undo}, lambda doc: doc["seq"] == entry["seq"])
            return str(entry["description"])

    def _is_current(self, article_id: str, change: Change) -> bool:
        """Is the table still as `change` expects (its `before` present as it was, or absent)?"""
        expected = change.before if change.before is not None else change.after
        assert expected is not None, "a change replaces a record, adds one or removes one"
        key = change.key(expected)
        table = self.storage.read().get(f"{change.kind}s/{article_id}", {})
        found = [doc for doc in table.values() if change.key(doc) == key]
        if change.before is None:
            return not found
        return len(found) == 1 and dict(found[0]) == change.before


def _next_id(table: dict[str, Any]) -> str:
    """TinyDB's next document id: one past the largest."""
    return str(max(map(int, table), default=0) + 1)


@dataclass(frozen=True)
class Change:
    """One record replaced by another in an article's spans or stances table (None: absent)."""

    kind: (
        str  # "span", "stance", "relation", "suggestion" or "conflict": the table is f"{kind}s/<article id>"
    )
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def key(self, record: dict[str, Any]) -> tuple[Any, ...]:
        """What identifies a record of this kind in its table: its id, or a stance's target and annotator."""
        if self.kind in ("span", "suggestion", "conflict", "relation"):
            return ("id", record.get("id"))
        return (record.get("target"), record.get("annotator"))

    def to_record(self) -> dict[str, Any]:
        return {"kind": self.kind, "before": self.before, "after": self.after}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Change:
        return cls(record["kind"], record["before"], record["after"])
