"""The annotation store: TinyDB on a JournaledStorage, one small table per article, a file lock for writers.

Tables:
- `meta`              one document: schema_version.
- `articles`          one document per article (id, title, text, url, meta, noise, text_hash).
- `status`            done-state per article (kept apart so marking done never rewrites the article texts).
- `spans/<id>`        the article's span annotations.
- `stances/<id>`      the article's stances, one per target and annotator.
- `history/<id>`      the article's undo/redo history (see annotations.history).

Two processes may write to one store: each write takes `<store>.lock`, re-reads whatever another process
wrote since, then applies its change, so no update is lost. A reader sees the other's changes at its next
write or refresh().
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

    def __init__(self, path: str | Path, annotator: str = "annotator") -> None:
        self.path = Path(path)
        self.annotator = annotator
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)
        with self._locked():
            remove_stray_temp(self.path)
            self.storage = JournaledStorage(self.path)
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
        backup = self.path.with_name(f"{self.path.name}.schema{version}.bak")
        self.storage.compact()
        shutil.copy2(self.path, backup)
        # No older schema exists yet; each future step goes here, oldest first.
        self.table("meta").update({"schema_version": SCHEMA_VERSION, "migrated_from": version})

    @property
    def corpus_name(self) -> str:
        meta = self.table("meta").all()
        return (meta[0].get("corpus") if meta else None) or self.path.stem

    def set_corpus_name(self, name: str) -> None:
        with self._writing():
            self.table("meta").update({"corpus": name})

    def refresh(self) -> None:
        """Pick up writes another process made."""
        if self.storage.changed_on_disk():
            with self._locked():
                self.storage.reload()

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

    # -- spans -----------------------------------------------------------------------------------------------
    def spans(self, article_id: str) -> list[Span]:
        spans = [Span.from_record(doc) for doc in self.table(f"spans/{article_id}").all()]
        return sorted(spans, key=lambda s: (s.start, -s.end, s.layer, s.label))

    def span_counts(self) -> dict[str, int]:
        data = self.storage.read()
        return {name.removeprefix("spans/"): len(table) for name, table in data.items() if name.startswith("spans/")}

    def add_span(self, article: Article, start: int, end: int, layer: str, label: str, note: str = "",
                 span_id: str | None = None) -> Span:
        if not 0 <= start < end <= len(article.text):
            raise ValueError(f"span {start}:{end} is outside the article (length {len(article.text)})")
        stamp = now()
        span = Span(id=span_id or uuid.uuid4().hex, article_id=article.id, start=start, end=end, layer=layer,
                    label=label, text=article.text[start:end], note=note, annotator=self.annotator,
                    created=stamp, updated=stamp, text_hash=article.text_hash)
        with self._writing():
            table = self.table(f"spans/{article.id}")
            if any(Span.from_record(doc).key == span.key for doc in table.all()):
                raise DuplicateSpan(f"{label} is already tagged on «{span.text}»")
            table.insert(span.to_record())
        return span

    def restore_span(self, span: Span) -> None:
        """Put back a span exactly as it was (undo of a delete, import of a native file)."""
        with self._writing():
            table = self.table(f"spans/{span.article_id}")
            table.remove(lambda doc: doc["id"] == span.id)
            table.insert(span.to_record())

    def delete_span(self, article_id: str, span_id: str) -> bool:
        with self._writing():
            return bool(self.table(f"spans/{article_id}").remove(lambda doc: doc["id"] == span_id))

    def set_note(self, article_id: str, span_id: str, note: str) -> None:
        with self._writing():
            self.table(f"spans/{article_id}").update({"note": note, "updated": now()},
                                                     lambda doc: doc["id"] == span_id)

    # -- stances ---------------------------------------------------------------------------------------------
    def stances(self, article_id: str) -> list[Stance]:
        return [Stance.from_record(doc) for doc in self.table(f"stances/{article_id}").all()]

    def set_stance(self, article_id: str, target: str, value: str, note: str = "") -> Stance:
        stance = Stance(article_id, target, value, note, self.annotator, now())
        with self._writing():
            table = self.table(f"stances/{article_id}")
            table.remove(lambda doc: doc["target"] == target and doc["annotator"] == self.annotator)
            table.insert(stance.to_record())
        return stance

    def delete_stance(self, article_id: str, target: str) -> bool:
        with self._writing():
            return bool(self.table(f"stances/{article_id}").remove(
                lambda doc: doc["target"] == target and doc["annotator"] == self.annotator))
