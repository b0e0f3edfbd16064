"""brat standoff, both ways: one `<id>.txt` + `<id>.ann` per article, and an `annotation.conf` from the schema.

In the .ann: `T` text-bound annotations (type = label; a span that crosses a line break is written as
fragments, `start end;start end`, as brat requires), `R` relations (`Arg1:T1 Arg2:T2`), `*` for a symmetric
type (brat's equivalence), `#` AnnotatorNotes for notes. Offsets are code points of the .txt, end exclusive,
as brat counts them. brat has no annotators or stances: an import takes the importing annotator, and an
export counts the stances it leaves out. `A`, `E`, `N` and `M` lines are reported and left out on import.
This is what INCEpTION and many Arabic corpora exchange.

What a .ann cannot hold goes into a sidecar, `<name>.hamish-meta.json` beside it (brat and INCEpTION read only the
.txt and .ann): the article's id, title, url and meta, each span's annotator, each note that has line breaks
(the .ann's line holds it with spaces), and the stances with their notes and the span each is about. An
import reads it back; a note edited in brat since (the .ann's differs from the sidecar's) is taken from the
.ann.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotations.formats.ingest import decode_file, describe, make_article
from annotations.formats.records import stance_record
from annotations.store.files import JSONProblem, parse_json
from annotations.store.model import ARTICLE_TARGET, Problem, Sourced
from annotations.store.schema import Schema

if TYPE_CHECKING:  # the exporters import this module, and it reads into Records: types only, for the checker
    from annotations.formats.exporters import ExportOptions, Item
    from annotations.formats.records import Record

_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$")
_RELATION = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")
_EQUIV = re.compile(r"^\*\t(\S+)((?: T\d+)+)\s*$")
_NOTE = re.compile(r"^(#\d+)\tAnnotatorNotes (T\d+)\t(.*)$")
SIDECAR = ".hamish-meta.json"


def safe_name(article_id: str) -> str:
    """A file name for an article id (brat pairs files by name)."""
    return re.sub(r"[^\w.-]", "_", article_id) or "article"


def _fragments(text: str, start: int, end: int) -> str:
    """`start end`, or fragments split at line breaks (a text-bound annotation may not cross one)."""
    parts, position = [], start
    for piece in text[start:end].split("\n"):
        if piece:
            parts.append(f"{position} {position + len(piece)}")
        position += len(piece) + 1
    return ";".join(parts) or f"{start} {end}"


def ann_text(item: Item, symmetric: dict[str, bool], options: ExportOptions) -> str:
    """The .ann of one article (exporters.Item)."""
    lines, number = [], {}
    text = item.article.text
    for n, span in enumerate(item.spans, 1):
        number[span.id] = f"T{n}"
        lines.append(
            f"T{n}\t{span.label} {_fragments(text, span.start, span.end)}\t{span.text.replace(chr(10), ' ')}"
        )
    relation = 0
    for link in item.relations:
        if symmetric.get(link.type):
            lines.append(f"*\t{link.type} {number[link.source]} {number[link.target]}")
        else:
            relation += 1
            lines.append(f"R{relation}\t{link.type} Arg1:{number[link.source]} Arg2:{number[link.target]}")
    for n, span in enumerate((s for s in item.spans if s.note), 1):
        lines.append(f"#{n}\tAnnotatorNotes {number[span.id]}\t{_one_line(span.note)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _one_line(note: str) -> str:
    return " ".join(note.splitlines())


def sidecar(item: Item) -> str:
    """What the .ann cannot hold, as JSON (the module says what)."""
    a = item.article
    number = {span.id: f"T{n}" for n, span in enumerate(item.spans, 1)}
    kept = {
        "id": a.id,
        "title": a.title,
        "url": a.url,
        "meta": a.meta,
        "annotators": {number[s.id]: s.annotator for s in item.spans},
        "notes": {number[s.id]: s.note for s in item.spans if s.note != _one_line(s.note)},
        "stances": [stance_record(s, number.get(s.span_id)) for s in item.stances],
    }
    return json.dumps(kept, ensure_ascii=False, indent=1) + "\n"


def brat_files(items: Iterable[Item], options: ExportOptions, schema: Schema) -> Iterator[tuple[str, str]]:
    """(file name, content) for each article's .txt and .ann, then annotation.conf."""
    symmetric = {r.name: not r.directed for r in schema.relations}
    names: set[str] = set()
    for item in items:
        name = safe_name(item.article.id)
        while name in names:
            name += "_"
        names.add(name)
        yield f"{name}.txt", item.article.text
        yield f"{name}.ann", ann_text(item, symmetric, options)
        yield f"{name}{SIDECAR}", sidecar(item)
    yield "annotation.conf", annotation_conf(schema)


def annotation_conf(schema: Schema) -> str:
    """brat's configuration for the schema: labels under their layer, relations with their allowed ends."""
    lines = ["[entities]"]
    for layer in schema.span_layers:
        lines.append(f"!{layer.name}")
        lines += [f"\t{label.name}" for label in layer.labels]
    lines.append("")
    lines.append("[relations]")
    lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")

    def labels(ends: Iterable[tuple[str, str | None]]) -> str:
        found: list[str] = []
        for layer_name, label in ends:
            layer = schema.layer(layer_name)
            found += [label] if label else [x.name for x in layer.labels] if layer else []
        return "|".join(dict.fromkeys(found))

    for relation in schema.relations:
        kind = "" if relation.directed else ", <REL-TYPE>:symmetric-transitive"
        lines.append(
            f"{relation.name}\tArg1:{labels(relation.sources)}, Arg2:{labels(relation.targets)}{kind}"
        )
    lines += ["", "[events]", "", "[attributes]", ""]
    return "\n".join(lines)


