"""What the annotation keys do on the main screen: select, trim, tag, note, delete, stance, done, undo/redo.

Every change goes straight to the store (which returns only once it is on disk); widgets keep no unsaved state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.store.links import DuplicateSpan
from annotations.store.schema import Layer
from annotations.text.clitics import trim_clitics, vocabulary
from tui.screens.links import LinksPart
from tui.screens.part import Part, Surface
from tui.screens.searching import SearchPart
from tui.screens.workday import WorkdayPart
from tui.session import Session
from tui.store_errors import reports_store_errors, store_errors_on

if TYPE_CHECKING:  # screens are imported when first opened: start-up stays fast
    from tui.screens.stance_dialog import StanceChoice


class AnnotatingPart(Part):
    """Select, trim, tag, note, delete, stance, done, undo and redo: every change goes straight to the store."""

    def __init__(
        self, session: Session, ui: Surface, links: LinksPart, search: SearchPart, workday: WorkdayPart
    ) -> None:
        super().__init__(session, ui)
        self.links = links
        self.search = search
        self.workday = workday
        self._vocabulary: tuple[str, set[str]] | None = None
        """The open article's words (for trimming clitics), made once per article."""

    # -- selection -------------------------------------------------------------------------------------------
    def action_toggle_selection(self) -> None:
        if self.ui.view.anchor is None:
            self.ui.view.start_selection()
            self.say("selecting: move to extend, 1-9 or enter to tag, t to trim clitics, escape to cancel")
        else:
            self.ui.view.clear_selection()
            self.say("")

    def action_cancel_selection(self) -> None:
        self.ui.view.clear_selection()
        self.links.cancel_link()
        self.say("")

    def action_trim(self) -> None:
        target = self.ui.target_range()
        if not target or not self.ui.article:
            self.say("nothing to trim: move onto a word")
            return
        text = self.ui.article.text
        if self._vocabulary is None or self._vocabulary[0] != self.ui.article.id:
            self._vocabulary = (self.ui.article.id, vocabulary(text))
        start, end = trim_clitics(text, *target, known=self._vocabulary[1])
        self.ui.view.select(start, end)
        self.say(
            f"selected «{self.session.drawing.label(text[start:end], 40)}»"
            if (start, end) != target
            else "no clitic to trim here"
        )

    # -- tagging ---------------------------------------------------------------------------------------------
    def action_cycle_layer(self) -> None:
        self.session.cycle_layer()
        self.ui.status.active_layer = self.session.active_layer.name
        self.workday.show_legend()
        self.say(f"active layer: {self.session.active_layer.name}")

    def action_tag(self, key: str) -> None:
        label = self.session.active_layer.by_key(key)
        if label is None:
            self.say(f"no label on key {key} in layer {self.session.active_layer.name}")
            return
        self.tag_with(label.name)

    def action_pick_label(self) -> None:
        from tui.screens.label_picker import LabelPicker  # dialogs load when first opened

        layer = self.session.active_layer

        def picked(name: str | None) -> None:
            if name:
                self.tag_with(name, layer)

        self.app.push_screen(
            LabelPicker(layer, self.session.label_uses(layer.name), drawing=self.session.drawing), picked
        )

    @reports_store_errors
    def tag_with(self, label: str, layer: Layer | None = None) -> None:
        layer = layer or self.session.active_layer
        target = self.ui.target_range()
        if not target or not self.ui.article:
            self.say("nothing to tag: move onto a word, or select with v")
            return
        since = self.session.store.revision
        try:
            span = self.session.store.add_span(self.ui.article, target[0], target[1], layer.name, label)
        except DuplicateSpan as refused:
            self.say(f"refused: {refused}")
            return
        self.ui.view.clear_selection()
        self.search.learn([span], since)
        self.ui.reload_annotations(with_suggestions=False)
        self.say(f"saved ✓ {label} «{self.session.drawing.label(span.text, 40)}» {span.start}–{span.end}")

    # -- editing ---------------------------------------------------------------------------------------------
    def action_note(self) -> None:
        from tui.screens.note_dialog import NoteDialog

        span = self.ui.span_under_cursor()
        if span is None:
            self.say("no annotation under the cursor")
            return

        @store_errors_on(self)
        def done(note: str | None) -> None:
            if note is not None:
                self.session.store.set_note(span.article_id, span.id, note)
                self.ui.reload_annotations()
                self.say("saved ✓ note" if note else "saved ✓ note removed")

        self.app.push_screen(NoteDialog(span.text, span.note, drawing=self.session.drawing), done)

    @reports_store_errors
    def action_delete_annotation(self) -> None:
        if self.ui.panel.has_focus and (relation_id := self.ui.panel.highlighted_relation()):
            relation = next((r for r in self.links.relations() if r.id == relation_id), None)
            if relation:
                self.links.delete_link(relation)
            return
        span = self.ui.span_under_cursor()
        if span is None:
            self.say("no annotation under the cursor")
            return
        links = len(self.links.links_of(span))
        self.session.store.delete_span(span.article_id, span.id)
        self.ui.reload_annotations()
        also = f" and its {links} link{'s' * (links != 1)}" if links else ""
        self.say(
            f"saved ✓ deleted {span.label} «{self.session.drawing.label(span.text, 30)}»{also} (ctrl+z undoes)"
        )

    def action_stance(self) -> None:
        from tui.screens.stance_dialog import StanceDialog

        layer = self.session.schema.stance_layer
        if layer is None or not self.ui.article:
            self.say("the schema has no stance layer")
            return
        article = self.ui.article
        entity_layer = self.session.schema.span_layers[0].name
        entities = [s for s in self.ui.view.spans if s.layer == entity_layer]
        targets = [*dict.fromkeys(s.text for s in entities), *self.session.store.stance_targets()]
        here = self.ui.span_under_cursor()

        @store_errors_on(self)
        def done(choice: StanceChoice | None) -> None:
            if choice:
                # A target picked from a tagged entity is linked to that span (the one under the cursor first).
                spans = [s for s in ([here] if here else []) + entities if s.text == choice.target]
                self.session.store.set_stance(
                    article.id, choice.target, choice.value, choice.note, span_id=spans[0].id if spans else ""
                )
                self.ui.reload_annotations()
                self.say(f"saved ✓ stance {choice.value} → «{self.session.drawing.label(choice.target, 30)}»")

        self.app.push_screen(
            StanceDialog(
                targets, layer.values, self.session.store.stances(article.id), drawing=self.session.drawing
            ),
            done,
        )

    @reports_store_errors
    def action_done(self) -> None:
        if not self.ui.article:
            return
        article = self.ui.article
        if article.id in self.ui.done_ids:
            self.ui.set_done(False)
            self.ui.refresh_panels()
            self.say("saved ✓ marked not done")
            return
        self.ui.set_done(True)
        self.app.trainings.done(article.id)  # a done article is training data: its layers learn again
        ids, count = self.session.articles.ids, len(self.session.articles)
        following = (index % count for index in range(self.session.current + 1, self.session.current + count))
        next_open = next((index for index in following if ids[index] not in self.ui.done_ids), None)
        if next_open is None:
            self.ui.refresh_panels()
            self.say(f"saved ✓ «{self.session.drawing.label(article.title, 30)}» done: every article is done")
            return
        self.ui.open_article(next_open)
        self.say(f"saved ✓ «{self.session.drawing.label(article.title, 30)}» done; the next not done is open")

    @reports_store_errors
    def action_undo(self) -> None:
        if self.ui.article:
            undone = self.session.store.undo(self.ui.article.id)
            self.ui.reload_annotations()
            self.say(f"saved ✓ undone: {undone}" if undone else "nothing to undo")

    @reports_store_errors
    def action_redo(self) -> None:
        if self.ui.article:
            redone = self.session.store.redo(self.ui.article.id)
            self.ui.reload_annotations()
            self.say(f"saved ✓ redone: {redone}" if redone else "nothing to redo")
