"""The annotation store: TinyDB on a JournaledStorage, one small table per article, a file lock for writers.

Tables:
- `meta`              one document: schema_version.
- `articles`          one document per article (id, title, text, url, meta, noise, text_hash).
- `status`            done-state per article (kept apart so marking done never rewrites the article texts).
- `spans/<id>`        the article's span annotations.
- `stances/<id>`      the article's stances, one per target and annotator.
- `relations/<id>`    the article's links between spans (type, source span id, target span id).
- `history/<id>`      the article's undo/redo history (see annotations.history).

Two processes may write to one store: each write takes `<store>.lock`, re-reads whatever another process
wrote since, then applies its change, so no update is lost. A process sees the other's changes at its next
write or when it opens the store again.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Table

from annotations.errors import HamishError
from annotations.store.annotating import Annotations
from annotations.store.files import atomic_write
from annotations.store.history import Change, History, UndoRefused, now  # noqa: F401  (UndoRefused: re-exported)
from annotations.store.links import Links
from annotations.store.model import Article, ArticleIndex, Problem, Sourced
from annotations.store.storage import (
    JournaledStorage,
    StoreCorrupt,
    remove_stray_temp,
    store_id_of,
)

SCHEMA_VERSION = 2
"""1: the first store. 2: the meta table holds a `store_id` that every journal line names (an older hamish
refuses such a store as a newer one, rather than stumble on the journal)."""
LOCK_TIMEOUT_S = 15
REFRESH_LOCK_TIMEOUT_S = 0.2
HOLDER_BYTES = 240


class StoreError(HamishError):
    """A store that cannot be used as it is; the message names the file. Nothing was written."""


class StoreBusy(StoreError):
    """Another process held the store lock past the timeout; nothing was written, so nothing was acknowledged."""


class NotSaved(StoreError):
    """The operating system refused a write (disk full, read-only, I/O error): nothing of it was acknowledged,
    and what this process holds is what is on disk (the refused change is dropped)."""


def os_reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def is_read_only(path: Path) -> bool:
    """No write permission bits on the store file (or its journal) or its folder. Mode bits, not os.access:
    root may write anything, but a store someone made read-only is meant to stay as it is."""
    for candidate in (path, path.with_name(path.name + ".journal"), path.parent):
        try:
            mode = candidate.stat().st_mode
        except FileNotFoundError:
            continue
        if not mode & 0o222 or not os.access(candidate, os.W_OK):
            return True
    return False


@contextmanager
def _unlocked() -> Iterator[None]:
    """Readers take no lock: the storage reads one consistent state without it (see JournaledStorage.load)."""
    yield


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Store(History, Links, Annotations):
    """All reads and writes of annotations go through here; every write is durable when the call returns.

    `create=False` refuses a store that does not exist (commands that only read must not make one);
    `writable=False` opens for reading only: nothing is ever written, and a read-only store is accepted."""

    def __init__(
        self,
        path: str | Path,
        annotator: str = "annotator",
        compact_bytes: int | None = None,
        *,
        create: bool = True,
        writable: bool = True,
    ) -> None:
        self.path = Path(path)
        self.annotator = annotator
        self.writable = writable
        self._compact = compact_bytes
        journal = self.path.with_name(self.path.name + ".journal")
        if self.path.is_dir():
            raise StoreError(
                f"{self.path}: is a folder, not a store file (give a file, e.g. {self.path / 'store.json'})"
            )
        exists = self.path.exists() or journal.exists()
        if not exists and not create:
            raise StoreError(f"no such store: {self.path}")
        if writable and exists and is_read_only(self.path):
            raise StoreError(
                f"{self.path}: read-only (no write permission on the file or its folder), and hamish "
                f"saves every change at once; make it writable or open a copy. Nothing was changed."
            )
        if not exists:
            if any(parent.exists() and not parent.is_dir() for parent in self.path.parents):
                blocking = next(p for p in reversed(self.path.parents) if p.exists() and not p.is_dir())
                raise StoreError(f"{self.path}: {blocking} is a file, not a folder; nothing was created")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"{self.path.parent}: cannot create the store's folder ({error.strerror})"
                ) from None
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)
        self._holder_path = self.path.with_name(self.path.name + ".holder")
        self._others_saved = False
        """Another process's save was read since the last refresh() (the app then redraws)."""
        self.revision = 0
        """Goes up with every change of what this Store holds: once for each of its own writes (a transaction
        counts once) and once for each re-read of what other processes saved. What is computed over the whole
        store is kept with the revision it was computed at (tui.session), and made again when they differ."""
        self._writing_depth = 0
        self._holder_fd: int | None = None
        self._holder_closer: weakref.finalize[[int], Store] | None = None  # closes the holder fd
        self.gone: str | None = None
        """Why this store can no longer be written (its file deleted or replaced while open): said on every
        save, and what this process holds is kept in a file of its own at close (see `kept_path`)."""
        self.kept_path: Path | None = None
        made = [p for p in (Path(self._lock.lock_file), self._holder_path) if not p.exists()]
        try:
            self._open(writable)
        except BaseException:
            self._release_holder()
            for path in made:  # a refused open leaves nothing beside the user's file
                path.unlink(missing_ok=True)
            raise

    def _open(self, writable: bool) -> None:
        try:
            with self._locked() if writable else _unlocked():
                if writable:
                    remove_stray_temp(self.path)
                self.storage = JournaledStorage(
                    self.path, **({"compact_bytes": self._compact} if self._compact else {})
                )
                try:
                    self.db = TinyDB(storage=lambda: self.storage)
                    self.storage.read()
                except StoreCorrupt as error:
                    raise StoreError(str(error)) from None
                self._check_articles()
                self._check_version(writable)
                if writable and not self.path.exists():
                    self.storage.compact()  # a new store is a file every command opens, not only a journal
        except OSError as error:
            raise StoreError(
                f"{self.path}: cannot be opened ({os_reason(error)}); nothing was changed"
            ) from None

    def _release_holder(self) -> None:
        if self._holder_fd is not None:
            with suppress(OSError):
                self._holder_closer and self._holder_closer()  # closes it once (a finalizer: also if the store is never closed)
            self._holder_fd = None

    # -- plumbing --------------------------------------------------------------------------------------------
    def holder(self) -> str:
        """Who holds (or last held) the lock, as written by that process: pid, command, since when."""
        try:
            return self._holder_path.read_text(encoding="utf-8").strip() or "unknown"
        except (OSError, UnicodeDecodeError):
            return "unknown"

    @contextmanager
    def _locked(self, timeout: float | None = None, optional: bool = False) -> Iterator[None]:
        timeout = LOCK_TIMEOUT_S if timeout is None else timeout
        try:
            self._lock.acquire(timeout=timeout)
        except Timeout:
            raise StoreBusy(
                f"{self.path}: another hamish process holds the store lock for over {timeout:g} s "
                f"({self.holder()}); nothing was saved, try again"
            ) from None
        except OSError as error:  # no permission, a read-only file system, a full disk
            if not optional:
                raise StoreError(
                    f"{self.path}: cannot take the lock {self._lock.lock_file} "
                    f"({os_reason(error)}); nothing was changed"
                ) from None
            yield  # a store in a read-only folder: no lock can be made there, and none is needed to read
            return
        try:
            if self.writable:
                self._write_holder()
            yield
        finally:
            self._lock.release()

    def _write_holder(self) -> None:
        """Say who holds the lock, in place (one pwrite on a file kept open: a save must stay ~1 ms).
        Only informative (a busy message names the holder), so a failure to write it is no error."""
        if self._lock.lock_counter != 1:
            return  # a nested acquisition: already said
        with suppress(OSError):
            if self._holder_fd is None:
                self._holder_fd = os.open(self._holder_path, os.O_RDWR | os.O_CREAT, 0o644)
                self._holder_closer = weakref.finalize(self, os.close, self._holder_fd)
            line = f"pid {os.getpid()}, {' '.join(os.path.basename(a) for a in sys.argv[:2])}, since {now()}"
            os.pwrite(self._holder_fd, line.encode("utf-8")[:HOLDER_BYTES].ljust(HOLDER_BYTES), 0)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the lock and start from what is on disk (another process may have written). A write the
        operating system refuses is `NotSaved`, with the change dropped from memory too."""
        if not self.writable:
            raise StoreError(f"{self.path}: opened for reading only")
        if self.gone:
            raise NotSaved(
                f"{self.gone}; this change was not saved (what this window holds is kept and "
                f"written beside it when you quit)"
            )
        with self._locked():
            self._reload_if_changed()
            self._writing_depth += 1
            try:
                yield
            except OSError as error:
                self._drop_unsaved()
                raise NotSaved(
                    f"{self.path}: {os_reason(error)}; this change was not saved (every earlier "
                    f"change is); it is tried again with your next change"
                ) from None
            finally:
                self._writing_depth -= 1
                if not self._writing_depth:
                    self.revision += 1

    def _drop_unsaved(self) -> None:
        try:
            self.storage.reload()
        except StoreCorrupt as error:
            self._mark_gone(error)

    def _mark_gone(self, error: StoreCorrupt) -> None:
        if self.gone is None:
            self.gone = str(error)

    def _reload_if_changed(self) -> bool:
        if not self.storage.changed_on_disk():
            return False
        try:
            self.storage.reload()
        except StoreCorrupt as error:  # deleted, replaced, or made unreadable under us: what we hold stays
            self._mark_gone(error)
            raise NotSaved(
                f"{error}; nothing more is saved to it (what this window holds is kept and "
                f"written beside it when you quit)"
            ) from None
        self._others_saved = True
        self.revision += 1
        return True

    def refresh(self) -> bool:
        """Re-read what other processes saved, if anything; True when others saved since the last call (read
        now, or by one of our own writes, which start from the disk). Never waits long: if the lock is busy,
        the next call tries again. A store whose file went away sets `gone` and keeps what it holds."""
        if self.gone is None and self.storage.changed_on_disk():
            try:
                with self._locked(timeout=REFRESH_LOCK_TIMEOUT_S, optional=True):
                    self._reload_if_changed()
            except StoreBusy:
                pass  # someone is writing right now; the next poll reads it
            except StoreError:
                if self.gone is None:
                    raise
        seen, self._others_saved = self._others_saved, False
        return seen

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes under the lock, saved as one journal line: all of them or none."""
        with self._writing(), self.storage.batch():
            yield

    def table(self, name: str) -> Table:
        # A fresh Table each time: its id counter and query cache never go stale across processes.
        return Table(self.storage, name, cache_size=0)

    def _check_articles(self) -> None:
        """Every article needs a text and an id (a hand-edited or foreign file may lack them)."""
        for doc_id, doc in self.storage.read().get("articles", {}).items():
            for key in ("id", "text"):
                if not isinstance(doc.get(key), str):
                    found = "missing" if key not in doc else f"a {type(doc[key]).__name__}"
                    raise StoreError(
                        f"{self.path}: article document {doc_id} ({doc.get('id', 'no id')!s:.40}): "
                        f"'{key}' is {found}, not text. The file was not changed."
                    )

    def _check_version(self, writable: bool) -> None:
        """Every command, reading or writing, refuses a store of a newer hamish or with no schema version; a
        writer migrates an older one (after copying its files)."""
        meta = self.table("meta").all()
        if not meta:
            if writable:
                self.table("meta").insert(
                    {"schema_version": SCHEMA_VERSION, "created": now(), "store_id": uuid.uuid4().hex}
                )
            return
        version = meta[0].get("schema_version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise StoreError(
                f"{self.path}: its schema_version is {version!r:.40}, not a whole number; not a hamish "
                f"store hamish can read. The file was not changed."
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by a newer hamish (store schema {version}, this hamish reads up "
                f"to {SCHEMA_VERSION}); upgrade hamish. The file was not changed."
            )
        if not writable:
            return
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Copy the files exactly as they are, then migrate (the copies are never touched again)."""
        for source in (self.path, self.storage.journal_path):
            if source.exists():
                shutil.copy2(source, source.with_name(f"{source.name}.schema{version}.bak"))
        steps: dict[str, Any] = {}
        if version < 2 and store_id_of(self.storage.read()) is None:
            steps["store_id"] = uuid.uuid4().hex  # 1 -> 2: the store's identity, named by its journal lines
        self.table("meta").update({"schema_version": SCHEMA_VERSION, "migrated_from": version, **steps})

    @property
    def corpus_name(self) -> str:
        meta = self.table("meta").all()
        return (meta[0].get("corpus") if meta else None) or self.path.stem

    def set_corpus_name(self, name: str) -> None:
        with self._writing():
            self.table("meta").update({"corpus": name})

    def close(self) -> None:
        """Fold the journal into the snapshot: from what is on disk now, never from this process's copy. A
        full disk here loses nothing (every change is in the journal): StoreError says so. A store whose file
        went away while open is never written again; what this process held goes to `kept_path`."""
        if not self.writable:
            return
        if self.gone:
            self._release_holder()
            self._keep_held()
            return
        if is_read_only(self.path):
            self._release_holder()
            return  # made read-only while open: leave it as it is (every change is already in the journal)
        try:
            with self._locked():
                self._reload_if_changed()
                if self.storage.journal_path.exists() and self.storage.journal_path.stat().st_size:
                    self.storage.compact()
        except OSError as error:
            raise StoreError(
                f"{self.path}: the journal could not be folded into the snapshot "
                f"({os_reason(error)}); every saved change is in {self.storage.journal_path.name}, "
                f"which the next open replays"
            ) from None
        except NotSaved:
            self._keep_held()
        finally:
            self._release_holder()

    def _keep_held(self) -> None:
        """What this process holds of a store that went away, as a store file of its own beside it (a new
        name: nothing there now is replaced)."""
        stamp = now().replace(":", "").replace("-", "")[:15]
        kept = self.path.with_name(
            f"{self.path.stem}.kept-{stamp}-{os.getpid()}{self.path.suffix or '.json'}"
        )
        try:
            atomic_write(kept, json.dumps(self.storage.read(), ensure_ascii=False, separators=(",", ":")))
        except OSError as error:
            raise StoreError(
                f"{self.gone}; what this window held could not be kept either ({os_reason(error)})"
            ) from None
        self.kept_path = kept
        raise StoreError(
            f"{self.gone}; nothing was written over it. What this window held is kept in {kept} "
            f"(open it with --store)"
        )

    # -- articles --------------------------------------------------------------------------------------------
    def articles(self) -> list[Article]:
        return [Article.from_record(doc) for doc in self.table("articles").all()]

    def article_index(self) -> ArticleIndex:
        """The articles, made one by one as they are used (what the app holds)."""
        return ArticleIndex(list(self.storage.read().get("articles", {}).values()))

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
                    report.problems.append(
                        item.problem(
                            f"id '{article.id}' is already stored with a different text; not imported"
                        )
                    )
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
            table.insert(
                {"article_id": article_id, "done": done, "annotator": self.annotator, "updated": now()}
            )
