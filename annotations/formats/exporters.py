"""Export annotations as JSONL/JSON/CoNLL that other tools load. Streams article by article.

Formats: native (hamish's own, byte-stable, round-trips), doccano, prodigy, labelstudio, conll.
Before a byte is written, every selected span is checked against its article (text[start:end] == span.text).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotations.errors import HamishError
from annotations.formats.labelstudio_export import write_labelstudio
from annotations.formats.records import dumps, stance_record
from annotations.store.model import Article, Relation, Span, Stance
from annotations.store.store import SCHEMA_VERSION, Store
from annotations.text.tokenize import Token, is_invisible, sentences, tokenize

FORMATS = ("native", "doccano", "prodigy", "labelstudio", "conll", "brat")
NATIVE_META = {
    "format": "hamish",
    "version": 1,
    "offsets": "unicode code points",
    "end": "exclusive",
    "schema_version": SCHEMA_VERSION,
}


class ExportError(HamishError):
    """Nothing was written; the message names the article and span."""


@dataclass
class ExportOptions:
    format: str = "native"
    layers: tuple[str, ...] = ()
    done_only: bool = False
    annotator: str | None = None
    skip_noise: bool = False
    warnings: list[str] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)
    """What the format cannot hold, counted (said once each on stderr): e.g. "notes" -> 12."""
    changed: Counter[str] = field(default_factory=Counter)
    """What the format holds otherwise than hamish does, counted (said once each on stderr)."""
    seen_labels: dict[str, set[str]] = field(default_factory=dict)
    """Layer -> labels written (for the Label Studio labeling config that matches the file)."""
    seen_targets: set[str] = field(default_factory=set)
    seen_relations: set[str] = field(default_factory=set)
    symmetric: dict[str, bool] = field(default_factory=dict)
    """Relation type -> symmetric? (from the schema; set by the caller)."""
    total: int = 0
    """How many articles the export holds (known once they are checked)."""
    with_relations: bool = False
    """doccano: write its relation format (set by export() when any selected article has a link)."""

    def left_out_briefly(self) -> str:
        """What the format could not hold, in one short clause for a status line ("" when nothing)."""
        counted = [f"{count} {what.split(' (')[0]}" for what, count in self.left_out.items() if count]
        return f"; the format cannot hold {', '.join(counted)} (left out)" if counted else ""


@dataclass(frozen=True)
class Item:
    article: Article
    spans: list[Span]
    stances: list[Stance]
    done: bool
    relations: list[Relation] = field(default_factory=list)
    """Links whose two ends are both among `spans`."""


def _span_order(span: Span) -> tuple[int, int, str, str, str, str]:
    return (span.start, -span.end, span.layer, span.label, span.annotator, span.created)


def selected(store: Store, options: ExportOptions) -> Iterator[Item]:
    done = store.done_ids()
    for article in store.articles():
        if options.done_only and article.id not in done:
            continue
        spans = sorted(
            (
                s
                for s in store.spans(article.id)
                if (not options.layers or s.layer in options.layers)
                and (not options.annotator or s.annotator == options.annotator)
            ),
            key=_span_order,
        )
        stances = sorted(
            (
                s
                for s in store.stances(article.id)
                if not options.annotator or s.annotator == options.annotator
            ),
            key=lambda s: (s.target, s.annotator),
        )
        if options.format != "native":
            stances = gold_stances(stances, options)
        ids = {s.id for s in spans}
        relations = [r for r in store.relations(article.id) if r.source in ids and r.target in ids]
        yield Item(article, spans, stances, article.id in done, relations)


UNDECIDED = (
    "stances of undecided conflicts (annotators disagree; adjudicate with c, or export one --annotator)"
)


def gold_stances(stances: list[Stance], options: ExportOptions) -> list[Stance]:
    """One stance per target for the formats that read a label as the truth: where annotators gave one
    target different values and nobody has decided yet, none is written (counted in `left_out`), so an
    export never holds two contradictory gold labels for one article; where they agree, it is written once.
    The native format keeps every annotator's stance: it says who gave which."""
    by_target: dict[str, list[Stance]] = {}
    for stance in stances:
        by_target.setdefault(stance.target, []).append(stance)
    kept = []
    for given in by_target.values():
        if len({s.value for s in given}) > 1:
            options.left_out[UNDECIDED] += 1
            continue
        kept.append(given[0])
    return kept


def checked(store: Store, options: ExportOptions) -> list[Item]:
    """The selected articles, read once; raises ExportError on the first span whose text no longer matches
    its article (so nothing is written)."""
    items = list(selected(store, options))
    for item in items:
        for span in item.spans:
            actual = item.article.text[span.start : span.end]
            if actual != span.text or not 0 <= span.start < span.end <= len(item.article.text):
                raise ExportError(
                    f"article {item.article.id}, span {span.id} ({span.layer}/{span.label} "
                    f"{span.start}:{span.end}): the text there is «{actual}», the span says "
                    f"«{span.text}»; nothing was written (run hamish check)"
                )
    options.total = len(items)
    return items


