"""The record every reader of annotated files yields, and the helpers they share (type checks with a
message per bad entry)."""

from __future__ import annotations

import json
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.formats.ingest import (
    blank_text,
    decode_file,
    describe,
    id_problem,
    make_article,
    text_problem,
)
from annotations.store.model import Problem, Sourced, Stance


def dumps(record: object) -> str:
    """One JSON record as every writer of a format writes it: compact, UTF-8 text unescaped."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def stance_record(stance: Stance, span: str | None) -> dict[str, Any]:
    """A stance as the native export and brat's sidecar write it; `span` names the span it is about there."""
    return {
        "target": stance.target,
        "value": stance.value,
        "note": stance.note,
        "annotator": stance.annotator,
        **({"span": span} if span else {}),
    }


Raw = dict[str, Any]
"""A record as a file holds it: a JSON object, every value still to be checked."""


@dataclass
class Record:
    source: Sourced
    spans: list[Raw] = field(default_factory=list)
    """start, end, label; optionally layer, text (checked), note, annotator, created, and "ref": how the
    file names the span (its id there), for the relations."""
    relations: list[Raw] = field(default_factory=list)
    """type, from and to (span refs of this record); optionally annotator."""
    stances: list[Raw] = field(default_factory=list)
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


def make_record(
    path: Path,
    number: int,
    text: Any,
    key: str = "text",
    *,
    id: Any = None,
    title: Any = None,
    url: Any = None,
    meta: Any = None,
    names: tuple[str, str, str] = ("id", "title", "url"),
) -> Record | Problem:
    """A record of the file's values as they are, each checked here (the boundary): text, id (text or a whole
    number), title and url (text), meta (an object). `names` are the file's own field names, for messages."""
    if not isinstance(text, str) or blank_text(text):
        return Problem(str(path), number, text_problem(text, key))
    problem = id_problem(id, names[0])
    for name, value in ((names[1], title), (names[2], url)):
        if problem is None and value is not None and not isinstance(value, str):
            problem = f"'{name}' is {describe(value)}, not text"
    if problem is None and meta is not None and not isinstance(meta, dict):
        problem = f"'meta' is {describe(meta)}, not an object"
    if problem:
        return Problem(str(path), number, problem)
    article_id = str(id) if id not in (None, "") else None
    return Record(
        Sourced(
            make_article(text, id=article_id, title=title or None, url=url or "", meta=meta or {}),
            str(path),
            number,
        )
    )


def strings_of(raw: Raw, key: str, record: Record, number: int, what: str) -> list[str]:
    """raw[key] as a list of texts (a lone text is a list of one); other entries are warnings naming `what`."""
    value = raw.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        shown = describe(value) if not isinstance(value, list) else "a list with entries that are not text"
        record.warnings.append(
            Problem(record.source.path, number, f"{what}: '{key}' is {shown}, not a list of texts; left out")
        )
        record.skipped += 1
        return []
    return value


def list_of(
    raw: Raw, key: str, record: Record, number: int, kinds: type | tuple[type, ...] = dict
) -> list[Any]:
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
            record.warnings.append(
                Problem(
                    where.path,
                    number,
                    f"'{key}' entry {index} is {describe(entry)}, "
                    f"not {'an object' if kinds is dict else 'valid'}; "
                    f"skipped",
                )
            )
            record.skipped += 1
    return good


def object_at(raw: Raw, key: str) -> Raw:
    """raw[key] when it is an object, else an empty one (an optional part of a record)."""
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def list_at(raw: Raw, key: str) -> list[Any]:
    """raw[key] when it is a list, else an empty one."""
    value = raw.get(key)
    return value if isinstance(value, list) else []


def text_at(raw: Raw, key: str, default: str = "") -> str:
    """raw[key] when it is text, else `default`."""
    value = raw.get(key)
    return value if isinstance(value, str) else default


def decoded_text(path: Path) -> Generator[Problem, None, str | None]:
    """The file's text (the generator's return value), or a Problem yielded and None returned."""
    decoded = decode_file(path)
    if isinstance(decoded, Problem):
        yield decoded
        return None
    return decoded
