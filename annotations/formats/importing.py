"""Put annotated records into the store: articles, spans, stances, done-state.

A problem with the record itself (no text, an id already stored with another text) is reported with its file
and line and keeps the record out. A bad span or stance (outside the text, a text that differs from the text at
its offsets, an unknown label) is reported with its file, line and index and left out; the article and its
good annotations are imported. The same span twice in one record is stored once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotations.formats.ingest import describe
from annotations.formats.records import Raw, Record, text_at
from annotations.store.history import now
from annotations.store.model import Article, Problem, Relation, Span, Stance
from annotations.store.schema import Schema
from annotations.store.store import Store


@dataclass
class AnnotationImportReport:
    articles_added: int = 0
    articles_known: int = 0
    spans_added: int = 0
    spans_known: int = 0
    stances: int = 0
    relations: int = 0
    skipped: int = 0
    """Spans and stances left out of records that were imported."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _layer_for(span: Raw, schema: Schema, label_map: dict[str, str]) -> tuple[str, str] | str:
    """(layer, label) for a raw span, or the reason it cannot be placed."""
    label = span.get("label")
    if not isinstance(label, str) or not label:
        return "a span without a label"
    label = label_map.get(label, label)
    layer_name = span.get("layer")
    if layer_name:
        layer = schema.layer(layer_name)
        if layer is None or layer.kind != "span":
            return f"unknown layer '{layer_name}'"
        if layer.label(label) is None:
            return f"unknown label '{label}' in layer '{layer_name}'"
        return layer_name, label
    for layer in schema.span_layers:
        if layer.label(label):
            return layer.name, label
    return f"unknown label '{label}' (in no layer of the schema; map it with --label-map)"


def _offsets_problem(start: object, end: object, length: int) -> str | None:
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            shown = "missing" if value is None else f"{describe(value)}"
            return f"its {name} offset is {shown}, not a whole number"
    assert isinstance(start, int) and isinstance(end, int)  # checked just above
    if start < 0:
        return f"its start offset {start} is negative"
    if end <= start:
        return f"it ends ({end}) {'where' if end == start else 'before'} it starts ({start})"
    if end > length:
        return f"it ends at {end}, past the end of the text (length {length})"
    return None


def _check(
    record: Record,
    article: Article,
    schema: Schema,
    label_map: dict[str, str],
    annotator: str,
    refs: dict[str, str],
) -> list[Span]:
    """The record's good spans; `refs` gets, for each span the file names, the id it is stored under."""
    spans: list[Span] = []
    seen: set[tuple[int, int, str, str, str]] = set()
    where = record.source
    for index, raw in enumerate(record.spans):
        line = record.line_of_span[index] if index < len(record.line_of_span) else where.line

        def skip(message: str, line: int = line, index: int = index) -> None:
            record.warnings.append(Problem(where.path, line, f"span {index}: {message}; span skipped"))
            record.skipped += 1

        start, end = raw.get("start"), raw.get("end")
        problem = _offsets_problem(start, end, len(article.text))
        if problem or not isinstance(start, int) or not isinstance(end, int):
            skip(problem or "its offsets are not whole numbers")
            continue
        given = raw.get("text")
        if given is not None and given != article.text[start:end]:
            skip(f"{start}:{end} says «{given}» but the text there is «{article.text[start:end]}»")
            continue
        placed = _layer_for(raw, schema, label_map)
        if isinstance(placed, str):
            skip(placed)
            continue
        layer, label = placed
        who = text_at(raw, "annotator") or annotator
        key = (start, end, layer, label, who)
        if key in seen:
            record.warnings.append(
                Problem(
                    where.path, line, f"span {index}: the same {label} span {start}:{end} again; stored once"
                )
            )
            record.skipped += 1
            continue
        seen.add(key)
        stamp = text_at(raw, "created") or now()
        note = text_at(raw, "note")
        ref = raw.get("ref")
        # hamish's own span ids are kept (so links and later imports name the same span); others get new ones
        span_id = ref if isinstance(ref, str) and len(ref) == 32 and ref.isalnum() else Span.new_id()
        spans.append(
            Span.cut(
                article, start, end, layer, label, annotator=who, created=stamp, note=note, span_id=span_id
            )
        )
        if ref is not None:
            refs[str(ref)] = span_id
    return spans


def _links(
    record: Record, refs: dict[str, str], spans: dict[str, Span], schema: Schema, annotator: str
) -> list[Relation]:
    """The record's relations with its span refs mapped to stored span ids; a bad one is reported and left
    out: an end that is no span of the record, an unknown type, a pair the type does not allow."""
    links = []
    where = record.source
    for index, raw in enumerate(record.relations):
        kind = schema.relation(text_at(raw, "type")) if isinstance(raw.get("type"), str) else None

        def skip(message: str, index: int = index) -> None:
            record.warnings.append(where.problem(f"relation {index}: {message}; relation skipped"))
            record.skipped += 1

        if kind is None:
            skip(
                f"unknown relation type {raw.get('type')!r} (the schema has "
                f"{', '.join(r.name for r in schema.relations) or 'none'})"
            )
            continue
        source_id, target_id = (refs.get(str(raw.get(side))) for side in ("from", "to"))
        if source_id is None or target_id is None:
            missing = raw.get("from") if source_id is None else raw.get("to")
            skip(f"its end {missing!r} is no span of this record")
            continue
        source, target = spans[source_id], spans[target_id]
        if not kind.allows((source.layer, source.label), (target.layer, target.label)):
            skip(
                f"{source.layer}:{source.label} to {target.layer}:{target.label} breaks the rule {kind.rule}"
            )
            continue
        who = text_at(raw, "annotator") or annotator
        given = text_at(raw, "id")
        stable = given if len(given) == 32 else uuid.uuid4().hex
        links.append(
            Relation(
                stable,
                record.source.article.id,
                kind.name,
                source_id,
                target_id,
                who,
                text_at(raw, "created") or now(),
            )
        )
    return links


