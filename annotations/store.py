"""The annotation store: TinyDB on a JournaledStorage, one small table per article, a file lock for writers.

Tables:
- `meta`              one document: schema_version.
- `articles`          one document per article (id, title, text, url, meta, noise, text_hash).
- `status`            done-state per article (kept apart so marking done never rewrites the article texts).
- `spans/<id>`        the article's span annotations.
- `stances/<id>`      the article's stances, one per target and annotator.
- `history/<id>`      the article's undo/redo history (see annotations.history).

Two processes may write to one store: each write takes `<store>.lock`, re-reads whatever another process
wrote since, then applies its change, so no update is lost. A process sees the other's changes at its next
write or when it opens the store again.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Table

from annotations.ingest import Problem, Sourced
from annotations.model import Article, Span, Stance
from annotations.storage import JournaledStorage, StoreCorrupt, remove_stray_temp

SCHEMA_VERSION = 1
LOCK_TIMEOUT_S = 15


class StoreError(Exception):
    """A store that cannot be used as it is; the message names the file. Nothing was written."""


class DuplicateSpan(ValueError):
    """An identical span (same offsets, layer and label) is already stored."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Store:
    """All reads and writes of annotations go through here; every write is durable when the call returns."""

    def __init__(self, path: str | Path, annotator: str = "annotator", compact_bytes: int | None = None) -> None:
        self.path = Path(path)
        self.annotator = annotator
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)
        with self._locked():
            remove_stray_temp(self.path)
            self.storage = JournaledStorage(self.path, **({"compact_bytes": compact_bytes} if compact_bytes else {}))
            try:
                self.db = TinyDB(storage=lambda: self.storage)
                self.storage.read()
            except StoreCorrupt as error:
                raise StoreError(str(error)) from None
            self._check_version()

    # -- plumbing --------------------------------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            with self._lock:
                yield
        except Timeout:
            raise StoreError(f"{self.path}: another hamish process holds the store lock "
                             f"({self._lock.lock_file}) for over {LOCK_TIMEOUT_S} s") from None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the lock and start from what is on disk (another process may have written)."""
        with self._locked():
            if self.storage.changed_on_disk():
                try:
                    self.storage.reload()
                except StoreCorrupt as error:
                    raise StoreError(str(error)) from None
            yield

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes under the lock, saved as one journal line: all of them or none."""
        with self._writing(), self.storage.batch():
            yield

    def table(self, name: str) -> Table:
        # A fresh Table each time: its id counter and query cache never go stale across processes.
        return Table(self.storage, name, cache_size=0)

    def _check_version(self) -> None:
        meta = self.table("meta").all()
        if not meta:
            self.table("meta").insert({"schema_version": SCHEMA_VERSION, "created": now()})
            return
        version = meta[0].get("schema_version")
        if not isinstance(version, int):
            raise StoreError(f"{self.path}: no schema_version; not a hamish store")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer hamish (store schema {version}, this hamish reads up "
                             f"to {SCHEMA_VERSION}); upgrade hamish. The file was not changed.")
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Copy the files exactly as they are, then migrate (the copies are never touched again)."""
        for source in (self.path, self.storage.journal_path):
            if source.exists():
                shutil.copy2(source, source.with_name(f"{source.name}.schema{version}.bak"))
        # No older schema exists yet; each future step goes here, oldest first.
        self.table("meta").update({"schema_version": SCHEMA_VERSION, "migrated_from": version})

    @property
    def corpus_name(self) -> str:
        meta = self.table("meta").all()
        return (meta[0].get("corpus") if meta else None) or self.path.stem

    def set_corpus_name(self, name: str) -> None:
        with self._writing():
            self.table("meta").update({"corpus": name})

    def close(self) -> None:
        with self._locked():
            if self.storage.journal_path.exists() and self.storage.journal_path.stat().st_size:
                self.storage.compact()

    # -- articles --------------------------------------------------------------------------------------------
    def articles(self) -> list[Article]:
        return [Article.from_record(doc) for doc in self.table("articles").all()]

    def article(self, article_id: str) -> Article | None:
        for doc in self.table("articles").all():
            if doc["id"] == article_id:
                return Article.from_record(doc)
        return None

    def import_articles(self, items: Iterable[Sourced | Problem]) -> ImportReport:
        """Add new articles in one write. Same id and text: unchanged. Same id, other text: a problem."""
        report = ImportReport()
        with self._writing():
            by_id = {doc["id"]: doc.get("text_hash") for doc in self.table("articles").all()}
            new: list[dict[str, Any]] = []
            for item in items:
                if isinstance(item, Problem):
                    report.problems.append(item)
                    continue
                article = item.article
                known = by_id.get(article.id)
                if known is None:
                    by_id[article.id] = article.text_hash
                    new.append(article.to_record())
                    report.added.append(article.id)
                elif known == article.text_hash:
                    report.unchanged.append(article.id)
                else:
                    report.problems.append(item.problem(
                        f"id '{article.id}' is already stored with a different text; not imported"))
            if new:
                self.table("articles").insert_multiple(new)
        return report

    # -- done-state ------------------------------------------------------------------------------------------
    def done_ids(self) -> set[str]:
        return {doc["article_id"] for doc in self.table("status").all() if doc.get("done")}

    def set_done(self, article_id: str, done: bool = True) -> None:
        with self._writing():
            table = self.table("status")
            table.remove(lambda doc: doc["article_id"] == article_id)
            table.insert({"article_id": article_id, "done": done, "annotator": self.annotator, "updated": now()})

    # -- spans and stances: every change goes through apply(), with its undo entry in the same journal line --
    def spans(self, article_id: str) -> list[Span]:
        spans = [Span.from_record(doc) for doc in self.table(f"spans/{article_id}").all()]
        return sorted(spans, key=lambda s: (s.start, -s.end, s.layer, s.label))

    def span_counts(self) -> dict[str, int]:
        data = self.storage.read()
        return {name.removeprefix("spans/"): len(table) for name, table in data.items() if name.startswith("spans/")}

    def stances(self, article_id: str) -> list[Stance]:
        return [Stance.from_record(doc) for doc in self.table(f"stances/{article_id}").all()]

    def new_span(self, article: Article, start: int, end: int, layer: str, label: str, note: str = "") -> Span:
        if not 0 <= start < end <= len(article.text):
            raise ValueError(f"span {start}:{end} is outside the article (length {len(article.text)})")
        stamp = now()
        return Span(id=uuid.uuid4().hex, article_id=article.id, start=start, end=end, layer=layer, label=label,
                    text=article.text[start:end], note=note, annotator=self.annotator, created=stamp,
                    updated=stamp, text_hash=article.text_hash)

    def add_span(self, article: Article, start: int, end: int, layer: str, label: str, note: str = "") -> Span:
        span = self.new_span(article, start, end, layer, label, note)
        self.add_spans(article.id, [span], f"tag {label}")
        return span

    def add_spans(self, article_id: str, spans: list[Span], description: str) -> None:
        """Add spans as one undoable step; an exact duplicate of a stored span is refused."""
        with self._writing():
            stored = {s.key for s in self.spans(article_id)}
            for span in spans:
                if span.key in stored:
                    raise DuplicateSpan(f"{span.label} is already tagged on «{span.text}»")
                stored.add(span.key)
            self.apply(article_id, [Change("span", None, s.to_record()) for s in spans], description)

    def delete_span(self, article_id: str, span_id: str) -> Span | None:
        span = next((s for s in self.spans(article_id) if s.id == span_id), None)
        if span:
            self.apply(article_id, [Change("span", span.to_record(), None)], f"delete {span.label}")
        return span

    def set_note(self, article_id: str, span_id: str, note: str) -> Span | None:
        span = next((s for s in self.spans(article_id) if s.id == span_id), None)
        if span:
            after = Span.from_record({**span.to_record(), "note": note, "updated": now()})
            self.apply(article_id, [Change("span", span.to_record(), after.to_record())], "note")
        return span

    def set_stance(self, article_id: str, target: str, value: str, note: str = "") -> Stance:
        stance = Stance(article_id, target, value, note, self.annotator, now())
        before = next((s for s in self.stances(article_id) if s.target == target and s.annotator == self.annotator),
                      None)
        self.apply(article_id, [Change("stance", before.to_record() if before else None, stance.to_record())],
                   f"stance {value}")
        return stance

    def delete_stance(self, article_id: str, target: str) -> bool:
        before = next((s for s in self.stances(article_id) if s.target == target and s.annotator == self.annotator),
                      None)
        if before:
            self.apply(article_id, [Change("stance", before.to_record(), None)], "delete stance")
        return before is not None

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
                history.remove(lambda doc: doc["undone"])  # a new change ends the redo branch
                seq = max((doc["seq"] for doc in history.all()), default=0) + 1
                history.insert({"seq": seq, "description": description, "undone": False, "time": now(),
                                "annotator": self.annotator, "changes": [c.to_record() for c in changes]})

    def undo(self, article_id: str) -> str | None:
        """Undo the article's latest change; returns its description, or None when there is nothing to undo."""
        return self._step(article_id, undo=True)

    def redo(self, article_id: str) -> str | None:
        return self._step(article_id, undo=False)

    def _step(self, article_id: str, undo: bool) -> str | None:
        with self._writing(), self.storage.batch():
            history = self.table(f"history/{article_id}")
            entries = [doc for doc in history.all() if doc["undone"] != undo]
            if not entries:
                return None
            entry = max(entries, key=lambda d: d["seq"]) if undo else min(entries, key=lambda d: d["seq"])
            changes = [Change.from_record(c) for c in entry["changes"]]
            if undo:
                changes = [Change(c.kind, c.after, c.before) for c in reversed(changes)]
            self.apply(article_id, changes, entry["description"], record=False)
            history.update({"undone": undo}, lambda doc: doc["seq"] == entry["seq"])
            return entry["description"]


@dataclass(frozen=True)
class Change:
    """One record replaced by another in an article's spans or stances table (None: absent)."""

    kind: str  # "span", "stance", "suggestion" or "conflict": the table is f"{kind}s/<article id>"
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def matches(self, record: dict[str, Any]):
        if self.kind in ("span", "suggestion", "conflict"):
            return lambda doc: doc["id"] == record["id"]
        return lambda doc: doc["target"] == record["target"] and doc["annotator"] == record["annotator"]

    def to_record(self) -> dict[str, Any]:
        return {"kind": self.kind, "before": self.before, "after": self.after}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Change:
        return cls(record["kind"], record["before"], record["after"])
