"""What the annotation keys do on the main screen: select, trim, tag, note, delete, stance, done, undo/redo.

Every change goes straight to the store (which returns only once it is on disk); widgets keep no unsaved state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.store.model import Span
from annotations.store.schema import Layer
from annotations.store.store import DuplicateSpan
from annotations.text import navigation as nav
from annotations.text.clitics import trim_clitics, vocabulary
from tui.labels import label as visual_label
from tui.store_errors import reports_store_errors, store_errors_on

if TYPE_CHECKING:  # screens are imported when first opened: start-up stays fast
    from tui.screens.stance_dialog import StanceChoice


class AnnotationActions:
    """Mixed into MainScreen, which provides `view`, `status`, `article`, `reload_annotations()`."""

    _vocabulary: tuple[str, set[str]] | None = None

    # -- state -----------------------------------------------------------------------------------------------
    @property
    def active_layer(self) -> Layer:
        return self.session.active_layer

    def say(self, message: str) -> None:
        """A notice on the status line; it stays until the cursor moves on from where it was said."""
        self.status.message = message
        self._message_at = self.view.cursor

    def target_range(self) -> tuple[int, int] | None:
        """The selection, or else the word under the cursor."""
        if self.view.selection:
            return self.view.selection
        return nav.word_bounds(self.article.text, self.view.cursor) if self.article else None

    def span_under_cursor(self) -> Span | None:
        """The innermost span at the cursor, preferring the active layer."""
        cursor = self.view.cursor
        here = [s for s in self.view.spans if s.start <= cursor < s.end]
        if not here:
            return None
        here.sort(key=lambda s: (s.layer != self.active_layer.name, s.end - s.start))
        return here[0]

    # -- selection -------------------------------------------------------------------------------------------
    def action_toggle_selection(self) -> None:
        if self.view.anchor is None:
            self.view.start_selection()
            self.say("selecting: move to extend, 1-9 or enter to tag, t to trim clitics, escape to cancel")
        else:
            self.view.clear_selection()
            self.say("")

    def action_cancel_selection(self) -> None:
        self.view.clear_selection()
        self.cancel_link()
        self.say("")

    def action_trim(self) -> None:
        target = self.target_range()
        if not target or not self.article:
            self.say("nothing to trim: move onto a word")
            return
        text = self.article.text
        if self._vocabulary is None or self._vocabulary[0] != self.article.id:
            self._vocabulary = (self.article.id, vocabulary(text))
        start, end = trim_clitics(text, *target, known=self._vocabulary[1])
        self.view.select(start, end)
        self.say(
            f"selected «{visual_label(text[start:end], 40)}»"
            if (start, end) != target
            else "no clitic to trim here"
        )

    # -- tagging ---------------------------------------------------------------------------------------------
    def action_cycle_layer(self) -> None:
        self.session.cycle_layer()
        self.status.active_layer = self.active_layer.name
        self.show_legend()
        self.say(f"active layer: {self.active_layer.name}")

    def action_tag(self, key: str) -> None:
        label = self.active_layer.by_key(key)
        if label is None:
            self.say(f"no label on key {key} in layer {self.active_layer.name}")
            return
        self.tag_with(label.name)

    def action_pick_label(self) -> None:
        from tui.screens.label_picker import LabelPicker  # dialogs load when first opened

        layer = self.active_layer

        def picked(name: str | None) -> None:
            if name:
                self.tag_with(name, layer)

        self.app.push_screen(LabelPicker(layer, self.session.label_uses(layer.name)), picked)

    @reports_store_errors
    def tag_with(self, label: str, layer: Layer | None = None) -> None:
        layer = layer or self.active_layer
        target = self.target_range()
        if not target or not self.article:
            self.say("nothing to tag: move onto a word, or select with v")
            return
        try:
            span = self.session.store.add_span(self.article, target[0], target[1], layer.name, label)
        except DuplicateSpan as refused:
            self.say(f"refused: {refused}")
            return
        self.view.clear_selection()
        self.session.tagged(layer.name, label)
        self.learn([span])
        self.reload_annotations(with_suggestions=False)
        self.say(f"saved ✓ {label} «{visual_label(span.text, 40)}» {span.start}–{span.end}")

    # -- editing ---------------------------------------------------------------------------------------------
    def action_note(self) -> None:
        from tui.screens.note_dialog import NoteDialog

        span = self.span_under_cursor()
        if span is None:
            self.say("no annotation under the cursor")
            return

        @store_errors_on(self)
        def done(note: str | None) -> None:
            if note is not None:
                self.session.store.set_note(span.article_id, span.id, note)
                self.reload_annotations()
                self.say("saved ✓ note" if note else "saved ✓ note removed")

        self.app.push_screen(NoteDialog(span.text, span.note), done)

    @reports_store_errors
    def action_delete_annotation(self) -> None:
        if self.panel.has_focus and (relation_id := self.panel.highlighted_relation()):
            relation = next((r for r in self.relations() if r.id == relation_id), None)
            if relation:
                self.delete_link(relation)
            return
        span = self.span_under_cursor()
        if span is None:
            self.say("no annotation under the cursor")
            return
        links = len(self.links_of(span))
        self.session.store.delete_span(span.article_id, span.id)
        self.session.spans_changed_elsewhere()  # the gazetteer is rebuilt from the store when next needed
        self.reload_annotations()
        also = f" and its {links} link{'s' * (links != 1)}" if links else ""
        self.say(f"saved ✓ deleted {span.label} «{visual_label(span.text, 30)}»{also} (ctrl+z undoes)")

    def action_stance(self) -> None:
        from tui.screens.stance_dialog import StanceDialog

        layer = self.session.schema.stance_layer
        if layer is None or not self.article:
            self.say("the schema has no stance layer")
            return
        article = self.article
        entity_layer = self.session.schema.span_layers[0].name
        entities = [s for s in self.view.spans if s.layer == entity_layer]
        targets = [*dict.fromkeys(s.text for s in entities), *self.session.store.stance_targets()]
        here = self.span_under_cursor()

        @store_errors_on(self)
        def done(choice: StanceChoice | None) -> None:
            if choice:
                # A target picked from a tagged entity is linked to that span (the one under the cursor first).
                spans = [s for s in ([here] if here else []) + entities if s.text == choice.target]
                self.session.store.set_stance(
                    article.id, choice.target, choice.value, choice.note, span_id=spans[0].id if spans else ""
                )
                self.reload_annotations()
                self.say(f"saved ✓ stance {choice.value} → «{visual_label(choice.target, 30)}»")

        self.app.push_screen(
            StanceDialog(targets, layer.values, self.session.store.stances(article.id)), done
        )

    @reports_store_errors
    def action_done(self) -> None:
        if not self.article:
            return
        article = self.article
        if article.id in self.done_ids:
            self.set_done(False)
            self.refresh_panels()
            self.say("saved ✓ marked not done")
            return
        self.set_done(True)
        for layer in self.app.recommenders:  # a done article is training data: the first model is trained now
            self.app.tagged(layer, 0)
        ids, count = self.session.articles.ids, len(self.session.articles)
        following = (index % count for index in range(self.session.current + 1, self.session.current + count))
        next_open = next((index for index in following if ids[index] not in self.done_ids), None)
        if next_open is None:
            self.refresh_panels()
            self.say(f"saved ✓ «{visual_label(article.title, 30)}» done: every article is done")
            return
        self.open_article(next_open)
        self.say(f"saved ✓ «{visual_label(article.title, 30)}» done; the next not done is open")

    @reports_store_errors
    def action_undo(self) -> None:
        if self.article:
            undone = self.session.store.undo(self.article.id)
            self.session.spans_changed_elsewhere()
            self.reload_annotations()
            self.say(f"saved ✓ undone: {undone}" if undone else "nothing to undo")

    @reports_store_errors
    def action_redo(self) -> None:
        if self.article:
            redone = self.session.store.redo(self.article.id)
            self.reload_annotations()
            self.say(f"saved ✓ redone: {redone}" if redone else "nothing to redo")
