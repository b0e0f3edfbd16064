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

TEMP_SUFFIX = ".tmp-hamish"
COMPACT_BYTES = 4 * 1024 * 1024


class StoreCorrupt(Exception):
    """The store (or its journal) cannot be read; the files are left untouched."""


def _loads(text: str | bytes) -> Any:
    """orjson where it can (about 3x faster on a big snapshot); the json module for what orjson refuses but JSON
    allows, and for its error messages (line, column, what was expected)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform (Windows): the rename itself is durable enough there
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise StoreCorrupt(f"{path}: is a folder, not a store file") from None
    except OSError as error:
        raise StoreCorrupt(f"{path}: cannot be read ({error.strerror})") from None


def _check_tables(data: dict[str, Any], where: str, dropped_ok: bool = False) -> None:
    """TinyDB needs every table to be an object of documents (objects); anything else would crash later."""
    for name, table in data.items():
        if table is None and dropped_ok:
            continue  # a journal entry's null: the table was dropped
        if not isinstance(table, dict):
            raise StoreCorrupt(f"{where}: table '{name}' is {type(table).__name__}, not a table of documents")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise StoreCorrupt(f"{where}: table '{name}', document {doc_id} is {type(doc).__name__}, "
                                   f"not an object")


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a kill at any moment leaves either the old or the new file."""
    temp = path.with_name(path.name + TEMP_SUFFIX)
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


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
        """Read the snapshot and replay the journal. Raises StoreCorrupt, never writes."""
        data = self._load_snapshot()
        size = 0
        self._ends_open = False
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
                    if blob[offset + len(line) + has_newline:].strip(b"\n\x00") == b"":
                        break  # torn append from a killed writer, the last entry: never acknowledged
                    raise StoreCorrupt(f"{self.journal_path}:{number}: damaged journal entry")
                _check_tables(record, f"{self.journal_path}:{number}", dropped_ok=True)
                for name, table in record.items():
                    if table is None:
                        data.pop(name, None)
                    else:
                        data[name] = table
                offset += len(line) + has_newline
                size = offset
                # A complete entry without its newline (a copy or a crash cut it): the next append adds one.
                self._ends_open = not has_newline
        self._journal_size = size
        return data

    def _load_snapshot(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        raw = _read_bytes(self.path)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise StoreCorrupt(f"{self.path}: UTF-16 text; a hamish store is UTF-8 JSON. The file was not changed.")
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
            raise StoreCorrupt(f"{self.path}: not UTF-8 at byte {error.start} of {len(raw)} (cut short or "
                               f"damaged?). The file was not changed.") from None
        if not text.strip():
            journal = self.journal_path.stat().st_size if self.journal_path.exists() else 0
            raise StoreCorrupt(
                f"{self.path}: the file is empty ({len(raw)} bytes), so its articles and annotations are not in it "
                f"(hamish never writes an empty store). Restore it from a backup (e.g. a *.bak beside it)"
                + (f"; {self.journal_path.name} ({journal} bytes) holds only the changes since the last compaction"
                   if journal else "")
                + ", or delete it to start a new store. Nothing was changed.")
        try:
            data = _loads(text)
        except json.JSONDecodeError as error:
            raise StoreCorrupt(f"{self.path}: not valid JSON (line {error.lineno}, column {error.colno}): "
                               f"{error.msg}") from None
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
        except ValueError:
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
        self._data = None
        self._tracked, self._untracked = set(), False
        self.read()

    # -- writing ---------------------------------------------------------------------------------------------
    def _changed(self, data: dict[str, Any]) -> dict[str, Any]:
        tracked, untracked = self._tracked, self._untracked
        self._tracked, self._untracked = set(), False
        if not untracked and data is self._data and data.keys() == self._refs.keys():
            # Only write_tables() wrote, naming what it replaced: no walk over every table of the store.
            return {name: data[name] for name in tracked if name in data and self._refs.get(name) is not data[name]}
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
        if self._journal_size > max(self.compact_bytes, self._snapshot_size()):
            self.compact()
        self._seen = self._fingerprint()

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
            if self._journal_size > max(self.compact_bytes, self._snapshot_size()):
                self.compact()
        self._seen = self._fingerprint()

    def _append(self, tables: dict[str, Any]) -> None:
        payload = _dumps(tables).encode("utf-8")
        line = b"%08x " % zlib.crc32(payload) + payload + b"\n"
        self._truncate_torn_tail()
        if self._ends_open:
            line = b"\n" + line
            self._ends_open = False
        with open(self.journal_path, "ab") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        if self._journal_size == 0:
            _fsync_dir(self.journal_path.parent)
        self._journal_size += len(line)

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
        atomic_write_text(self.path, _dumps(self.read()))
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
    temp = path.with_name(path.name + TEMP_SUFFIX)
    if temp.exists():
        temp.unlink()