def without_noise(item: Item, warnings: list[str]) -> Item:
    """The article with its noise lines (and their line breaks) left out, offsets moved to match."""
    article = item.article
    if not article.noise:
        return item
    cut = []
    for start, end in article.noise:
        cut.append((start, end + 1 if article.text[end : end + 1] == "\n" else end))
    kept, position = [], 0
    for start, end in cut:
        kept.append(article.text[position:start])
        position = end
    kept.append(article.text[position:])

    def moved(offset: int) -> int:
        return offset - sum(min(end, offset) - start for start, end in cut if start < offset)

    spans = []
    for span in item.spans:
        if any(start < span.end and span.start < end for start, end in cut):
            warnings.append(f"article {article.id}: {span.label} «{span.text}» lies in noise; left out")
            continue
        spans.append(
            Span.from_record({**span.to_record(), "start": moved(span.start), "end": moved(span.end)})
        )
    text = "".join(kept)
    kept_ids = {s.id for s in spans}
    return Item(
        Article(article.id, article.title, text, article.url, article.meta, ()),
        spans,
        item.stances,
        item.done,
        [r for r in item.relations if r.source in kept_ids and r.target in kept_ids],
    )


# -- writers: each yields the output in pieces -------------------------------------------------------------
def native(items: Iterable[Item]) -> Iterator[str]:
    yield dumps({"meta": NATIVE_META}) + "\n"
    for item in items:
        a = item.article
        yield (
            dumps(
                {
                    "id": a.id,
                    "title": a.title,
                    "url": a.url,
                    "meta": a.meta,
                    "text": a.text,
                    "spans": [
                        {
                            "id": s.id,
                            "start": s.start,
                            "end": s.end,
                            "layer": s.layer,
                            "label": s.label,
                            "text": s.text,
                            "note": s.note,
                            "annotator": s.annotator,
                            "created": s.created,
                        }
                        for s in item.spans
                    ],
                    "stances": [stance_record(s, s.span_id) for s in item.stances],
                    "relations": [
                        {
                            "id": r.id,
                            "type": r.type,
                            "from": r.source,
                            "to": r.target,
                            "annotator": r.annotator,
                            "created": r.created,
                        }
                        for r in item.relations
                    ],
                    "noise": [list(r) for r in a.noise],
                    "done": item.done,
                }
            )
            + "\n"
        )


def _count_unheld(
    item: Item, options: ExportOptions, notes: bool = True, stances: bool = True, relations: bool = True
) -> None:
    if notes:
        options.left_out["notes"] += sum(1 for s in item.spans if s.note)
    if stances:
        options.left_out["stances"] += len(item.stances)
    if relations:
        options.left_out["links between spans"] += len(item.relations)


def _once(spans: list[Span], options: ExportOptions) -> list[Span]:
    """One of identical spans (offsets and label) that several annotators made: a format without annotators
    would carry them as a duplicate."""
    seen: set[tuple[int, int, str]] = set()
    kept = []
    for span in spans:
        if (span.start, span.end, span.label) in seen:
            options.left_out["annotators (the same span by another annotator, written once)"] += 1
            continue
        seen.add((span.start, span.end, span.label))
        kept.append(span)
    return kept


def doccano(items: Iterable[Item], options: ExportOptions) -> Iterator[str]:
    """Sequence-labelling JSONL, one record shape for every line (doccano rejects a file whose lines differ):
    spans in "label", stances in "cats" ("value", or "target:value"), the article's id, title, url and meta
    in "meta"."""
    for item in items:
        _count_unheld(item, options, stances=False, relations=not options.with_relations)
        a = item.article
        cats = [s.value if s.target == "(article)" else f"{s.target}:{s.value}" for s in item.stances]
        meta = {"id": a.id, "title": a.title, "url": a.url, **a.meta}
        spans = _once(item.spans, options)
        meta.update(_stance_meta(item))
        if not options.with_relations:
            yield (
                dumps(
                    {
                        "text": a.text,
                        "label": [[s.start, s.end, s.label] for s in spans],
                        "cats": cats,
                        "meta": meta,
                    }
                )
                + "\n"
            )
            continue
        # doccano's relation format (every line of the file, once any article has a link): numbered entities
        number = {s.id: n for n, s in enumerate(spans, 1)}
        number.update(
            {
                s.id: number[
                    next(k.id for k in spans if (k.start, k.end, k.label) == (s.start, s.end, s.label))
                ]
                for s in item.spans
                if s.id not in number
            }
        )
        yield (
            dumps(
                {
                    "text": a.text,
                    "entities": [
                        {"id": number[s.id], "label": s.label, "start_offset": s.start, "end_offset": s.end}
                        for s in spans
                    ],
                    "relations": [
                        {"id": n, "from_id": number[r.source], "to_id": number[r.target], "type": r.type}
                        for n, r in enumerate(item.relations, 1)
                    ],
                    "cats": cats,
                    "meta": meta,
                }
            )
            + "\n"
        )


