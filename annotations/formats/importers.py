"""Read annotated files — native JSONL, doccano JSONL, Label Studio JSON, ArMPro-style JSONL, CoNLL BIO — into
records the store imports. A record is one input line (or CoNLL sentence); its problems are reported with
file and line, and a record with a problem is not imported at all."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.formats.brat import is_brat, read_brat
from annotations.formats.ingest import (
    Problem,
    Sourced,
    decode_file,
    describe,
    expand_paths,
    make_article,
    missing,
    read_articles,
    read_jsonl_lines,
    text_problem,
)

FORMATS = ("auto", "articles", "native", "doccano", "labelstudio", "prodigy", "armpro", "conll", "brat")
_BIO = re.compile(r"^\S+(?:[ \t]+\S+)*[ \t]+(O|[BI]-\S+)$")


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
            first = json.loads(head[0])
        except json.JSONDecodeError:
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


def read(paths: list[Path], fmt: str = "auto") -> Iterator[Record | Problem]:
    for given in paths:
        if fmt == "brat" or (fmt == "auto" and given.exists() and is_brat(given)):
            yield from read_brat(given, Record)
        else:
            yield from _read_files(given, fmt)


def _read_files(given: Path, fmt: str) -> Iterator[Record | Problem]:
    for path in expand_paths([given]):
        if not path.exists():
            yield missing(path)
            continue
        kind = sniff(path) if fmt == "auto" else fmt
        reader = {"native": read_native, "doccano": read_doccano, "labelstudio": read_labelstudio,
                  "prodigy": read_prodigy, "armpro": read_armpro, "conll": read_conll}.get(kind)
        if reader is None:
            for item in read_articles([path]):
                yield item if isinstance(item, Problem) else Record(item)
        else:
            yield from reader(path)


def _record(path: Path, number: int, text: Any, key: str = "text", **article: Any) -> Record | Problem:
    if not isinstance(text, str) or not text.strip():
        return Problem(str(path), number, text_problem(text, key))
    if not isinstance(article.get("meta") or {}, dict):
        return Problem(str(path), number, f"'meta' is {describe(article['meta'])}, not an object")
    return Record(Sourced(make_article(text, **article), str(path), number))


def _list_of(raw: dict, key: str, record: Record, number: int, kinds: type | tuple[type, ...] = dict) -> list:
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


def _each_line(path: Path, build) -> Iterator[Record | Problem]:
    """`build(raw, number)` for each JSON line; bad lines come back as Problems; None (a header) is skipped."""
    for number, raw in read_jsonl_lines(path):
        built = raw if isinstance(raw, Problem) else build(raw, number, path)
        if built is not None:
            yield built


def read_native(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _native)


def _native(raw: dict, number: int, path: Path) -> Record | Problem | None:
    if "meta" in raw and "text" not in raw:
        return None
    record = _record(path, number, raw.get("text"), id=str(raw.get("id") or "") or None,
                     title=raw.get("title") or None, url=raw.get("url") or "", meta=raw.get("meta") or {})
    if isinstance(record, Record):
        record.spans = [{**span, "ref": span.get("id")} for span in _list_of(raw, "spans", record, number)]
        record.stances = _list_of(raw, "stances", record, number)
        record.relations = _list_of(raw, "relations", record, number)
        record.done = raw.get("done") if isinstance(raw.get("done"), bool) else None
        noise = _list_of(raw, "noise", record, number, list)
        record.noise = [r for r in noise if len(r) == 2 and all(type(x) is int for x in r)] if noise else None
    return record


def _triples(entries: Any, path: Path, number: int, record: Record) -> list[dict[str, Any]]:
    spans = []
    if entries is not None and not isinstance(entries, list):
        record.problems.append(Problem(str(path), number, f"the spans are {describe(entries)}, not a list"))
        return spans
    for entry in entries or []:
        if isinstance(entry, list | tuple) and len(entry) == 3:
            spans.append({"start": entry[0], "end": entry[1], "label": entry[2]})
        elif isinstance(entry, dict) and "label" in entry:
            spans.append({"start": entry.get("start_offset", entry.get("start")),
                          "end": entry.get("end_offset", entry.get("end")), "label": entry["label"],
                          "ref": entry.get("id")})
        else:
            record.warnings.append(Problem(str(path), number, f"not a span: {json.dumps(entry, ensure_ascii=False)[:60]}"
                                                              f"; skipped"))
            record.skipped += 1
    return spans


def read_doccano(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _doccano)


def _doccano(raw: dict, number: int, path: Path) -> Record | Problem:
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    # hamish's export puts the article's id, title and url in doccano's meta; doccano's own download has its
    # database id at the top level, which is no article id.
    extra = {k: v for k, v in meta.items() if k not in ("id", "title", "url")}
    record = _record(path, number, raw.get("text"), id=str(meta.get("id") or "") or None,
                     title=meta.get("title") or None, url=str(meta.get("url") or ""), meta=extra)
    if isinstance(record, Record):
        labels = raw.get("label", raw.get("labels", raw.get("entities")))
        if isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels):
            labels, classes = None, labels  # text classification: the labels are the article's stance
        else:
            classes = []
        record.spans = _triples(labels, path, number, record)
        record.relations = [{"type": r.get("type"), "from": r.get("from_id"), "to": r.get("to_id")}
                            for r in _list_of(raw, "relations", record, number)]
        for cat in classes + _list_of(raw, "cats", record, number, str):
            target, _, value = cat.rpartition(":")
            record.stances.append({"target": target or "(article)", "value": value})
    return record


def read_prodigy(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _prodigy)


def _prodigy(raw: dict, number: int, path: Path) -> Record | Problem:
    """Prodigy's tasks (ner.manual and friends, and hamish's own Prodigy export): character spans are the
    truth; a rejected or ignored answer keeps the text and leaves its spans out, with a warning."""
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    record = _record(path, number, raw.get("text"), id=str(meta.get("id") or "") or None,
                     title=meta.get("title") or None, url=str(meta.get("url") or ""))
    if isinstance(record, Record):
        spans = _list_of(raw, "spans", record, number)
        answer = raw.get("answer", "accept")
        if answer != "accept" and spans:
            record.warnings.append(Problem(str(path), number, f"answer is {answer!r}: its {len(spans)} span(s) "
                                                              f"left out"))
            record.skipped += len(spans)
            spans = []
        record.spans = [{"start": sp.get("start"), "end": sp.get("end"), "label": sp.get("label"),
                         **({"text": sp["text"]} if isinstance(sp.get("text"), str) else {})} for sp in spans]
    return record


def read_armpro(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _armpro)


def _armpro(raw: dict, number: int, path: Path) -> Record | Problem:
    record = _record(path, number, raw.get("paragraph"), "paragraph", id=raw.get("paragraph_id") or None,
                     title=raw.get("page_title") or None, url=raw.get("page_url") or "",
                     meta={k: raw[k] for k in ("page_id", "page_domain", "page_date") if k in raw})
    if isinstance(record, Record):
        for label in _list_of(raw, "labels", record, number):
            record.spans.append({"start": label.get("start"), "end": label.get("end"), "layer": "bias",
                                 "label": label.get("technique"), "text": label.get("text")})
    return record


def _decoded(path: Path) -> Iterator[Problem]:
    """The file's text (the generator's return value), or a Problem yielded and None returned."""
    decoded = decode_file(path)
    if isinstance(decoded, Problem):
        yield decoded
        return None
    return decoded


def read_labelstudio(path: Path) -> Iterator[Record | Problem]:
    decoded = yield from _decoded(path)
    if decoded is None:
        return
    try:
        tasks = json.loads(decoded.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        yield Problem(str(path), error.lineno, f"not JSON: {error.msg}")
        return
    if isinstance(tasks, dict) and "data" in tasks:
        tasks = [tasks]  # one task on its own, as Label Studio itself accepts
    if not isinstance(tasks, list):
        yield Problem(str(path), 1, f"the top level is {describe(tasks)}, not a list of Label Studio tasks "
                                    f"(with 'data' and 'annotations')")
        return
    for number, task in enumerate(tasks, 1):
        if isinstance(task, dict) and "data" not in task and "text" in task:
            yield _labelstudio_min(path, number, task)
            continue
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            yield Problem(str(path), number, f"task {number}: no 'data'")
            continue
        record = _record(path, number, data.get("text"), id=str(data.get("article_id") or "") or None,
                         title=data.get("title") or None, url=str(data.get("url") or ""),
                         meta=data.get("meta") if isinstance(data.get("meta"), dict) else {})
        if isinstance(record, Record):
            names = data.get("annotators") if isinstance(data.get("annotators"), list) else []
            for index, annotation in enumerate(_list_of(task, "annotations", record, number)):
                named = names[index] if index < len(names) and isinstance(names[index], str) else None
                _labelstudio_results(record, number, _list_of(annotation, "result", record, number),
                                     named or _ls_annotator(annotation))
        yield record


def _ls_annotator(annotation: dict) -> str | None:
    """Label Studio's user for an annotation hamish did not write: an email, else an id."""
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        user = user.get("email") or user.get("id")
    return str(user) if user not in (None, "") else None


