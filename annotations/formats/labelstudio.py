"""Label Studio JSON read: the full export (tasks with annotations per annotator: regions, per-region notes,
stances as choices with their notes as text areas, relations between regions) and the flat JSON_MIN export.
labelstudio_export.py writes the full export and its labeling config.

Names: each span layer is a `Labels` control (`entity`, `bias`, ...), a span's note the per-region `TextArea`
`note`, a stance the `Choices` `stance` (the article) or `stance:<target>`, its note the `TextArea`
`stance_note` or `stance_note:<target>`. Label Studio keeps a task's data as it is, so what its results cannot
say travels there: `data.annotators` (whose each annotation is) and `data.stance_spans` (annotator -> target ->
the id of the region a stance is about)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotations.formats.ingest import describe
from annotations.formats.records import (
    Raw,
    Record,
    decoded_text,
    list_at,
    list_of,
    make_record,
    object_at,
    strings_of,
    text_at,
)
from annotations.store.files import JSONProblem, parse_json
from annotations.store.model import ARTICLE_TARGET, Problem

NO_LINKS_IN_MIN = (
    "Label Studio's JSON_MIN export carries no links between regions and no region ids, so no link and no "
    "span a stance is about (Label Studio leaves them out of it); export JSON from Label Studio to keep them"
)


def read_labelstudio(path: Path) -> Iterator[Record | Problem]:
    decoded = yield from decoded_text(path)
    if decoded is None:
        return
    try:
        tasks = parse_json(decoded.removeprefix("\ufeff"))
    except JSONProblem as error:
        yield Problem(str(path), error.lineno, f"not JSON: {error.msg}")
        return
    if isinstance(tasks, dict) and "data" in tasks:
        tasks = [tasks]  # one task on its own, as Label Studio itself accepts
    if not isinstance(tasks, list):
        yield Problem(
            str(path),
            1,
            f"the top level is {describe(tasks)}, not a list of Label Studio tasks "
            f"(with 'data' and 'annotations')",
        )
        return
    for number, task in enumerate(tasks, 1):
        if isinstance(task, dict) and "data" not in task and "text" in task:
            row = _labelstudio_min(path, number, task)
            if isinstance(row, Record) and number == 1:
                row.warnings.append(Problem(str(path), number, NO_LINKS_IN_MIN))
            yield row
            continue
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            yield Problem(str(path), number, f"task {number}: no 'data'")
            continue
        record = make_record(
            path,
            number,
            data.get("text"),
            id=data.get("article_id"),
            title=data.get("title"),
            url=data.get("url"),
            meta=data.get("meta"),
            names=("data.article_id", "data.title", "data.url"),
        )
        if isinstance(record, Record):
            names = list_at(data, "annotators")
            stance_spans = object_at(data, "stance_spans")
            for index, annotation in enumerate(list_of(task, "annotations", record, number)):
                named = names[index] if index < len(names) and isinstance(names[index], str) else None
                who = named or _ls_annotator(annotation)
                spans = stance_spans.get(who or "")
                _labelstudio_results(
                    record,
                    number,
                    list_of(annotation, "result", record, number),
                    who,
                    spans if isinstance(spans, dict) else {},
                )
        yield record


def _ls_annotator(annotation: Raw) -> str | None:
    """Label Studio's user for an annotation hamish did not write: an email, else an id."""
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        user = user.get("email") or user.get("id")
    return str(user) if user not in (None, "") else None


def _stance_target(name: str, kind: str) -> str | None:
    """The target a control named `stance[:target]` (kind "stance") or `stance_note[:target]` is about."""
    head, colon, target = name.partition(":")
    if head != kind:
        return None
    return target if colon and target else ARTICLE_TARGET


def _labelstudio_results(
    record: Record, number: int, results: list[Raw], annotator: str | None, stance_spans: dict[str, Any]
) -> None:
    """Regions (labels), notes (a per-region textarea sharing the region's id), stances (choices named
    `stance`, or `stance:<target>` for a stance toward a target) and their notes (`stance_note[:target]`)."""
    by_region: dict[str, Raw] = {}
    notes: dict[str, str] = {}
    stance_notes: dict[str, str] = {}
    who = {"annotator": annotator} if annotator else {}
    for index, result in enumerate(results):
        value = object_at(result, "value")
        name = text_at(result, "from_name")
        what = f"result {index}"
        kind = result.get("type")
        if kind == "labels":
            for label in strings_of(value, "labels", record, number, what):
                span = {
                    "start": value.get("start"),
                    "end": value.get("end"),
                    "label": label,
                    "text": value.get("text"),
                    "layer": name,
                    "ref": result.get("id"),
                    **who,
                }
                record.spans.append(span)
                by_region.setdefault(str(result.get("id")), span)
        elif kind == "relation":
            kinds: list[str | None] = [*strings_of(result, "labels", record, number, what)] or [None]
            for relation in kinds:
                record.relations.append(
                    {"type": relation, "from": result.get("from_id"), "to": result.get("to_id"), **who}
                )
        elif kind == "textarea" and name == "note":
            notes[str(result.get("id"))] = "\n".join(strings_of(value, "text", record, number, what))
        elif kind == "textarea" and (target := _stance_target(name, "stance_note")) is not None:
            stance_notes[target] = "\n".join(strings_of(value, "text", record, number, what))
        elif kind == "choices" and (target := _stance_target(name, "stance")) is not None:
            for choice in strings_of(value, "choices", record, number, what):
                about = stance_spans.get(target)
                record.stances.append(
                    {"target": target, "value": choice, **who, **({"span": about} if about else {})}
                )
    for region, note in notes.items():
        if region in by_region:
            by_region[region]["note"] = note
    _notes_on_stances(record, stance_notes, annotator)


