"""Read articles from .txt files, .jsonl files and folders of them, keeping the text exactly.

The only changes made to a text: a leading UTF-8 BOM is dropped and CRLF/CR become LF. No Unicode
normalisation, no trimming: offsets index the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotations.find.noise import detect_noise
from annotations.store.files import (
    MAX_INPUT_BYTES,
    InputError,
    JSONProblem,
    check_regular,
    describe_json,
    parse_json,
    read_bytes,
)
from annotations.store.model import Article, Problem, Sourced, shown, text_hash

ARTICLE_SUFFIXES = (".txt", ".jsonl")
MAX_RECORD_CHARS = 16_000_000
"""The longest article (one .txt file or JSONL line) hamish takes: past this, one line says so."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


describe = describe_json
"""What a JSON value is, for a message (see annotations.store.files.describe_json)."""


def lone_surrogate(value: Any) -> str | None:
    """The first lone surrogate in a parsed JSON value, as \\uXXXX (JSON allows them; Unicode text does not)."""
    if isinstance(value, str):
        for ch in value:
            if "\ud800" <= ch <= "\udfff":
                return f"\\u{ord(ch):04x}"
        return None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    keys = value.keys() if isinstance(value, dict) else ()
    return next((found for item in (*keys, *items) if (found := lone_surrogate(item))), None)


def normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


BODY_LINE = 120
"""A line at least this long is body text: the headline is above it."""
TITLE_WITHIN = 20_000
"""The headline is looked for in the first this many code points (a 2 MB report is not read twice for it)."""


def first_line_title(text: str) -> str:
    """The article's title when none is given: of the lines above the body that are no scrape noise (language
    menus, "Connect with us") and hold at least three words, the longest; a section name («الدولية»,
    «أخبار») or a byline is shorter than the headline it stands over. Else the first line that is not noise."""
    cut = text.find("\n", TITLE_WITHIN) if len(text) > TITLE_WITHIN else -1
    head = text if cut == -1 else text[:cut]
    noisy = {start for start, _ in detect_noise(head)}  # by position: a later copy of a line may be noise
    first, best, offset = "", "", 0
    for raw in head.split("\n"):
        start, offset = offset, offset + len(raw) + 1
        line = raw.strip()
        if not line or start in noisy:
            continue
        first = first or line
        if len(line) >= BODY_LINE:
            break
        words = [word for word in line.split() if any(ch.isalpha() for ch in word)]
        if len(words) >= 3 and len(line) > len(best):
            best = line
    return best or first or next((line.strip() for line in text.split("\n") if line.strip()), "")