def _labelstudio_results(record: Record, number: int, results: list[dict], annotator: str | None) -> None:
    """Regions (labels), notes (a per-region textarea sharing the region's id) and stances (choices named
    `stance`, or `stance:<target>` for a stance toward a target)."""
    by_region: dict[str, dict] = {}
    notes: dict[str, str] = {}
    who = {"annotator": annotator} if annotator else {}
    for result in results:
        value = result.get("value") if isinstance(result.get("value"), dict) else {}
        name = str(result.get("from_name") or "")
        if result.get("type") == "labels":
            for label in value.get("labels") or []:
                span = {"start": value.get("start"), "end": value.get("end"), "label": label,
                        "text": value.get("text"), "layer": name, "ref": result.get("id"), **who}
                record.spans.append(span)
                by_region.setdefault(str(result.get("id")), span)
        elif result.get("type") == "relation":
            for kind in result.get("labels") or [None]:
                record.relations.append({"type": kind, "from": result.get("from_id"), "to": result.get("to_id"),
                                         **who})
        elif result.get("type") == "textarea" and name == "note":
            texts = value.get("text")
            notes[str(result.get("id"))] = "\n".join(texts) if isinstance(texts, list) else str(texts or "")
        elif result.get("type") == "choices" and (name == "stance" or name.startswith("stance:")):
            target = name.partition(":")[2] or "(article)"
            for choice in value.get("choices") or []:
                record.stances.append({"target": target, "value": choice, **who})
    for region, note in notes.items():
        if region in by_region:
            by_region[region]["note"] = note