def _good_stances(record: Record, values: set[str]) -> list[Raw]:
    good: list[Raw] = []
    for index, stance in enumerate(record.stances):
        value = stance.get("value")
        if not isinstance(value, str):
            record.warnings.append(
                record.source.problem(
                    f"stance {index}: its value is {describe(value)}, not text; stance skipped"
                )
            )
            record.skipped += 1
        elif values and value not in values:
            record.warnings.append(
                record.source.problem(
                    f"stance {index}: unknown stance value {value!r} (the schema has {', '.join(sorted(values))}); "
                    f"stance skipped"
                )
            )
            record.skipped += 1
        elif not isinstance(stance.get("target") or "", str):
            record.warnings.append(
                record.source.problem(
                    f"stance {index}: its target is {describe(stance['target'])}, not text; stance skipped"
                )
            )
            record.skipped += 1
        else:
            good.append(stance)
    return good


def import_records(
    store: Store, records: Iterable[Record | Problem], schema: Schema, label_map: dict[str, str] | None = None
) -> AnnotationImportReport:
    report = AnnotationImportReport()
    label_map = label_map or {}
    stance_values = set(schema.stance_layer.values) if schema.stance_layer else set()
    with store.transaction():
        known = {a.id: a for a in store.articles()}
        new_articles: list[Raw] = []  # inserted together at the end: TinyDB rebuilds a table on each insert
        for record in records:
            if isinstance(record, Problem):
                report.problems.append(record)
                continue
            article = record.source.article
            if record.noise is not None:
                article = Article(
                    article.id,
                    article.title,
                    article.text,
                    article.url,
                    article.meta,
                    tuple((int(a), int(b)) for a, b in record.noise),
                )
            stored = known.get(article.id)
            if stored is not None and stored.text != article.text:
                record.problems.append(
                    record.source.problem(
                        f"id '{article.id}' is already stored with a different text; not imported"
                    )
                )
            if record.problems:
                report.problems.extend(record.problems)
                continue
            refs: dict[str, str] = {}
            spans = _check(record, article, schema, label_map, store.annotator, refs)
            record.stances = _good_stances(record, stance_values)
            report.warnings.extend(record.warnings)
            report.skipped += record.skipped
            skipped_before = record.skipped
            if stored is None:
                new_articles.append(article.to_record())
                known[article.id] = article
                report.articles_added += 1
            else:
                report.articles_known += 1
            table = store.table(f"spans/{article.id}")
            docs = table.all()
            have = {Span.from_record(doc).key + (doc.get("annotator"),): doc["id"] for doc in docs}
            taken = {doc["id"] for doc in docs}
            final: dict[str, str] = {}  # the id _check gave a span -> the id it is stored under
            stored_as: dict[str, Span] = {}
            new: list[Span] = []
            for span in spans:
                existing = have.get(span.key + (span.annotator,))
                if existing is None and span.id in taken:  # the file's id is another span's here
                    span_id = Span.new_id()
                else:
                    span_id = existing or span.id
                final[span.id] = span_id
                stored_as[span_id] = Span.from_record({**span.to_record(), "id": span_id})
                if existing is None:
                    new.append(stored_as[span_id])
            refs = {ref: final[span_id] for ref, span_id in refs.items()}
            report.spans_known += len(spans) - len(new)
            if new:
                table.insert_multiple(s.to_record() for s in new)
            report.spans_added += len(new)
            warned = len(record.warnings)
            links = _links(record, refs, stored_as, schema, store.annotator)
            stored_links = store.table(f"relations/{article.id}")
            known_links = {
                (d["type"], d["source"], d["target"], d.get("annotator")) for d in stored_links.all()
            }
            fresh = [r for r in links if (r.type, r.source, r.target, r.annotator) not in known_links]
            if fresh:
                stored_links.insert_multiple(r.to_record() for r in fresh)
            report.relations += len(fresh)
            report.warnings.extend(record.warnings[warned:])
            report.skipped += record.skipped - skipped_before
            for raw in record.stances:
                stance = Stance(
                    article.id,
                    raw.get("target") or "(article)",
                    raw["value"],
                    text_at(raw, "note"),
                    text_at(raw, "annotator") or store.annotator,
                    now(),
                    refs.get(str(raw.get("span")), ""),
                )
                stances = store.table(f"stances/{article.id}")
                stances.remove(
                    lambda doc, s=stance: doc["target"] == s.target and doc["annotator"] == s.annotator
                )
                stances.insert(stance.to_record())
                report.stances += 1
            if record.done:
                status = store.table("status")
                status.remove(lambda doc, a=article.id: doc["article_id"] == a)
                status.insert(
                    {"article_id": article.id, "done": True, "annotator": store.annotator, "updated": now()}
                )
        if new_articles:
            store.table("articles").insert_multiple(new_articles)
    return report
