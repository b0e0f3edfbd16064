"""Read articles from .txt files, .jsonl files and folders of them, keeping the text exactly.

The only changes made to a text: a leading UTF-8 BOM is dropped and CRLF/CR become LF. No Unicode
normalisation, no trimming: offsets index the stored text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotations.model import Article, text_hash
from annotations.noise import detect_noise

ARTICLE_SUFFIXES = (".txt", ".jsonl")


@dataclass(frozen=True)
class Problem:
    """One bad input: printed as a single line `file:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Sourced:
    """An article with the file and line it came from, so later checks can name them too."""

    article: Article
    path: str
    line: int

    def problem(self, message: str) -> Problem:
        return Problem(self.path, self.line, message)


def normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def first_line_title(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


def make_article(text: str, *, id: str | None = None, title: str | None = None, url: str = "",
                 meta: dict[str, Any] | None = None) -> Article:
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
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            yield path


def decode_file(path: Path) -> str | Problem:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Problem(str(path), 0, f"cannot read: {error.strerror}")
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
    if not text.strip():
        yield Problem(str(path), 0, "empty file: no article text")
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
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, Problem(str(path), number, f"not JSON: {error.msg} (column {error.colno})")
            continue
        if not isinstance(record, dict):
            yield number, Problem(str(path), number, "not a JSON object")
            continue
        yield number, record


def article_from_record(record: dict[str, Any], path: Path, number: int) -> Sourced | Problem:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Problem(str(path), number, "no 'text' (a non-empty string is required)")
    for key in ("id", "title", "url"):
        if key in record and record[key] is not None and not isinstance(record[key], str | int):
            return Problem(str(path), number, f"'{key}' must be a string")
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        return Problem(str(path), number, "'meta' must be an object")
    article_id = str(record["id"]) if record.get("id") not in (None, "") else None
    article = make_article(text, id=article_id, title=record.get("title") or None, url=record.get("url") or "",
                           meta=meta)
    return Sourced(article, str(path), number)


def read_jsonl(path: Path) -> Iterator[Sourced | Problem]:
    for number, item in read_jsonl_lines(path):
        yield item if isinstance(item, Problem) else article_from_record(item, path, number)


def read_articles(paths: list[Path]) -> Iterator[Sourced | Problem]:
    """Every article in the given files and folders, in order; bad input comes back as Problems."""
    for path in expand_paths(paths):
        if not path.exists():
            yield Problem(str(path), 0, "no such file or folder")
        elif path.suffix.lower() == ".jsonl":
            yield from read_jsonl(path)
        elif path.suffix.lower() == ".txt":
            yield from read_txt(path)
        else:
            yield Problem(str(path), 0, "unsupported file type (expected .txt, .jsonl or a folder)")