def _labelstudio_min(path: Path, number: int, row: dict) -> Record | Problem:
    """Label Studio's JSON_MIN export: one flat row per annotation, `{"text", <control name>: [regions] or
    choices, "annotator", ...}`, the task's data fields at the top level."""
    record = _record(path, number, row.get("text"), id=str(row.get("article_id") or "") or None,
                     title=row.get("title") or None, url=str(row.get("url") or ""),
                     meta=row.get("meta") if isinstance(row.get("meta"), dict) else {})
    if not isinstance(record, Record):
        return record
    names = row.get("annotators") if isinstance(row.get("annotators"), list) else []
    annotator = names[0] if len(names) == 1 else row.get("annotator")  # a row per annotation: which, if several?
    who = {"annotator": str(annotator)} if annotator not in (None, "") else {}
    for name, value in row.items():
        if name == "stance" or name.startswith("stance:"):
            choices = value if isinstance(value, list) else value.get("choices", []) if isinstance(value, dict) \
                else [value]
            for choice in choices:
                if isinstance(choice, str):
                    record.stances.append({"target": name.partition(":")[2] or "(article)", "value": choice, **who})
        elif isinstance(value, list) and value and all(isinstance(v, dict) and "labels" in v for v in value):
            for region in value:
                for label in region.get("labels") or []:
                    record.spans.append({"start": region.get("start"), "end": region.get("end"), "label": label,
                                         "text": region.get("text"), "layer": name, **who})
    return record


def read_conll(path: Path) -> Iterator[Record | Problem]:
    """BIO lines: the token is the first column and the tag the last (`token TAG`, CoNLL-2003's
    `token POS chunk TAG`, Label Studio's `token -X- _ TAG`; tab- or space-separated). Blank lines end
    sentences. With `-DOCSTART-` lines each document is one article (its sentences on lines of their own);
    without, each sentence is one. The text is the tokens joined by single spaces."""
    decoded = yield from _decoded(path)
    if decoded is None:
        return
    lines = decoded.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not decoded.strip("\ufeff \t\r\n"):
        yield Problem(str(path), 0, "empty file: no sentences")
        return
    documents = any(line.startswith("-DOCSTART-") for line in lines)
    document: list[list[tuple[int, str, str]]] = []
    sentence: list[tuple[int, str, str]] = []
    bad = False
    count = 0
    for number, line in enumerate([*lines, "-DOCSTART-"], 1):
        if line.strip() and not line.startswith("-DOCSTART-"):
            fields = line.split("\t") if "\t" in line else line.split()
            token, tag = fields[0].strip(" "), fields[-1].strip()
            if len(fields) < 2 or not token or not re.fullmatch(r"O|[BI]-\S+", tag):
                yield Problem(str(path), number, f"not 'token ... TAG' with a BIO tag last: {line[:40]!r}")
                bad = True  # the sentence is bad: drop it
                continue
            sentence.append((number, token, tag))
            continue
        if sentence and not bad:
            document.append(sentence)
        sentence, bad = [], False
        if document and (not documents or line.startswith("-DOCSTART-")):
            count += 1
            yield _conll_article(path, count, document)
            document = []


def _conll_article(path: Path, count: int, sentences: list[list[tuple[int, str, str]]]) -> Record:
    text = "\n".join(" ".join(token for _, token, _ in sentence) for sentence in sentences)
    record = Record(Sourced(make_article(text, id=f"{path.stem}-{count}", title=f"{path.stem} #{count}"),
                            str(path), sentences[0][0][0]))
    offset = 0
    for sentence in sentences:
        current = None
        for number, token, tag in sentence:
            start, end = offset, offset + len(token)
            offset = end + 1
            prefix, _, label = tag.partition("-")
            if prefix == "I" and (current is None or current["label"] != label):
                before = "O" if current is None else f"a {current['label']} span"
                record.warnings.append(Problem(str(path), number, f"{tag} follows {before}: started a new "
                                                                  f"{label} span there"))
                prefix = "B"
            if prefix == "B":
                current = {"start": start, "end": end, "label": label}
                record.spans.append(current)
                record.line_of_span.append(number)
            elif prefix == "I":
                current["end"] = end
            else:
                current = None
    return record
