"""A TinyDB Storage that never leaves a half-written store and saves in O(changed table), not O(store).

On disk, next to the store file `S` (a plain TinyDB JSON document, readable by TinyDB's own JSONStorage):
- `S`          the snapshot, only ever replaced whole: temp file in the same folder, fsync, os.replace.
- `S.journal`  one line per acknowledged write: `CRC32 {"table": contents-or-null, ...}`, appended and
               fsynced before write() returns. Opening replays it over the snapshot. A torn last line (a kill
               mid-append) was never acknowledged and is dropped.

Each journal line holds whole tables, so replaying a line twice gives the same result; that makes the
snapshot-then-truncate compaction safe at any kill point. hamish keeps tables small (one per article), so a
line is small however large the store grows.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from annotations.store.files import InputError, atomic_write, fsync_dir, read_bytes, remove_stray_temps

TEMP_SUFFIX = ".tmp-hamish"
"""The fixed temporary name older hamish versions used for the snapshot (still removed on open)."""
COMPACT_BYTES = 4 * 1024 * 1024
STORE_KEY = "#store"
"""Every journal line names the store it belongs to (the snapshot's meta `store_id`), so a journal copied or
swapped in from another store is refused instead of replayed into this one."""
READ_TRIES = 20
"""A reader without the lock re-reads when a compaction replaced the snapshot while it read."""


class StoreCorrupt(Exception):
    """The store (or its journal) cannot be read; the files are left untouched."""


class StoreGone(StoreCorrupt):
    """The store's files were deleted or replaced by another store while this process had it open: what this
    process holds is kept in memory, and nothing is written over whatever is there now."""


class WriteFailed(OSError):
    """An append or snapshot the operating system refused (disk full, read-only, I/O error): nothing of this
    write was acknowledged, and the journal was cut back to its last acknowledged line."""


def _loads(text: str | bytes) -> Any:
    """orjson where it can (about 3x faster on a big snapshot); the json module for what orjson refuses but JSON
    allows, and for its error messages (line, column, what was expected)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _dumps(data: Any) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except RecursionError:  # a hand-edited store nested ~1,000 deep: refused as a write, never a traceback
        raise WriteFailed(0, "a value nested too deep to be written") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return read_bytes(path, what="store file")
    except InputError as error:
        if path.is_dir():
            raise StoreCorrupt(f"{path}: is a folder, not a store file") from None
        raise StoreCorrupt(str(error)) from None


def store_id_of(data: dict[str, Any]) -> str | None:
    """The `store_id` in a store's meta table, if it has one."""
    meta = data.get("meta")
    if isinstance(meta, dict):
        for doc in meta.values():
            if isinstance(doc, dict) and isinstance(doc.get("store_id"), str):
                return str(doc["store_id"])
    return None


def _check_tables(data: dict[str, Any], where: str, dropped_ok: bool = False) -> None:
    """TinyDB needs every table to be an object of documents (objects); anything else would crash later."""
    for name, table in data.items():
        if table is None and dropped_ok:
            continue  # a journal entry's null: the table was dropped
        if not isinstance(table, dict):
            raise StoreCorrupt(f"{where}: table '{name}' is {type(table).__name__}, not a table of documents")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise StoreCorrupt(
                    f"{where}: table '{name}', document {doc_id} is {type(doc).__name__}, not an object"
                )


class JournaledStorage(Storage):
    """TinyDB storage: in-memory tables, an fsynced append-only journal, atomic snapshots."""

    def __init__(self, path: str | os.PathLike[str], compact_bytes: int = COMPACT_BYTES) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.compact_bytes = compact_bytes
        self._data: dict[str, Any] | None = None
        self._refs: dict[str, Any] = {}
        self._tracked: set[str] = set()
        """Tables write_tables() replaced since the last journal line."""
        self._untracked = False
        """A TinyDB write happened since the last journal line (then every table is compared)."""
        """The table objects last written: TinyDB rebuilds a table it changes, so `is not` finds what to journal."""
        self._journal_size = 0
        self._seen: tuple[Any, ...] = ()
        self._batch_depth = 0
        self._ends_open = False
        """The journal's last entry lacks its newline (see load); the next append starts with one."""
        self.store_id: str | None = None
        """This store's identity (from its snapshot), once read: journal lines name it."""
        self._snapshot_ino: int | None = None
        """The snapshot file last read (None: there was none)."""
        self.compact_error: OSError | None = None
        """Why the last compaction after a write failed (the write itself was saved in the journal)."""

    # -- reading ---------------------------------------------------------------------------------------------
    def _fingerprint(self) -> tuple[Any, ...]:
        def stat(p: Path) -> tuple[int, int, int] | None:
            try:
                s = p.stat()
            except FileNotFoundError:
                return None
            return (s.st_ino, s.st_size, s.st_mtime_ns)

        return (stat(self.path), stat(self.journal_path))

    def load(self) -> dict[str, Any]:
        """Read the snapshot and replay the journal. Raises StoreCorrupt, never writes, never takes the lock: a
        compaction that replaced the snapshot while we read (its inode changed) makes us read again, so what
        comes back is always one consistent state (an old snapshot is never paired with an emptied journal)."""
        for _ in range(READ_TRIES):
            before = self._snapshot_inode()
            data, size, ends_open, ino = self._load_once()
            if self._snapshot_inode() == before == ino:
                break
        self._check_journal_kept(ino)
        self._journal_size, self._ends_open = size, ends_open
        self._snapshot_ino = ino
        self.store_id = store_id_of(data) or self.store_id
        return data

    def _snapshot_inode(self) -> int | None:
        try:
            return self.path.stat().st_ino
        except FileNotFoundError:
            return None

    def _check_identity(self, data: dict[str, Any], ino: int | None) -> None:
        """A store this process read must not turn into another one (or none) under it."""
        if self._data is None and self.store_id is None:
            return  # the first read
        if ino is None and self._snapshot_ino is not None:
            raise StoreGone(f"{self.path}: the store file was deleted while open")
        found = store_id_of(data)
        if self.store_id and found and found != self.store_id:
            raise StoreGone(f"{self.path}: the store file was replaced by another store while open")

    def _check_journal_kept(self, ino: int | None) -> None:
        if (
            ino is not None
            and ino == self._snapshot_ino
            and self._journal_size
            and not self.journal_path.exists()
        ):
            raise StoreGone(f"{self.journal_path}: the journal was deleted while open")

    def _load_once(self) -> tuple[dict[str, Any], int, bool, int | None]:
        ino = self._snapshot_inode()
        data = self._load_snapshot()
        self._check_identity(data, ino)  # before the journal: ours is no proof against a snapshot swapped in
        expected = store_id_of(data)
        size = 0
        ends_open = False
        if self.journal_path.exists():
            blob = _read_bytes(self.journal_path)
            lines = blob.split(b"\n")
            offset = 0
            for number, line in enumerate(lines, 1):
                has_newline = number < len(lines)
                if not line:
                    offset += has_newline
                    continue
                record = self._parse_journal_line(line)
                if record is None:
                    if blob[offset + len(line) + has_newline :].strip(b"\n\x00") == b"":
                        break  # torn append from a killed writer, the last entry: never acknowledged
                    raise StoreCorrupt(f"{self.journal_path}:{number}: damaged journal entry")
                owner = record.pop(STORE_KEY, None)
                if owner is not None and expected is None:
                    expected = owner  # an older store that got its identity after its last compaction
                if owner is not None and owner != expected:
                    raise StoreCorrupt(
                        f"{self.journal_path}: belongs to another store (its lines name store "
                        f"{owner}; {self.path.name} is store {expected}), so none of it was "
                        f"replayed and nothing was changed. Put that store's own journal back, "
                        f"or move this one away to open the snapshot alone."
                    )
                _check_tables(record, f"{self.journal_path}:{number}", dropped_ok=True)
                for name, table in record.items():
                    if table is None:
                        data.pop(name, None)
                    else:
                        data[name] = table
                offset += len(line) + has_newline
                size = offset
                # A complete entry without its newline (a copy or a crash cut it): the next append adds one.
                ends_open = not has_newline
        return data, size, ends_open, ino

    def _load_snapshot(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        raw = _read_bytes(self.path)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise StoreCorrupt(
                f"{self.path}: UTF-16 text; a hamish store is UTF-8 JSON. The file was not changed."
            )
        try:  # the fast way for a sound file: orjson straight from the bytes
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            data = None  # a damaged file: the json module below says what is wrong, and where
        if isinstance(data, dict):
            _check_tables(data, str(self.path))
            return data
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise StoreCorrupt(
                f"{self.path}: not UTF-8 at byte {error.start} of {len(raw)} (cut short or "
                f"damaged?). The file was not changed."
            ) from None
        if not text.strip():
            journal = self.journal_path.stat().st_size if self.journal_path.exists() else 0
            raise StoreCorrupt(
                f"{self.path}: the file is empty ({len(raw)} bytes), so its articles and annotations are not in it "
                f"(hamish never writes an empty store). Restore it from a backup (e.g. a *.bak beside it)"
                + (
                    f"; {self.journal_path.name} ({journal} bytes) holds only the changes since the last compaction"
                    if journal
                    else ""
                )
                + ", or delete it to start a new store. Nothing was changed."
            )
        try:
            data = _loads(text)
        except json.JSONDecodeError as error:
            raise StoreCorrupt(
                f"{self.path}: not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
            ) from None
        except RecursionError:
            raise StoreCorrupt(
                f"{self.path}: nested deeper than any hamish store (over 1,000 levels); not a "
                f"store hamish wrote. The file was not changed."
            ) from None
        if not isinstance(data, dict):
            raise StoreCorrupt(f"{self.path}: not a TinyDB store (top level is not an object)")
        _check_tables(data, str(self.path))
        return data

    @staticmethod
    def _parse_journal_line(line: bytes) -> dict[str, Any] | None:
        crc, _, payload = line.partition(b" ")
        try:
            if int(crc, 16) != zlib.crc32(payload):
                return None
            record = _loads(payload)
        except (ValueError, RecursionError):
            return None
        return record if isinstance(record, dict) else None

    def read(self) -> dict[str, Any]:
        if self._data is None:
            self._data = self.load()
            self._refs = dict(self._data)
            self._seen = self._fingerprint()
        return self._data

    def changed_on_disk(self) -> bool:
        """True when another process wrote since we last read or wrote."""
        return self._data is not None and self._fingerprint() != self._seen

    def reload(self) -> None:
        """Read the files again; if they cannot be read (or are another store now), what is held stays."""
        data = self.load()
        self._data = data
        self._refs = dict(data)
        self._tracked, self._untracked = set(), False
        self._seen = self._fingerprint()

    # -- writing ---------------------------------------------------------------------------------------------
    def _changed(self, data: dict[str, Any]) -> dict[str, Any]:
        tracked, untracked = self._tracked, self._untracked
        self._tracked, self._untracked = set(), False
        if not untracked and data is self._data and data.keys() == self._refs.keys():
            # Only write_tables() wrote, naming what it replaced: no walk over every table of the store.
            return {
                name: data[name]
                for name in tracked
                if name in data and self._refs.get(name) is not data[name]
            }
        changed = {name: table for name, table in data.items() if self._refs.get(name) is not table}
        changed.update({name: None for name in self._refs.keys() - data.keys()})
        return changed

    def write(self, data: dict[str, Any]) -> None:
        """TinyDB's write: any table may have been replaced."""
        self._untracked = True
        self._write(data)

    def write_tables(self, data: dict[str, Any], names: Iterable[str]) -> None:
        """A write that replaced just these tables (each by a new object), so it journals just those."""
        self._tracked.update(names)
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        self._data = data
        if self._batch_depth:
            return  # the batch writes once, at its end
        changed = self._changed(data)
        if changed:
            self._append(changed)
        self._refs = dict(data)
        self._compact_if_long()
        self._seen = self._fingerprint()

    def _compact_if_long(self) -> None:
        """After a saved write: fold a long journal in. A failure here loses nothing (the write is in the
        journal), so it is kept in `compact_error` and tried again after the next write."""
        if self._journal_size <= max(self.compact_bytes, self._snapshot_size()):
            return
        try:
            self.compact()
            self.compact_error = None
        except OSError as error:
            self.compact_error = error

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Writes inside become one journal line: all of them are saved, or (on a kill or an error) none."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if not self._batch_depth:
                self.reload()  # drop the half-applied change from memory too
            raise
        self._batch_depth -= 1
        if self._batch_depth or self._data is None:
            return
        changed = self._changed(self._data)
        if changed:
            self._append(changed)
            self._refs = dict(self._data)
            self._compact_if_long()
        self._seen = self._fingerprint()

    def _append(self, tables: dict[str, Any]) -> None:
        self.store_id = store_id_of(self._data or {}) or self.store_id
        named = {STORE_KEY: self.store_id, **tables} if self.store_id else tables
        payload = _dumps(named).encode("utf-8")
        line = b"%08x " % zlib.crc32(payload) + payload + b"\n"
        ends_open = self._ends_open
        if ends_open:
            line = b"\n" + line
        try:
            self._truncate_torn_tail()
            with open(self.journal_path, "ab") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
            if self._journal_size == 0:
                fsync_dir(self.journal_path.parent)
        except OSError as error:
            self._cut_back()
            raise WriteFailed(error.errno, error.strerror) from None
        self._ends_open = False
        self._journal_size += len(line)

    def _cut_back(self) -> None:
        """After a failed append: the journal back to its last acknowledged line, so that a half-written line
        (or a whole one whose fsync failed) is never read as saved."""
        try:
            size = self.journal_path.stat().st_size
            if size > self._journal_size:
                os.truncate(self.journal_path, self._journal_size)
        except OSError:
            return  # the next append cuts it back before writing (_truncate_torn_tail)

    def _truncate_torn_tail(self) -> None:
        """Drop bytes of a torn, unacknowledged append so the next line starts clean."""
        try:
            size = self.journal_path.stat().st_size
        except FileNotFoundError:
            return
        if size != self._journal_size:
            with open(self.journal_path, "r+b") as handle:
                handle.truncate(self._journal_size)
                handle.flush()
                os.fsync(handle.fileno())

    def _snapshot_size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def compact(self) -> None:
        """Write the snapshot atomically, then empty the journal (replaying it again would change nothing).

        The caller holds the store lock and has re-read what is on disk: compacting a stale copy would drop
        whatever another process wrote since."""
        data = self.read()
        self.store_id = store_id_of(data) or self.store_id
        atomic_write(self.path, _dumps(data))
        self._snapshot_ino = self._snapshot_inode()
        with open(self.journal_path, "wb") as handle:
            handle.flush()
            os.fsync(handle.fileno())
        self._journal_size = 0
        self._ends_open = False
        self._seen = self._fingerprint()

    def close(self) -> None:
        pass


def remove_stray_temp(path: Path) -> None:
    """A kill between writing a temp snapshot and renaming it leaves the temp file; it was never the store."""
    path.with_name(path.name + TEMP_SUFFIX).unlink(missing_ok=True)
    remove_stray_temps(path)