def make_article(
    text: str,
    *,
    id: str | None = None,
    title: str | None = None,
    url: str = "",
    meta: dict[str, Any] | None = None,
) -> Article:
    text = normalise_newlines(text)
    title = title if title else first_line_title(text)
    return Article(
        id=id or text_hash(text),
        title=title,
        text=text,
        url=url,
        meta=meta or {},
        noise=detect_noise(text, title),
    )


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    """Files named directly, then the article files found in each folder (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            # A broken link is yielded too, so that reading it reports it rather than skipping it unseen.
            yield from sorted(
                p
                for p in path.rglob("*")
                if (p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
                or (p.is_symlink() and not p.exists())
            )
        else:
            yield path


def missing(path: Path) -> Problem:
    if path.is_symlink():
        return Problem(str(path), 0, f"broken symbolic link (to {shown(str(path.readlink()))}); skipped")
    return Problem(str(path), 0, "no such file or folder")


def decode_file(path: Path) -> str | Problem:
    """A regular file's text; a FIFO, a device, a folder or a file past MAX_INPUT_BYTES is a Problem (opened
    without blocking and checked on the open file, so nothing hangs or fills the memory)."""
    if not path.exists():
        return missing(path)
    try:
        raw = read_bytes(path, MAX_INPUT_BYTES, what="input file")
    except InputError as error:
        return Problem(str(path), 0, str(error).removeprefix(f"{path}: "))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Problem(str(path), line, f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})")


def read_txt(path: Path) -> Iterator[Sourced | Problem]:
    decoded = decode_file(path)
    if isinstance(decoded, Problem):
        yield decoded
        return
    text = normalise_newlines(decoded)
    if blank_text(text):
        yield Problem(
            str(path),
            0,
            "empty file: no article text"
            if not text.strip()
            else "no visible character (only control or format characters such as NUL)",
        )
        return
    if len(text) > MAX_RECORD_CHARS:
        yield too_long(path, 0, len(text))
        return
    yield Sourced(make_article(text, id=path.stem, url="", meta={"source_file": path.name}), str(path), 1)


def read_jsonl_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    """Each non-blank line of a JSONL file as a dict, or a Problem naming the line."""
    decoded = decode_file(path)
    if isinstance(decoded, Problem):
        yield decoded.line, decoded
        return
    decoded = decoded.removeprefix("\ufeff")
    if not decoded.strip():
        yield 0, Problem(str(path), 0, "empty file: no records")
        return
    for number, line in enumerate(decoded.splitlines(), 1):
        if not line.strip():
            continue
        if len(line) > MAX_RECORD_CHARS:
            yield number, too_long(path, number, len(line))
            continue
        try:
            record = parse_json(line)
        except JSONProblem as error:
            yield number, Problem(str(path), number, f"not JSON: {error.msg} (column {error.colno})")
            continue
        if not isinstance(record, dict):
            yield number, Problem(str(path), number, f"not a JSON object but {describe(record)}")
            continue
        if _SURROGATE_ESCAPE.search(line) and (found := lone_surrogate(record)):
            yield (
                number,
                Problem(
                    str(path),
                    number,
                    f"holds a lone surrogate ({found}), which is not Unicode text; line skipped",
                ),
            )
            continue
        yield number, record


def too_long(path: Path, line: int, chars: int) -> Problem:
    return Problem(
        str(path),
        line,
        f"{chars / 1e6:.1f} million characters, more than one article may hold "
        f"({MAX_RECORD_CHARS / 1e6:.1f} million); split it into several",
    )


ANNOTATION_KEYS = frozenset(
    {
        "spans",
        "stances",
        "label",
        "labels",
        "entities",
        "annotations",
        "relations",
        "tokens",
        "tags",
        "ner",
        "cats",
        "predictions",
        "result",
        "answer",
        "accept",
    }
)
"""Keys that mean a record carries annotations: such a record is never imported as a bare article."""


def article_from_record(record: dict[str, Any], path: Path, number: int) -> Sourced | Problem:
    carried = sorted(ANNOTATION_KEYS & record.keys())
    if carried:
        return Problem(
            str(path),
            number,
            f"carries annotations ({', '.join(carried)}) in a shape no hamish reader "
            f"knows; not imported as a bare article (name the format with --format: "
            f"native, doccano, labelstudio, prodigy, armpro, conll)",
        )
    text = record.get("text")
    if not isinstance(text, str) or blank_text(text):
        return Problem(str(path), number, text_problem(text, "text"))
    problem = id_problem(record.get("id")) or optional_text(record, "title", "url")
    if problem:
        return Problem(str(path), number, problem)
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        return Problem(str(path), number, f"'meta' is {describe(meta)}, not an object")
    article_id = str(record["id"]) if record.get("id") not in (None, "") else None
    article = make_article(
        text, id=article_id, title=record.get("title") or None, url=record.get("url") or "", meta=meta
    )
    return Sourced(article, str(path), number)


_VISIBLE = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
"""A character that shows: a text without one (blank, NULs, control or format characters only) is no article."""


def blank_text(text: str) -> bool:
    return _VISIBLE.search(text) is None


def text_problem(text: Any, key: str) -> str:
    if text is None:
        return f"no '{key}' (the article's text is required)"
    if isinstance(text, str) and not text.strip():
        return f"no '{key}': it is blank (the article's text is required)"
    if isinstance(text, str):
        return f"'{key}' holds no visible character (only control or format characters such as NUL)"
    return f"'{key}' is {describe(text)}, not text"


def id_problem(value: Any, key: str = "id") -> str | None:
    """An article id is text or a whole number; anything else (a list, an object, true/false) is refused
    rather than turned into a string like "['a']"."""
    if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return None
    return f"'{key}' is {describe(value)}, not text or a whole number"


def optional_text(record: dict[str, Any], *keys: str) -> str | None:
    """The first of these fields that is present and not text (nor null), as a message."""
    for key in keys:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f"'{key}' is {describe(value)}, not text"
    return None


def read_jsonl(path: Path) -> Iterator[Sourced | Problem]:
    for number, item in read_jsonl_lines(path):
        yield item if isinstance(item, Problem) else article_from_record(item, path, number)


def not_regular(path: Path) -> Problem | None:
    """A FIFO, a device or a socket named as an input: refused before anything opens it."""
    try:
        check_regular(path, MAX_INPUT_BYTES, "input file")
    except InputError as error:
        return Problem(str(path), 0, str(error).removeprefix(f"{path}: "))
    return None


def read_articles(paths: list[Path]) -> Iterator[Sourced | Problem]:
    """Every article in the given files and folders, in order; bad input comes back as Problems."""
    for path in expand_paths(paths):
        if not path.exists():
            yield missing(path)
        elif (problem := not_regular(path)) is not None:
            yield problem
        elif path.suffix.lower() == ".jsonl":
            yield from read_jsonl(path)
        elif path.suffix.lower() == ".txt":
            yield from read_txt(path)
        else:
            yield Problem(str(path), 0, "unsupported file type (expected .txt, .jsonl or a folder)")
