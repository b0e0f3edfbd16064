"""Files hamish reads and writes that are not the store's own tables: the one atomic write every writer uses,
inputs that must be regular files of a sane size, output targets (a file replaced atomically, or a FIFO, a
character device or standard output streamed into), and JSON parsed with its depth bounded.

Nothing here raises past its caller with a traceback in mind: every refusal is an `InputError` or
`OutputError` whose message names the file."""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

from annotations.errors import HamishError

MAX_JSON_DEPTH = 64
"""Deeper nesting is refused: no hamish format nests past a handful of levels, and Python's own recursion
(json.dumps of a record's meta, walking a value) would fail on the way."""
MAX_INPUT_BYTES = 4 * 1024**3
"""The largest input file read (an import, a store's snapshot or journal): past this, one line says so."""
MAX_SETTINGS_BYTES = 16 * 1024**2
"""The largest schema, label map, lexicon, pattern list or config file."""


class InputError(HamishError, ValueError):
    """An input that is not a readable regular file of a sane size; the message names it."""


class OutputError(OSError):
    """An output that cannot be written; the message names it. Nothing was left behind."""


def kind_of(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _size(size: int) -> str:
    return f"{size / 1024**3:.1f} GiB" if size >= 1024**3 else f"{size / 1024**2:.1f} MiB"


def check_regular(path: Path, max_bytes: int = MAX_INPUT_BYTES, what: str = "file") -> None:
    """Raise InputError unless `path` (links followed) is a regular file of at most `max_bytes`. Checked
    before anything opens it: opening a FIFO would block, reading /dev/zero would never end."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: is {kind_of(info.st_mode)}, not a regular {what}; nothing was read")
    if info.st_size > max_bytes:
        raise InputError(
            f"{path}: {_size(info.st_size)}, more than the {_size(max_bytes)} hamish reads as a {what}"
        )


def read_bytes(path: Path, max_bytes: int = MAX_INPUT_BYTES, what: str = "file") -> bytes:
    """The bytes of a regular file, opened without blocking and checked on the open descriptor (so a FIFO
    swapped in after a check is refused too)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a regular {what}; nothing was read") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: is {kind_of(info.st_mode)}, not a regular {what}; nothing was read")
        if info.st_size > max_bytes:
            raise InputError(
                f"{path}: {_size(info.st_size)}, more than the {_size(max_bytes)} hamish reads as a {what}"
            )
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if len(data) > max_bytes:  # it grew while read
        raise InputError(f"{path}: more than the {_size(max_bytes)} hamish reads as a {what}")
    return data


def read_text(path: Path, max_bytes: int = MAX_SETTINGS_BYTES, what: str = "file") -> str:
    """A settings-sized UTF-8 file (BOM dropped), or InputError naming the file and the bad byte."""
    data = read_bytes(path, max_bytes, what)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


# -- JSON --------------------------------------------------------------------------------------------------------
def describe_json(value: Any) -> str:
    """What a JSON value is, for a message: 'text', 'a number (5)', 'a list', 'an object', 'true/false', 'null'."""
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else type(value).__name__


class JSONProblem(ValueError):
    """Text that is not JSON hamish reads: `msg`, and where (`lineno`, `colno`) when known."""

    def __init__(self, msg: str, lineno: int = 1, colno: int = 1) -> None:
        super().__init__(msg)
        self.msg, self.lineno, self.colno = msg, lineno, colno


def depth_over(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_json(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """A JSON value, or JSONProblem: the json module's message and place for what is no JSON, one line for
    nesting deeper than `limit` (which would otherwise be a RecursionError somewhere later)."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise JSONProblem(error.msg, error.lineno, error.colno) from None
        except RecursionError:
            raise JSONProblem(f"nested deeper than {limit} levels") from None
    if depth_over(value, limit):
        raise JSONProblem(f"nested deeper than {limit} levels")
    return value


# -- writing -----------------------------------------------------------------------------------------------------
def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform (Windows): the rename itself is durable enough there
    try:
        os.fsync(fd)
    except OSError:
        return  # some file systems refuse fsync on a folder; the rename is done either way
    finally:
        os.close(fd)


def umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: Path, mode: int | None = None) -> Iterator[IO[bytes]]:
    """Write `path` whole or not at all: a uniquely named temporary file in the same folder (two writers never
    share one), fsynced, renamed over `path`, the folder fsynced. On any error the temporary file is removed
    and `path` is as it was. The file keeps the old file's permissions (else the umask's)."""
    folder = path.parent
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0o666 & ~umask()
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp-hamish")
    os.close(fd)
    try:
        with open(
            temp, "r+b"
        ) as handle:  # by name: `handle.name` is the path (a library may write it itself)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_dir(folder)


def atomic_write(path: Path, data: str | bytes, mode: int | None = None) -> None:
    """`atomic_output` for data in hand."""
    with atomic_output(path, mode) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def remove_stray_temps(path: Path) -> None:
    """A kill between writing a temporary file and renaming it leaves it behind; it was never the file."""
    for stray in path.parent.glob(f".{path.name}.*.tmp-hamish"):
        stray.unlink(missing_ok=True)


def _stream_target(path: Path) -> bool:
    """True for what is written into as it is (never replaced): a FIFO or a character device."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def output_target(path: Path) -> Path:
    """Where writing `path` really goes: a symbolic link's final target (so the link stays a link); raises
    OutputError for what cannot be written (a folder, a socket, a block device, a missing folder)."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = target.stat()
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise OutputError(
                f"{path}: the folder {target.parent} does not exist; nothing was written"
            ) from None
        return target
    except OSError as error:
        raise OutputError(f"{path}: cannot be written ({error.strerror}); nothing was written") from None
    if stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        return target
    raise OutputError(f"{path}: is {kind_of(info.st_mode)}; give a file to write; nothing was written")


@contextmanager
def text_output(path: Path | None) -> Iterator[IO[str]]:
    """A text handle for an export: standard output for None or "-"; a FIFO or character device written into
    as it is; any other path replaced atomically (through a link, its target). Errors become one OutputError
    naming the path; a half-written file is never left."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = output_target(path)
    try:
        if _stream_target(target):
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                yield handle
        else:
            with (
                atomic_output(target) as raw,
                open(raw.fileno(), "w", encoding="utf-8", newline="\n", closefd=False) as handle,
            ):
                yield handle
                handle.flush()
    except OSError as error:
        if isinstance(error, OutputError):
            raise
        raise OutputError(
            f"{path}: cannot be written ({error.strerror or error}); nothing was kept"
        ) from None