def _notes_on_stances(record: Record, notes: dict[str, str], annotator: str | None) -> None:
    """Each note on the stance its name says (this annotator's); a note on a stance not given is reported."""
    for target, note in notes.items():
        stance = next(
            (
                s
                for s in record.stances
                if s["target"] == target and s.get("annotator") == annotator and not s.get("note")
            ),
            None,
        )
        if stance is not None:
            stance["note"] = note
        elif note:
            record.warnings.append(
                record.source.problem(f"a note on the stance toward {target!r}, which has no value; left out")
            )
            record.skipped += 1


def _labelstudio_min(path: Path, number: int, row: Raw) -> Record | Problem:
    """Label Studio's JSON_MIN export: one flat row per annotation, `{"text", <control name>: [regions] or
    choices, "annotator", ...}`, the task's data fields at the top level."""
    record = make_record(
        path,
        number,
        row.get("text"),
        id=row.get("article_id"),
        title=row.get("title"),
        url=row.get("url"),
        meta=row.get("meta"),
        names=("article_id", "title", "url"),
    )
    if not isinstance(record, Record):
        return record
    names = list_at(row, "annotators")
    annotator = (
        names[0] if len(names) == 1 else row.get("annotator")
    )  # a row per annotation: which, if several?
    who = {"annotator": str(annotator)} if annotator not in (None, "") else {}
    stance_notes: dict[str, str] = {}
    for name, value in row.items():
        if (target := _stance_target(name, "stance")) is not None:
            holder = value if isinstance(value, dict) else {"choices": value}
            for choice in strings_of(holder, "choices", record, number, f"'{name}'"):
                record.stances.append({"target": target, "value": choice, **who})
        elif (target := _stance_target(name, "stance_note")) is not None:
            stance_notes[target] = "\n".join(_min_texts(value, record, number, name))
        elif isinstance(value, list) and value and all(isinstance(v, dict) and "labels" in v for v in value):
            for index, region in enumerate(value):
                for label in strings_of(region, "labels", record, number, f"'{name}' region {index}"):
                    record.spans.append(
                        {
                            "start": region.get("start"),
                            "end": region.get("end"),
                            "label": label,
                            "text": region.get("text"),
                            "layer": name,
                            **who,
                        }
                    )
    if "note" in row:
        _min_notes(record, number, row["note"])
    _notes_on_stances(record, stance_notes, who.get("annotator"))
    return record


def _offsets(raw: Raw) -> tuple[int, int] | None:
    """A region's (start, end) when both are whole numbers (the file's values are checked later)."""
    start, end = raw.get("start"), raw.get("end")
    if type(start) is int and type(end) is int:
        return start, end
    return None


def _min_texts(value: object, record: Record, number: int, name: str) -> list[str]:
    """A text area's value as JSON_MIN writes it: its one text, or a list of texts."""
    return strings_of(
        {"text": [value] if isinstance(value, str) else value}, "text", record, number, f"'{name}'"
    )


def _min_notes(record: Record, number: int, value: object) -> None:
    """JSON_MIN's `note`: a region's note keeps its offsets only when it has several lines; a one-line note is
    bare text, which says its region only when the row has one. What cannot be placed is said, not guessed."""
    entries = value if isinstance(value, list) else [value]
    regions = {_offsets(s): s for s in record.spans if _offsets(s) is not None}
    for entry in entries:
        if isinstance(entry, dict):
            texts = strings_of(entry, "text", record, number, "'note'")
            where = _offsets(entry)
            span = regions.get(where) if where is not None else None
        else:
            texts = [entry] if isinstance(entry, str) else []
            span = next(iter(regions.values())) if len(regions) == 1 else None
        note = "\n".join(texts)
        if not note:
            continue
        if span is not None and not span.get("note"):
            for same in (s for s in record.spans if _offsets(s) == _offsets(span)):
                same["note"] = note
            continue
        shown = json.dumps(note, ensure_ascii=False)[:40]
        record.warnings.append(
            record.source.problem(
                f"the note {shown} does not say which of the {len(regions)} regions it is on (JSON_MIN "
                f"keeps a region's offsets only for a note of several lines); left out: Label Studio's JSON "
                f"export keeps every note on its region"
            )
        )
        record.skipped += 1
