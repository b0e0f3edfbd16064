"""Links between annotations (relations): mixed into Store, whose table(), _writing(), spans() and apply()
they use; every change is an undoable step like any other."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from annotations.store.history import Change, now
from annotations.store.model import Relation, Span

if TYPE_CHECKING:
    from tinydb.table import Table


class DuplicateSpan(ValueError):
    """An identical span (same offsets, layer, label and annotator) is already stored."""


class Links:
    """Mixed into Store. What it needs of the store is declared here (and defined by Store and History)."""

    if TYPE_CHECKING:  # declared for the checker: Store (and the other mixins) define them

        def apply(
            self, article_id: str, changes: list[Change], description: str, record: bool = True
        ) -> None: ...
        def spans(self, article_id: str) -> list[Span]: ...
        def _writing(self) -> AbstractContextManager[None]: ...
        def table(self, name: str) -> Table: ...

    annotator: str

    def relations(self, article_id: str) -> list[Relation]:
        return sorted(
            (Relation.from_record(doc) for doc in self.table(f"relations/{article_id}").all()),
            key=lambda r: (r.created, r.id),
        )

    def add_relation(
        self, article_id: str, kind: str, source: str, target: str, symmetric: bool = False
    ) -> Relation:
        """Link two stored spans; refused (ValueError) when an end is missing or the same link exists."""
        with self._writing():
            ids = {s.id for s in self.spans(article_id)}
            if source not in ids or target not in ids or source == target:
                raise ValueError("a link needs two different annotations of this article")
            for known in self.relations(article_id):
                same = (known.source, known.target) == (source, target) or (
                    symmetric and known.ends == {source, target}
                )
                if known.type == kind and same and known.annotator == self.annotator:
                    raise DuplicateSpan(f"the {kind} link is already there")
            relation = Relation(uuid.uuid4().hex, article_id, kind, source, target, self.annotator, now())
            self.apply(article_id, [Change("relation", None, relation.to_record())], f"link {kind}")
        return relation

    def delete_relation(self, article_id: str, relation_id: str) -> Relation | None:
        relation = next((r for r in self.relations(article_id) if r.id == relation_id), None)
        if relation:
            self.apply(
                article_id, [Change("relation", relation.to_record(), None)], f"unlink {relation.type}"
            )
        return relation
