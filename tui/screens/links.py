"""What the link keys do on the main screen: `k` links two annotations (refused unless the schema allows the
pair), `o` follows a link to its other end (and back), `.`/`,` jump to the next/previous annotation."""

from __future__ import annotations

from annotations.store.model import Relation, Span
from tui.screens.part import Part, Surface
from tui.session import Session
from tui.store_errors import reports_store_errors, store_errors_on


class LinksPart(Part):
    """`k` links two annotations, `o` follows a link, `.`/`,` go to the next/previous annotation."""

    def __init__(self, session: Session, ui: Surface) -> None:
        super().__init__(session, ui)
        self.link_source: Span | None = None
        """The annotation a link is being made from (after the first `k`)."""
        self._followed_from: int | None = None

    def relations(self) -> list[Relation]:
        return self.session.store.relations(self.ui.article.id) if self.ui.article else []

    def links_of(self, span: Span) -> list[tuple[Relation, Span]]:
        """The links of a span and, for each, the span at its other end."""
        spans = {s.id: s for s in self.ui.view.spans}
        out = []
        for relation in self.relations():
            if span.id in relation.ends:
                other = spans.get(relation.target if relation.source == span.id else relation.source)
                if other is not None:
                    out.append((relation, other))
        return out

    def describe_links(self, span: Span) -> str:
        """For the status line: each link's type, direction, the other end's text and its line."""
        parts = []
        for relation, other in self.links_of(span):
            kind = self.session.schema.relation(relation.type)
            arrow = "↔" if kind and not kind.directed else ("→" if relation.source == span.id else "←")
            line = self.ui.view.text_layout.line_index(other.start) + 1 if self.ui.view.text_layout else 0
            parts.append(
                f"{relation.type} {arrow} «{self.session.drawing.label(other.text, 24)}» (line {line})"
            )
        return "; ".join(parts) + ("  (o follows)" if parts else "")

    def show_links(self, span: Span | None) -> None:
        """Highlight the annotations linked to the one under the cursor, and say what they are."""
        linked = [(other.start, other.end) for _, other in self.links_of(span)] if span else []
        self.ui.view.set_linked(linked)
        if span and linked and self.link_source is None:
            self.say(self.describe_links(span))

    def action_link(self) -> None:
        span = self.ui.span_under_cursor()
        source = self.link_source
        if source is None:
            if span is None:
                self.say("no annotation under the cursor to link from")
                return
            self.link_source = span
            self.ui.view.set_link_source((span.start, span.end))
            self.say(
                f"linking from «{self.session.drawing.label(span.text, 30)}» ({span.layer}:{span.label}): move to the other "
                f"annotation and press k; escape cancels"
            )
            return
        if span is None or span.id == source.id:
            self.say("move onto the other annotation, then press k (escape cancels the link)")
            return
        self.cancel_link()
        allowed = self.session.schema.relations_for((source.layer, source.label), (span.layer, span.label))
        if not allowed:
            rules = (
                "; ".join(r.rule for r in self.session.schema.relations) or "the schema has no relation types"
            )
            self.say(
                f"refused: no link may go from {source.layer}:{source.label} to {span.layer}:{span.label} "
                f"(rules: {rules})"
            )
            return

        @store_errors_on(self)
        def picked(kind: str | None) -> None:
            if kind is None:
                self.say("no link made")
                return
            relation_type = self.session.schema.relation(kind)
            if relation_type is None:  # a kind the picker offered is the schema's
                return
            try:
                self.session.store.add_relation(
                    source.article_id, kind, source.id, span.id, symmetric=not relation_type.directed
                )
            except ValueError as refused:
                self.say(f"refused: {refused}")
                return
            self.ui.reload_annotations()
            arrow = "→" if relation_type.directed else "↔"
            self.say(
                f"saved ✓ {kind}: «{self.session.drawing.label(source.text, 24)}» {arrow} «{self.session.drawing.label(span.text, 24)}»"
            )

        if len(allowed) == 1 and not allowed[0].key:
            picked(allowed[0].name)
        else:
            from tui.screens.relation_picker import RelationPicker  # first use: start fast

            self.app.push_screen(
                RelationPicker(allowed, source.text, span.text, drawing=self.session.drawing), picked
            )

    def cancel_link(self) -> None:
        self.link_source = None
        self.ui.view.set_link_source(None)

    def action_follow_link(self) -> None:
        """To the other end of the annotation's first link; pressed again there, back where it started."""
        span = self.ui.span_under_cursor()
        links = self.links_of(span) if span else []
        if not links:
            if self._followed_from is not None:
                self.ui.view.move_to(self._followed_from)
                self._followed_from = None
                return
            self.say("no link from the annotation under the cursor")
            return
        if self._followed_from is not None and any(o.start <= self._followed_from < o.end for _, o in links):
            target, self._followed_from = self._followed_from, None
        else:
            self._followed_from, target = self.ui.view.cursor, links[0][1].start
        self.ui.view.move_to(target)

    def action_next_annotation(self, forward: bool) -> None:
        starts = sorted({s.start for s in self.ui.view.spans})
        cursor = self.ui.view.cursor
        later = [s for s in starts if (s > cursor if forward else s < cursor)]
        if not later:
            self.say("no more annotations this way")
            return
        self.ui.view.move_to(later[0] if forward else later[-1])

    @reports_store_errors
    def delete_link(self, relation: Relation) -> None:
        self.session.store.delete_relation(relation.article_id, relation.id)
        self.ui.reload_annotations()
        self.say(f"saved ✓ deleted the {relation.type} link (ctrl+z undoes)")
