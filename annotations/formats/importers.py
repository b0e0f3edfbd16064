"""Read annotated files — native JSONL, doccano JSONL, Label Studio JSON, ArMPro-style JSONL, CoNLL BIO — into
records the store imports. A record is one input line (or CoNLL sentence); its problems are reported with
file and line, and a record with a problem is not imported at all."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from annotations.formats.brat import is_brat, read_brat
from annotations.formats.conll import read_conll
from annotations.formats.ingest import (
    describe,
    expand_paths,
    missing,
    not_regular,
    read_articles,
    read_jsonl_lines,
)
from annotations.formats.labelstudio import read_labelstudio
from annotations.formats.records import Raw, Record, list_of, make_record, object_at
from annotations.store.files import JSONProblem, parse_json
from annotations.store.model import Problem

FORMATS = ("auto", "articles", "native", "doccano", "labelstudio", "prodigy", "armpro", "conll", "brat")
_BIO = re.compile(r"^\S+(?:[ \t]+\S+)*[ \t]+(O|[BI]-\S+)$")


def sniff(path: Path) -> str:
    """Which format a file is in, from its name and first lines."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "labelstudio"
    if suffix in (".conll", ".bio", ".iob", ".tsv"):
        return "conll"
    head = []
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            for line in handle:
                if line.strip():
                    head.append(line.rstrip("\r\n"))
                if len(head) >= 40:
                    break
    except OSError:
        return "articles"
    if suffix == ".txt":
        bio = sum(bool(_BIO.match(line.strip("\u200e\u200f"))) for line in head)
        return "conll" if head and bio >= 0.8 * len(head) else "articles"
    if suffix == ".jsonl" and head:
        try:
            first = parse_json(head[0])
        except JSONProblem:
            return "articles"
        if isinstance(first, dict):
            if isinstance(first.get("meta"), dict) and first["meta"].get("format") == "hamish":
                return "native"
            if "paragraph" in first and "labels" in first:
                return "armpro"
            if "text" in first and any(k in first for k in ("tokens", "_input_hash", "answer")):
                return "prodigy"
            if "text" in first and any(k in first for k in ("spans", "stances")):
                return "native"  # hamish's own records without their {"meta": ...} header line
            if "text" in first and any(k in first for k in ("label", "labels", "entities")):
                return "doccano"
    return "articles"


def read(
    paths: list[Path], fmt: str = "auto", conll_articles: str = "docstart"
) -> Iterator[Record | Problem]:
    """The records of every file (folders expanded); `conll_articles` as conll.read_conll takes it."""
    for given in paths:
        if fmt == "brat" or (fmt == "auto" and given.exists() and is_brat(given)):
            yield from read_brat(given, Record)
        else:
            yield from _read_files(given, fmt, conll_articles)


def _read_files(given: Path, fmt: str, conll_articles: str) -> Iterator[Record | Problem]:
    for path in expand_paths([given]):
        if not path.exists():
            yield missing(path)
            continue
        if (problem := not_regular(path)) is not None:
            yield problem  # a FIFO or a device: refused before anything opens it
            continue
        kind = sniff(path) if fmt == "auto" else fmt
        reader = {
            "native": read_native,
            "doccano": read_doccano,
            "labelstudio": read_labelstudio,
            "prodigy": read_prodigy,
            "armpro": read_armpro,
        }.get(kind)
        if kind == "conll":
            yield from read_conll(path, conll_articles)
        elif reader is None:
            for item in read_articles([path]):
                yield item if isinstance(item, Problem) else Record(item)
        else:
            yield from reader(path)


def _each_line(
    path: Path, build: Callable[[Raw, int, Path], Record | Problem | None]
) -> Iterator[Record | Problem]:
    """`build(raw, number)` for each JSON line; bad lines come back as Problems; None (a header) is skipped."""
    for number, raw in read_jsonl_lines(path):
        built = raw if isinstance(raw, Problem) else build(raw, number, path)
        if built is not None:
            yield built


def read_native(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _native)


