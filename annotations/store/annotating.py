"""Spans and stances, mixed into Store: every change goes through History.apply(), with its undo entry in the
same journal line. What it needs of the store is declared here (and defined by Store and History)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from annotations.store.history import Change, now
from annotations.store.links import DuplicateSpan
from annotations.store.model import Article, Span, Stance

if TYPE_CHECKING:
    from tinydb.table import Table

    from annotations.store.storage import JournaledStorage


class Annotations:
    storage: JournaledStorage
    annotator: str

    if TYPE_CHECKING:  # declared for the checker: Store (and the other mixins) define them

        def relations(self, article_id: str) -> list[Any]: ...
        def apply(
            self, article_id: str, changes: list[Change], description: str, record: bool = True
        ) -> None: ...
        def _writing(self) -> AbstractContextManager[None]: ...
        def table(self, name: str) -> Table: ...

    def spans(self, article_id: str) -> list[Span]:
        spans = [Span.from_record(doc) for doc in self.table(f"spans/{article_id}").all()]
        return sorted(spans, key=lambda s: (s.start, -s.end, s.layer, s.label))

    def span_records(self) -> Iterator[dict[str, Any]]:
        """Every span of the store as its stored record (read only; no Span objects: for a pass over 200,000)."""
        for name, table in self.storage.read().items():
            if name.startswith("spans/"):
                yield from table.values()

    def span_counts(self) -> dict[str, int]:
        data = self.storage.read()
        return {
            name.removeprefix("spans/"): len(table)
            for name, table in data.items()
            if name.startswith("spans/")
        }

    def layer_names(self) -> set[str]:
        """Every span layer used in the store."""
        return {
            doc.get("layer")
            for name, table in self.storage.read().items()
            if name.startswith("spans/")
            for doc in table.values()
        }

    def stance_targets(self) -> list[str]:
        """Every stance target used in the store, the most used first (the stance dialog offers them again)."""
        counts = Counter(
            doc.get("target")
            for name, table in self.storage.read().items()
            if name.startswith("stances/")
            for doc in table.values()
        )
        return [target for target, _ in counts.most_common() if target]

    def stances(self, article_id: str) -> list[Stance]:
        return [Stance.from_record(doc) for doc in self.table(f"stances/{article_id}").all()]

    def new_span(
        self, article: Article, start: int, end: int, layer: str, label: str, note: str = ""
    ) -> Span:
        if not 0 <= start < end <= len(article.text):
            raise ValueError(f"span {start}:{end} is outside the article (length {len(article.text)})")
        return Span.cut(article, start, end, layer, label, annotator=self.annotator, created=now(), note=note)

    def add_span(
        self, article: Article, start: int, end: int, layer: str, label: str, note: str = ""
    ) -> Span:
        span = self.new_span(article, start, end, layer, label, note)
        self.add_spans(article.id, [span], f"tag {label}")
        return span

    def add_spans(self, article_id: str, spans: list[Span], description: str) -> None:
        """Add spans as one undoable step; an exact duplicate of a stored span is refused."""
        with self._writing():
            # Per annotator: two annotators tagging the same span in a shared store is agreement, not a duplicate.
            # The stored records are compared as they are (no Span made of each: an article may hold thousands).
            stored = {
                (
                    (d.get("article_id"), d.get("start"), d.get("end"), d.get("layer"), d.get("label")),
                    d.get("annotator"),
                )
                for d in self.storage.read().get(f"spans/{article_id}", {}).values()
            }
            for span in spans:
                if (span.key, span.annotator) in stored:
                    raise DuplicateSpan(f"{span.label} is already tagged on «{span.text}»")
                stored.add((span.key, span.annotator))
            self.apply(article_id, [Change("span", None, s.to_record()) for s in spans], description)

    def delete_span(self, article_id: str, span_id: str) -> Span | None:
        """Delete a span and its links, as one undoable step (undo brings back both)."""
        with self._writing():
            span = next((s for s in self.spans(article_id) if s.id == span_id), None)
            if span:
                links = [
                    Change("relation", r.to_record(), None)
                    for r in self.relations(article_id)
                    if span_id in r.ends
                ]
                self.apply(
                    article_id, [Change("span", span.to_record(), None), *links], f"delete {span.label}"
                )
        return span

    def set_note(self, article_id: str, span_id: str, note: str) -> Span | None:
        span = next((s for s in self.spans(article_id) if s.id == span_id), None)
        if span:
            after = Span.from_record({**span.to_record(), "note": note, "updated": now()})
            self.apply(article_id, [Change("span", span.to_record(), after.to_record())], "note")
        return span

    def set_stance(
        self, article_id: str, target: str, value: str, note: str = "", span_id: str = ""
    ) -> Stance:
        stance = Stance(article_id, target, value, note, self.annotator, now(), span_id)
        before = next(
            (s for s in self.stances(article_id) if s.target == target and s.annotator == self.annotator),
            None,
        )
        self.apply(
            article_id,
            [Change("stance", before.to_record() if before else None, stance.to_record())],
            f"stance {value}",
        )
        return stance
