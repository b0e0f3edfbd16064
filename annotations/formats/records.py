"""The record every reader of annotated files yields, and the helpers they share (type checks with a
message per bad entry)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.formats.ingest import decode_file, describe, make_article, text_problem
from annotations.store.model import Problem, Sourced


@dataclass
class Record:
    source: Sourced
    spans: list[dict[str, Any]] = field(default_factory=list)
    """start, end, label; optionally layer, text (checked), note, annotator, created, and "ref": how the
    file names the span (its id there), for the relations."""
    relations: list[dict[str, Any]] = field(default_factory=list)
    """type, from and to (span refs of this record); optionally annotator."""
    stances: list[dict[str, Any]] = field(default_factory=list)
    done: bool | None = None
    noise: list[list[int]] | None = None
    """Noise ranges from the file (native), instead of detecting them again."""
    problems: list[Problem] = field(default_factory=list)
    """Problems that keep the whole record out (its text, its id)."""
    warnings: list[Problem] = field(default_factory=list)
    """Reported, the record imported anyway: a bad span or stance is left out, the rest kept."""
    line_of_span: list[int] = field(default_factory=list)
    skipped: int = 0
    """Spans and stances left out of this record."""


def make_record(path: Path, number: int, text: Any, key: str = "text", **article: Any) -> Record | Problem:
    if not isinstance(text, str) or not text.strip():
        return Problem(str(path), number, text_problem(text, key))
    if not isinstance(article.get("meta") or {}, dict):
        return Problem(str(path), number, f"'meta' is {describe(article['meta'])}, not an object")
    return Record(Sourced(make_article(text, **article), str(path), number))


def list_of(raw: dict, key: str, record: Record, number: int, kinds: type | tuple[type, ...] = dict) -> list:
    """raw[key] as a list of `kinds`; anything else is a problem of the record, an odd entry of that entry."""
    value = raw.get(key)
    if value is None:
        return []
    where = record.source
    if not isinstance(value, list):
        record.problems.append(Problem(where.path, number, f"'{key}' is {describe(value)}, not a list"))
        return []
    good = []
    for index, entry in enumerate(value):
        if isinstance(entry, kinds):
            good.append(entry)
        else:
            record.warnings.append(Problem(where.path, number, f"'{key}' entry {index} is {describe(entry)}, "
                                                               f"not {'an object' if kinds is dict else 'valid'}; "
                                                               f"skipped"))
            record.skipped += 1
    return good


def decoded_text(path: Path) -> Iterator[Problem]:
    """The file's text (the generator's return value), or a Problem yielded and None returned."""
    decoded = decode_file(path)
    if isinstance(decoded, Problem):
        yield decoded
        return None
    return decoded