def _stance_meta(item: Item) -> dict[str, Any]:
    """What doccano's cats cannot say about the stances, for its meta (which doccano keeps): each note, and
    the span each is about as `[start, end, label]` (doccano numbers its entities anew on download)."""
    notes = {s.target: s.note for s in item.stances if s.note}
    where = {s.id: s for s in item.spans}
    about = {
        s.target: [span.start, span.end, span.label]
        for s in item.stances
        if (span := where.get(s.span_id)) is not None
    }
    return {**({"stance_notes": notes} if notes else {}), **({"stance_spans": about} if about else {})}


def prodigy(items: Iterable[Item], options: ExportOptions) -> Iterator[str]:
    """Prodigy's format: tokens, and spans with token_start/token_end (token_end is inclusive). Tokens are cut
    at every span boundary, so a span's tokens cover exactly its characters; a span that starts or ends with
    white space cannot be covered so (tokens hold no white space) and is counted."""
    for item in items:
        _count_unheld(item, options)
        tokens = tokenize(item.article.text, [b for s in item.spans for b in (s.start, s.end)])
        by_start = {t.start: i for i, t in enumerate(tokens)}
        by_end = {t.end: i for i, t in enumerate(tokens)}
        spans = []
        for s in _once(item.spans, options):
            if s.text != s.text.strip():
                options.changed[
                    "spans edged with white space: their tokens cover them without it (the span's own "
                    "start and end stay exact)"
                ] += 1
            first = by_start.get(_first_token_start(tokens, s.start))
            last = by_end.get(_last_token_end(tokens, s.end))
            spans.append(
                {"start": s.start, "end": s.end, "label": s.label, "token_start": first, "token_end": last}
            )
        a = item.article
        meta: dict[str, Any] = {"id": a.id, "title": a.title, "url": a.url, **a.meta}
        yield (
            dumps(
                {
                    "text": a.text,
                    "meta": meta,
                    "tokens": [
                        {"text": t.text, "start": t.start, "end": t.end, "id": i}
                        for i, t in enumerate(tokens)
                    ],
                    "spans": spans,
                    "answer": "accept",
                }
            )
            + "\n"
        )


def _first_token_start(tokens: Sequence[Token], offset: int) -> int:
    return next((t.start for t in tokens if t.end > offset), offset)


def _last_token_end(tokens: Sequence[Token], offset: int) -> int:
    return next((t.end for t in reversed(tokens) if t.start < offset), offset)


def conll(items: Iterable[Item], options: ExportOptions) -> Iterator[str]:
    """BIO, one token per line, a blank line between sentences, -DOCSTART- before each article. Tokens are
    cut at span boundaries as for Prodigy; a token of invisible marks only (an LRM cut off its word) is left
    out, so every tag sits on something visible and no span widens."""
    for item in items:
        layers = {s.layer for s in item.spans}
        if len(layers) > 1:
            raise ExportError(
                f"CoNLL holds one layer, and article {item.article.id} has {sorted(layers)}: "
                f"choose one with --layer"
            )
        _count_unheld(item, options)
        chosen: list[Span] = []
        for span in sorted(item.spans, key=lambda s: (-(s.end - s.start), s.start)):
            if any(span.start < c.end and c.start < span.end for c in chosen):
                options.left_out["overlapping spans (CoNLL keeps the longer one)"] += 1
                continue
            chosen.append(span)
        text = item.article.text
        tokens = tokenize(text, [b for s in chosen for b in (s.start, s.end)])
        visible = [t for t in tokens if not is_invisible(t)]
        options.left_out["tokens of invisible bidi marks only"] += len(tokens) - len(visible)
        yield "-DOCSTART-\tO\n\n"
        for sentence in sentences(text, visible, [(s.start, s.end) for s in chosen]):
            previous: Span | None = None
            for token in sentence:
                covering = next((s for s in chosen if s.start < token.end and token.start < s.end), None)
                tag = "O" if covering is None else ("I-" if covering is previous else "B-") + covering.label
                previous = covering
                yield f"{token.text}\t{tag}\n"
            yield "\n"


def export(store: Store, options: ExportOptions) -> Iterator[str]:
    """Check every span first (raises ExportError before anything is yielded), then stream the output."""
    if options.format not in FORMATS:
        raise ExportError(f"unknown format {options.format!r}; choose from {', '.join(FORMATS)}")
    if options.format == "conll" and len(options.layers) > 1:
        raise ExportError("CoNLL holds one layer: give a single --layer")
    if options.format == "conll" and not options.layers:
        options.layers = ("entity",)
    items: Iterable[Item] = checked(store, options)  # read once: checked, counted, then written
    if options.format == "doccano":
        options.with_relations = any(item.relations for item in items)  # the checked items: no second read
    if options.skip_noise:
        items = (without_noise(item, options.warnings) for item in items)
    if options.format == "native":
        return native(items)
    if options.format == "doccano":
        return doccano(items, options)
    if options.format == "prodigy":
        return prodigy(items, options)
    if options.format == "labelstudio":
        return write_labelstudio(items, options)
    if options.format == "brat":
        raise ExportError("brat writes a folder: use brat_files() (hamish export --format brat --out DIR)")
    return conll(items, options)
