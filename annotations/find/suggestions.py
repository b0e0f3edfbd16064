"""Suggestions: spans proposed by tag-all, by the gazetteer of the user's own entities, or by the bias
lexicon. They live in their own table per article, are drawn dimmed, and become annotations only when accepted.
A suggestion never replaces or duplicates a user's annotation, and a rejected one is not proposed again."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotations.find.fold_cache import FoldCache
from annotations.find.search import Folded, find, fold
from annotations.store.files import InputError, read_text
from annotations.store.history import Change
from annotations.store.model import Article, Span
from annotations.store.resources import data_dir
from annotations.store.schema import Schema
from annotations.store.store import Store
from annotations.text.intervals import Intervals


@dataclass(frozen=True)
class Suggestion:
    span: Span
    source: str
    """tag-all, gazetteer, lexicon or model."""
    status: str = "open"
    score: float | None = None
    """The model's confidence (mean marginal probability of its tags), for model suggestions."""

    def to_record(self) -> dict[str, Any]:
        record = {**self.span.to_record(), "source": self.source, "status": self.status}
        return record if self.score is None else {**record, "score": round(self.score, 4)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Suggestion:
        return cls(
            Span.from_record(record),
            record.get("source", ""),
            record.get("status", "open"),
            record.get("score"),
        )


_PARSED: dict[tuple[int, str], tuple[object, list[Suggestion]]] = {}


def suggestions(store: Store, article_id: str, status: str | None = "open") -> list[Suggestion]:
    """The article's suggestions; open ones that a user's annotation in their layer now covers are left out.

    The parsed suggestions are remembered until the article's suggestion table changes (the store replaces a
    table's object on every write, so `is` tells): a long article's thousands are not re-read after each key,
    and the covered ones are found by bisection, not by comparing every suggestion with every span."""
    proposed = store.storage.read().get(f"suggestions/{article_id}")
    key = (id(store), article_id)
    parsed = _PARSED.get(key)
    if parsed is None or parsed[0] is not proposed:
        found = sorted(
            (Suggestion.from_record(doc) for doc in (proposed or {}).values()), key=lambda s: s.span.start
        )
        if len(_PARSED) > 64:
            _PARSED.clear()
        parsed = _PARSED[key] = (proposed, found)  # the table is held, so its identity cannot be reused
    found = [s for s in parsed[1] if status is None or s.status == status]
    if status == "open" and found:
        covering = Intervals(store.spans(article_id), lambda t: (t.start, t.end))
        found = [
            s
            for s in found
            if not any(t.layer == s.span.layer for t in covering.overlapping(s.span.start, s.span.end))
        ]
    return found


def propose(
    store: Store,
    article: Article,
    candidates: list[tuple[int, int, str, str]],
    source: str,
    record: bool = False,
    scores: list[float] | None = None,
) -> list[Suggestion]:
    """Store new suggestions (start, end, layer, label); returns those that were new. A suggestion made
    before, open or rejected, is not made again."""
    with store.transaction():
        taken = [s for s in store.spans(article.id)]
        known = {
            (s.span.start, s.span.end, s.span.layer, s.span.label)
            for s in suggestions(store, article.id, None)
        }
        new: list[Suggestion] = []
        for index, (start, end, layer, label) in enumerate(candidates):
            if (start, end, layer, label) in known:
                continue
            if any(s.layer == layer and s.start < end and start < s.end for s in taken):
                continue  # never over a user's annotation in that layer
            known.add((start, end, layer, label))
            new.append(
                Suggestion(
                    store.new_span(article, start, end, layer, label),
                    source,
                    score=scores[index] if scores else None,
                )
            )
        if new:
            store.apply(
                article.id,
                [Change("suggestion", None, s.to_record()) for s in new],
                f"suggest {len(new)}",
                record=record,
            )
    return new


def accept(store: Store, article_id: str, chosen: list[Suggestion]) -> list[Span]:
    """Turn suggestions into annotations in one undoable step (undo brings the suggestions back)."""
    stored = {s.key for s in store.spans(article_id)}
    chosen = [s for s in chosen if s.span.key not in stored]  # never a duplicate of a user's annotation
    if not chosen:
        return []
    spans = [
        Span.from_record({**s.span.to_record(), "id": Span.new_id(), "annotator": store.annotator})
        for s in chosen
    ]
    changes = [Change("suggestion", s.to_record(), None) for s in chosen]
    changes += [Change("span", None, span.to_record()) for span in spans]
    store.apply(article_id, changes, f"accept {len(spans)} suggestion{'s' * (len(spans) != 1)}")
    return spans


def reject(store: Store, article_id: str, chosen: Suggestion) -> None:
    rejected = Suggestion(chosen.span, chosen.source, "rejected")
    store.apply(
        article_id, [Change("suggestion", chosen.to_record(), rejected.to_record())], "reject suggestion"
    )


# -- where suggestions come from -------------------------------------------------------------------------------
def tag_all(store: Store, span: Span, articles: list[Article], folded: FoldCache | None = None) -> int:
    """Every other occurrence of the span's text (normalised, clitic-aware) as a suggestion with its label."""
    total = 0
    for article in articles:
        hits = occurrences(span, article, folded)
        if hits:
            total += sum(propose_occurrences(store, [(article, hits)]))
    return total


def occurrences(
    span: Span, article: Article, folded: FoldCache | None = None
) -> list[tuple[int, int, str, str]]:
    """Where else the span's text occurs in an article, as candidates with its layer and label. Pure (no store):
    the app runs it over the corpus in a thread. `folded`: the app's folded texts, added to as it goes."""
    text_folded = folded.of(article) if folded is not None else fold(article.text)
    return [
        (m.start, m.end, span.layer, span.label)
        for m in find(article.text, span.text, text_folded)
        if not (article.id == span.article_id and (m.start, m.end) == (span.start, span.end))
    ]


def propose_occurrences(
    store: Store, found: list[tuple[Article, list[tuple[int, int, str, str]]]]
) -> list[int]:
    """Store tag-all suggestions for several articles in one write (each article's are one undo step); returns
    how many were new in each."""
    with store.transaction():
        return [len(propose(store, article, hits, "tag-all", record=True)) for article, hits in found]


def gazetteer(store: Store, schema: Schema) -> dict[str, str]:
    """The user's own accepted entities: text -> label (the most frequent label when they differ)."""
    entity_layer = schema.span_layers[0].name
    votes: dict[str, dict[str, int]] = {}
    for record in store.span_records():  # the span tables only: never a pass over every article
        text = record.get("text", "").strip()
        if record.get("layer") == entity_layer and len(text) > 1:
            counts = votes.setdefault(text, {})
            counts[record["label"]] = counts.get(record["label"], 0) + 1
    return {text: max(labels, key=labels.__getitem__) for text, labels in votes.items()}


def load_lexicon(extra: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """(term, bias label) from data/bias-lexicon.txt and the user's own file."""
    paths = [data_dir() / "bias-lexicon.txt"]
    extra = extra or os.environ.get("HAMISH_BIAS_LEXICON")
    if extra:
        paths.append(Path(extra))
    terms: list[tuple[str, str]] = []
    for path in paths:
        try:
            text = read_text(path, what="bias lexicon")
        except InputError as error:
            raise ValueError(str(error)) from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            term, tab, label = line.partition("\t")
            if not tab or not term.strip() or not label.strip():
                raise ValueError(f"{path}:{number}: expected 'term<TAB>label'")
            terms.append((term.strip(), label.strip()))
    return terms


def pre_annotation_sources(
    store: Store,
    schema: Schema,
    layers: tuple[str, ...] = (),
    lexicon: list[tuple[str, str]] | None = None,
    entities: dict[str, str] | None = None,
) -> list[tuple[str, str, str, str]]:
    """(term, layer, label, source) for every gazetteer entity and lexicon term that pre-annotation looks for."""
    entity_layer = schema.span_layers[0].name
    bias_layer = next((layer for layer in schema.span_layers if layer.label("Loaded_Language")), None)
    sources: list[tuple[str, str, str, str]] = []
    if not layers or entity_layer in layers:
        known = entities if entities is not None else gazetteer(store, schema)
        sources += [(text, entity_layer, label, "gazetteer") for text, label in known.items()]
    if bias_layer and (not layers or bias_layer.name in layers):
        sources += [
            (term, bias_layer.name, label, "lexicon")
            for term, label in (lexicon or load_lexicon())
            if bias_layer.label(label)
        ]
    return sources


def pre_annotation_hits(
    article: Article, sources: list[tuple[str, str, str, str]], folded: Folded | None = None
) -> dict[str, list[tuple[int, int, str, str]]]:
    """Where the terms occur in the article, by source. Pure (no store): the app runs it in a thread."""
    text_folded = folded or fold(article.text)
    return {
        source: [
            (m.start, m.end, layer, label)
            for term, layer, label, src in sources
            if src == source
            for m in find(article.text, term, text_folded)
        ]
        for source in ("gazetteer", "lexicon")
    }


def propose_hits(
    store: Store, article: Article, hits: dict[str, list[tuple[int, int, str, str]]]
) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for source, found in hits.items():
        for s in propose(store, article, found, source):
            key = (s.span.layer, s.span.label)
            counts[key] = counts.get(key, 0) + 1
    return counts


def pre_annotate(
    store: Store,
    schema: Schema,
    articles: list[Article],
    layers: tuple[str, ...] = (),
    lexicon: list[tuple[str, str]] | None = None,
    entities: dict[str, str] | None = None,
) -> dict[tuple[str, str], int]:
    """Gazetteer and lexicon suggestions over the articles; returns counts per (layer, label). `entities` is a
    gazetteer already built (the app keeps one rather than scanning the store on every article it opens)."""
    sources = pre_annotation_sources(store, schema, layers, lexicon, entities)
    counts: dict[tuple[str, str], int] = {}
    for article in articles:
        for key, count in propose_hits(store, article, pre_annotation_hits(article, sources)).items():
            counts[key] = counts.get(key, 0) + count
    return counts


def articles_with_open_suggestions(store: Store) -> set[str]:
    """Ids of the articles holding an open suggestion (raw records, no Span objects: `j` at 100,000 articles).
    Some may be covered by an annotation since; `suggestions()` then leaves them out."""
    return {
        name.removeprefix("suggestions/")
        for name, table in store.storage.read().items()
        if name.startswith("suggestions/")
        and any(doc.get("status", "open") == "open" for doc in table.values())
    }