def is_brat(path: Path) -> bool:
    return path.suffix == ".ann" or (path.is_dir() and any(path.rglob("*.ann")))


def read_brat(path: Path, record_class: type[Record]) -> Iterator[Record | Problem]:
    """Each .ann (with its .txt beside it) of a folder, or one .ann, as a Record."""
    files = sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    for ann in files:
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            yield Problem(
                str(ann), 0, f"no {txt.name} beside it (brat keeps the text in a .txt of the same name)"
            )
            continue
        text = decode_file(txt)
        if isinstance(text, Problem):
            yield text
            continue
        notes = decode_file(ann)
        if isinstance(notes, Problem):
            yield notes
            continue
        text = text.removeprefix("\ufeff")
        if not text.strip():
            yield Problem(str(txt), 0, "empty file: no article text")
            continue
        if "\r" in text:
            yield Problem(
                str(txt),
                0,
                "has CR line ends; brat's offsets count them, hamish keeps LF only: convert "
                "the files to LF first (e.g. dos2unix) so that the offsets still fit",
            )
            continue
        kept = _read_sidecar(ann.with_name(ann.stem + SIDECAR))
        if isinstance(kept, Problem):
            yield kept
            continue
        record = record_class(
            Sourced(
                make_article(
                    text,
                    id=kept.get("id") or ann.stem,
                    title=kept.get("title") or None,
                    url=kept.get("url") or "",
                    meta=kept.get("meta") or {},
                ),
                str(ann),
                1,
            )
        )
        _read_ann(record, ann, notes)
        _apply_sidecar(record, kept)
        yield record


_SIDECAR_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": (str, int),
    "title": str,
    "url": str,
    "meta": dict,
    "annotators": dict,
    "notes": dict,
    "stances": list,
}


def _read_sidecar(path: Path) -> dict[str, Any] | Problem:
    """The sidecar's fields, each of its type (checked here, the boundary); {} when there is none."""
    if not path.exists():
        return {}
    content = decode_file(path)
    if isinstance(content, Problem):
        return content
    try:
        kept = parse_json(content)
    except JSONProblem as error:
        return Problem(str(path), error.lineno, f"not JSON: {error.msg}")
    if not isinstance(kept, dict):
        return Problem(str(path), 1, f"the top level is {describe(kept)}, not an object")
    for name, kind in _SIDECAR_FIELDS.items():
        value = kept.get(name)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            return Problem(str(path), 1, f"'{name}' is {describe(value)}; the .ann is read without this file")
    if "id" in kept:
        kept["id"] = str(kept["id"])
    return kept


def _apply_sidecar(record: Record, kept: dict[str, Any]) -> None:
    """Annotators, notes with line breaks (unless edited in brat since), stances with their span refs."""
    by_ref = {span["ref"]: span for span in record.spans}
    for ref, annotator in (kept.get("annotators") or {}).items():
        if ref in by_ref and isinstance(annotator, str) and annotator:
            by_ref[ref]["annotator"] = annotator
    for ref, note in (kept.get("notes") or {}).items():
        span = by_ref.get(ref)
        if span is not None and isinstance(note, str) and span.get("note") == _one_line(note):
            span["note"] = note
    for stance in kept.get("stances") or []:
        if not isinstance(stance, dict):
            continue
        raw = {key: stance.get(key) for key in ("target", "value", "note", "annotator")}
        raw["target"] = raw["target"] or ARTICLE_TARGET
        if isinstance(stance.get("span"), str):
            raw["span"] = stance["span"]
        record.stances.append({k: v for k, v in raw.items() if v is not None})


def _read_ann(record: Record, ann: Path, content: str) -> None:
    by_id: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        if match := _TEXT_BOUND.match(line):
            ref, label, fragments, shown = match.groups()
            offsets = [int(x) for part in fragments.split(";") for x in part.split()]
            span = {"start": min(offsets), "end": max(offsets), "label": label, "ref": ref}
            if ";" not in fragments:
                span["text"] = shown
            by_id[ref] = span
            record.spans.append(span)
            record.line_of_span.append(number)
        elif match := _RELATION.match(line):
            _, kind, source, target = match.groups()
            record.relations.append({"type": kind, "from": source, "to": target})
        elif match := _EQUIV.match(line):
            kind, members = match.group(1), match.group(2).split()
            record.relations += [{"type": kind, "from": a, "to": b} for a, b in pairwise(members)]
        elif match := _NOTE.match(line):
            _, ref, note = match.groups()
            if ref in by_id:
                by_id[ref]["note"] = note
            else:
                record.warnings.append(
                    Problem(
                        str(ann), number, f"a note on {ref}, which is no text-bound annotation here; left out"
                    )
                )
        else:
            kind = {"A": "attribute", "M": "attribute", "E": "event", "N": "normalisation"}.get(
                line[:1], "line"
            )
            record.warnings.append(
                Problem(str(ann), number, f"a brat {kind} hamish does not keep; left out: {line[:50]!r}")
            )
            record.skipped += 1
