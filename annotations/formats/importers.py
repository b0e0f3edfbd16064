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

FORMATS = ("auto", "articles", "native", "doccano", "labelstudio", "armpro", "conll")
_BIO = re.compile(r"^\S+\t(O|[BI]-\S+)$")


@dataclass
class Record:
    source: Sourced
    spans: list[dict[str, Any]] = field(default_factory=list)
    """start, end, label; optionally layer, text (checked), note, annotator, created."""
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
            if "text" in first and any(k in first for k in ("spans", "stances")):
                return "native"  # hamish's own records without their {"meta": ...} header line
            if "text" in first and any(k in first for k in ("label", "labels", "entities")):
                return "doccano"
    return "articles"


def read(paths: list[Path], fmt: str = "auto") -> Iterator[Record | Problem]:
    for path in expand_paths(paths):
        if not path.exists():
            yield missing(path)
            continue
        kind = sniff(path) if fmt == "auto" else fmt
        reader = {"native": read_native, "doccano": read_doccano, "labelstudio": read_labelstudio,
                  "armpro": read_armpro, "conll": read_conll}.get(kind)
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
        record.spans = _list_of(raw, "spans", record, number)
        record.stances = _list_of(raw, "stances", record, number)
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
                          "end": entry.get("end_offset", entry.get("end")), "label": entry["label"]})
        else:
            record.warnings.append(Problem(str(path), number, f"not a span: {json.dumps(entry, ensure_ascii=False)[:60]}"
                                                              f"; skipped"))
            record.skipped += 1
    return spans


def read_doccano(path: Path) -> Iterator[Record | Problem]:
    return _each_line(path, _doccano)


def _doccano(raw: dict, number: int, path: Path) -> Record | Problem:
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    record = _record(path, number, raw.get("text"), id=str(meta.get("id") or raw.get("id") or "") or None,
                     title=meta.get("title") or None)
    if isinstance(record, Record):
        record.spans = _triples(raw.get("label", raw.get("labels", raw.get("entities"))), path, number, record)
        for cat in _list_of(raw, "cats", record, number, str):
            target, _, value = cat.rpartition(":")
            record.stances.append({"target": target or "(article)", "value": value})
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
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            yield Problem(str(path), number, f"task {number}: no 'data'")
            continue
        record = _record(path, number, data.get("text"), id=str(data.get("article_id") or "") or None,
                         title=data.get("title") or None)
        if isinstance(record, Record):
            for annotation in _list_of(task, "annotations", record, number):
                for result in _list_of(annotation, "result", record, number):
                    value = result.get("value") if isinstance(result.get("value"), dict) else {}
                    if result.get("type") == "labels":
                        for label in value.get("labels") or []:
                            record.spans.append({"start": value.get("start"), "end": value.get("end"),
                                                 "label": label, "text": value.get("text"),
                                                 "layer": result.get("from_name")})
                    elif result.get("type") == "choices" and result.get("from_name") == "stance":
                        for choice in value.get("choices") or []:
                            record.stances.append({"target": "(article)", "value": choice})
        yield record


def read_conll(path: Path) -> Iterator[Record | Problem]:
    """Sentences of `token<TAB>tag` lines; the text is the tokens joined by single spaces."""
    decoded = yield from _decoded(path)
    if decoded is None:
        return
    lines = decoded.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not decoded.strip("\ufeff \t\r\n"):
        yield Problem(str(path), 0, "empty file: no sentences")
        return
    sentence: list[tuple[int, str, str]] = []
    count = 0
    for number, line in enumerate([*lines, ""], 1):
        if line.startswith("-DOCSTART-"):
            continue
        if line.strip():
            token, tab, tag = line.rpartition("\t")
            if not tab or not token:
                token, _, tag = line.rstrip().rpartition(" ")
            if not token or not re.fullmatch(r"O|[BI]-\S+", tag):
                yield Problem(str(path), number, f"not 'token<TAB>tag' with a BIO tag: {line[:40]!r}")
                sentence = [(0, "", "")]  # the sentence is bad: drop it
                continue
            sentence.append((number, token, tag))
            continue
        if sentence and all(tok for _, tok, _ in sentence):
            count += 1
            yield _conll_sentence(path, count, sentence)
        sentence = []


def _conll_sentence(path: Path, count: int, tokens: list[tuple[int, str, str]]) -> Record:
    text = " ".join(token for _, token, _ in tokens)
    record = Record(Sourced(make_article(text, id=f"{path.stem}-{count}", title=f"{path.stem} #{count}"),
                            str(path), tokens[0][0]))
    offset, current = 0, None
    for number, token, tag in tokens:
        start, end = offset, offset + len(token)
        offset = end + 1
        prefix, _, label = tag.partition("-")
        if prefix == "I" and (current is None or current["label"] != label):
            before = "O" if current is None else f"a {current['label']} span"
            record.warnings.append(Problem(str(path), number, f"{tag} follows {before}: started a new {label} "
                                                              f"span there"))
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