def _native(raw: Raw, number: int, path: Path) -> Record | Problem | None:
    if "meta" in raw and "text" not in raw:
        return None
    record = make_record(
        path,
        number,
        raw.get("text"),
        id=raw.get("id"),
        title=raw.get("title"),
        url=raw.get("url"),
        meta=raw.get("meta"),
    )
    if isinstance(record, Record):
        record.spans = [{**span, "ref": span.get("id")} for span in list_of(raw, "spans", record, number)]
        record.stances = list_of(raw, "stances", record, number)
        record.relations = list_of(raw, "relations", record, number)
        record.done = raw.get("done") if isinstance(raw.get("done"), bool) else None
        if "noise" in raw and raw["noise"] is not None:
            record.noise = noise_ranges(raw, record, number) or None
    return record


def noise_ranges(raw: Raw, record: Record, number: int) -> list[list[int]]:
    """The file's noise ranges, checked like span offsets: a pair of whole numbers inside the text, start
    before end, no two overlapping. A bad one is reported and left out (the text is never cut by it)."""
    length = len(record.source.article.text)
    good: list[list[int]] = []
    for index, entry in enumerate(list_of(raw, "noise", record, number, list)):
        problem = None
        if len(entry) != 2:
            problem = f"has {len(entry)} values, not [start, end]"
        else:
            start, end = entry
            for name, value in (("start", start), ("end", end)):
                if problem is None and (isinstance(value, bool) or not isinstance(value, int)):
                    problem = f"its {name} is {describe(value)}, not a whole number"
            if problem is None:
                if start < 0:
                    problem = f"its start {start} is negative"
                elif end <= start:
                    problem = f"it ends ({end}) {'where' if end == start else 'before'} it starts ({start})"
                elif end > length:
                    problem = f"it ends at {end}, past the end of the text (length {length})"
                elif good and start < good[-1][1]:
                    problem = f"{start}:{end} overlaps or precedes the range before it ({good[-1][0]}:{good[-1][1]})"
        if problem:
            record.warnings.append(
                Problem(record.source.path, number, f"noise range {index}: {problem}; range skipped")
            )
            record.skipped += 1
        else:
            good.append([start, end])
    return good


def _triples(entries: Any, path: Path, number: int, record: Record) -> list[Raw]:
    spans: list[Raw] = []
    if entries is not None and not isinstance(entries, list):
        record.problems.append(Problem(str(path), number, f"the spans are {describe(entries)}, not a list"))
        return spans
    for entry in entries or []:
        if isinstance(entry, list | tuple) and len(entry) == 3:
            ref = ":".join(str(x) for x in entry)  # how a stance in doccano's meta names the span
            spans.append({"start": entry[0], "end": entry[1], "label": entry[2], "ref": ref})
        elif isinstance(entry, dict) and "label" in entry:
            spans.append(
                {
                    "start": entry.get("start_offset", entry.get("start")),
                    "end": entry.get("end_offset", entry.get("end")),
                    "label": entry["label"],
                    "ref": entry.get("id"),
                }
            )
        else:
            record.warnings.append(
                Problem(
                    str(path), number, f"not a span: {json.dumps(entry, ensure_ascii=False)[:60]}; skipped"
                )
            )
            record.skipped += 1
    return spans


def _record_of_meta(
    path: Path, number: int, raw: Raw, meta: Raw, extra: Raw | None = None
) -> Record | Problem:
    """A record whose article id, title and url stand in its `meta` (doccano's and Prodigy's, as hamish exports
    them); `extra` is the meta the article keeps."""
    return make_record(
        path,
        number,
        raw.get("text"),
        id=meta.get("id"),
        title=meta.get("title"),
        url=meta.get("url"),
        meta=extra,
        names=("meta.id", "meta.title", "meta.url"),
    )


def read_doccano(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _doccano)


