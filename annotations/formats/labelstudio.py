"""Label Studio JSON: the full export (tasks with annotations per annotator: regions, per-region notes,
stances as choices, relations between regions) and the flat JSON_MIN export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
from annotations.store.model import Problem


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
            yield _labelstudio_min(path, number, task)
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
            for index, annotation in enumerate(list_of(task, "annotations", record, number)):
                named = names[index] if index < len(names) and isinstance(names[index], str) else None
                _labelstudio_results(
                    record,
                    number,
                    list_of(annotation, "result", record, number),
                    named or _ls_annotator(annotation),
                )
        yield record


def _ls_annotator(annotation: Raw) -> str | None:
    """Label Studio's user for an annotation hamish did not write: an email, else an id."""
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        user = user.get("email") or user.get("id")
    return str(user) if user not in (None, "") else None


def _labelstudio_results(record: Record, number: int, results: list[Raw], annotator: str | None) -> None:
    """Regions (labels), notes (a per-region textarea sharing the region's id) and stances (choices named
    `stance`, or `stance:<target>` for a stance toward a target)."""
    by_region: dict[str, Raw] = {}
    notes: dict[str, str] = {}
    who = {"annotator": annotator} if annotator else {}
    for index, result in enumerate(results):
        value = object_at(result, "value")
        name = text_at(result, "from_name")
        what = f"result {index}"
        if result.get("type") == "labels":
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
        elif result.get("type") == "relation":
            kinds: list[str | None] = [*strings_of(result, "labels", record, number, what)] or [None]
            for kind in kinds:
                record.relations.append(
                    {"type": kind, "from": result.get("from_id"), "to": result.get("to_id"), **who}
                )
        elif result.get("type") == "textarea" and name == "note":
            notes[str(result.get("id"))] = "\n".join(strings_of(value, "text", record, number, what))
        elif result.get("type") == "choices" and (name == "stance" or name.startswith("stance:")):
            target = name.partition(":")[2] or "(article)"
            for choice in strings_of(value, "choices", record, number, what):
                record.stances.append({"target": target, "value": choice, **who})
    for region, note in notes.items():
        if region in by_region:
            by_region[region]["note"] = note


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
    for name, value in row.items():
        if name == "stance" or name.startswith("stance:"):
            holder = value if isinstance(value, dict) else {"choices": value}
            for choice in strings_of(holder, "choices", record, number, f"'{name}'"):
                record.stances.append(
                    {"target": name.partition(":")[2] or "(article)", "value": choice, **who}
                )
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
    return record