def _doccano(raw: Raw, number: int, path: Path) -> Record | Problem:
    meta = object_at(raw, "meta")
    # hamish's export puts the article's id, title and url in doccano's meta, and what doccano's cats cannot
    # say of a stance (its note, the span it is about); doccano's own download has its database id at the top
    # level, which is no article id.
    extra = {k: v for k, v in meta.items() if k not in ("id", "title", "url", *_STANCE_META)}
    record = _record_of_meta(path, number, raw, meta, extra)
    if isinstance(record, Record):
        record.spans = _triples(_doccano_spans(raw, record), path, number, record)
        record.relations = [
            {"type": r.get("type"), "from": r.get("from_id"), "to": r.get("to_id")}
            for r in list_of(raw, "relations", record, number)
        ]
        notes, about = object_at(meta, "stance_notes"), object_at(meta, "stance_spans")
        for cat in _doccano_classes(raw) + list_of(raw, "cats", record, number, str):
            target, _, value = cat.rpartition(":")
            target = target or "(article)"
            stance: Raw = {"target": target, "value": value, "note": notes.get(target)}
            span = about.get(target)
            if isinstance(span, list) and len(span) == 3:  # [start, end, label]: the span's ref in this file
                ref = next(
                    (r.get("ref") for r in record.spans if [r["start"], r["end"], r["label"]] == span), None
                )
                if ref is not None:
                    stance["span"] = str(ref)
            record.stances.append(stance)
    return record


_STANCE_META = ("stance_notes", "stance_spans")


def _is_classes(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(x, str) for x in value)


def _doccano_classes(raw: Raw) -> list[str]:
    """A text-classification project's labels (a list of names): the article's stance."""
    for key in ("label", "labels"):
        if _is_classes(raw.get(key)):
            return list(raw[key])
    return []


def _doccano_spans(raw: Raw, record: Record) -> Any:
    """The spans: `label` (sequence labelling), `labels`, or `entities` (the relation format, which a
    classification project's download keeps beside its class names). Where two hold spans, the first is read
    and what the other holds is said."""
    found = [
        (key, raw[key])
        for key in ("label", "labels", "entities")
        if raw.get(key) not in (None, []) and not _is_classes(raw.get(key))
    ]
    for key, value in found[1:]:
        count = len(value) if isinstance(value, list) else 1
        record.warnings.append(
            record.source.problem(
                f"spans in both '{found[0][0]}' and '{key}': read from '{found[0][0]}'; the {count} in "
                f"'{key}' left out"
            )
        )
        record.skipped += count
    return found[0][1] if found else None


def read_prodigy(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _prodigy)


def _prodigy(raw: Raw, number: int, path: Path) -> Record | Problem:
    """Prodigy's tasks (ner.manual and friends, and hamish's own Prodigy export): character spans are the
    truth; a rejected or ignored answer keeps the text and leaves its spans out, with a warning."""
    meta = object_at(raw, "meta")
    extra = {k: v for k, v in meta.items() if k not in ("id", "title", "url")}
    record = _record_of_meta(path, number, raw, meta, extra)
    if isinstance(record, Record):
        spans = list_of(raw, "spans", record, number)
        answer = raw.get("answer", "accept")
        if answer != "accept" and spans:
            record.warnings.append(
                Problem(str(path), number, f"answer is {answer!r}: its {len(spans)} span(s) left out")
            )
            record.skipped += len(spans)
            spans = []
        record.spans = [
            {
                "start": sp.get("start"),
                "end": sp.get("end"),
                "label": sp.get("label"),
                **({"text": sp["text"]} if isinstance(sp.get("text"), str) else {}),
            }
            for sp in spans
        ]
    return record


def read_armpro(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _armpro)


def _armpro(raw: Raw, number: int, path: Path) -> Record | Problem:
    record = make_record(
        path,
        number,
        raw.get("paragraph"),
        "paragraph",
        id=raw.get("paragraph_id"),
        title=raw.get("page_title"),
        url=raw.get("page_url"),
        meta={k: raw[k] for k in ("page_id", "page_domain", "page_date") if k in raw},
        names=("paragraph_id", "page_title", "page_url"),
    )
    if isinstance(record, Record):
        for label in list_of(raw, "labels", record, number):
            record.spans.append(
                {
                    "start": label.get("start"),
                    "end": label.get("end"),
                    "layer": "bias",
                    "label": label.get("technique"),
                    "text": label.get("text"),
                }
            )
    return record
