"""The main screen's keys for a working day: the layer legend and its model's state, guidelines (`i`), hiding the
side panels (`z`), the next/previous suggestion across articles (`j`/`J`), a minimum size, and returning to
where the annotator left off."""

from __future__ import annotations

from annotations.find.suggestions import articles_with_open_suggestions, suggestions
from tui.places import Place, last_place, remember_place
from tui.screens.part import Part, Surface
from tui.session import Session
from tui.training import model_state
from tui.widgets.layer_legend import LayerLegend


class WorkdayPart(Part):
    """The legend, guidelines (`i`), the side panels (`z`), `j`/`J` across articles, a minimum size, the place."""

    def __init__(self, session: Session, ui: Surface) -> None:
        super().__init__(session, ui)
        self.panels_hidden = False
        """`z` hid the side panels."""
        self.cursor = 0
        """The cursor as last reported by the view (kept here: at unmount the view is already gone)."""
        self.restore_offset = 0
        """The cursor of the last session, for the first article opened."""
        self._saved_place: Place | None = None

    MIN_SIZE = (60, 14)
    """Below this (with the side panels) the article would be pushed off screen: the screen says so."""
    MIN_SIZE_ALONE = (34, 10)
    """The smallest size the article alone is readable in (`z` hides the panels)."""
    PLACE_EVERY_S = 3.0
    """How often the place is written while the app runs (a kill -9 then loses at most this much of it)."""

    # -- where the annotator left off --------------------------------------------------------------------------
    def restore_place(self) -> int | None:
        """The article index to open first, and the layer, from the last session; the cursor follows."""
        place = last_place(self.session.store.path, self.session.store.annotator)
        if place is None:
            return None
        names = [layer.name for layer in self.session.schema.span_layers]
        if place.layer in names:
            self.session.layer_index = names.index(place.layer)
        ids = self.session.articles.ids
        if place.article_id not in ids:
            return None
        self.restore_offset = place.offset
        return ids.index(place.article_id)

    def place_now(self) -> Place | None:
        if not self.ui.article:
            return None
        return Place(self.ui.article.id, self.cursor, self.session.active_layer.name)

    def remember_place(self) -> None:
        place = self.place_now()
        if place is None or place == self._saved_place:
            return
        try:
            remember_place(self.session.store.path, self.session.store.annotator, place)
        except OSError as error:  # the place is a convenience: say it once, never stop the work
            self.say(f"could not remember the place ({error.strerror})")
        self._saved_place = place

    # -- what is on screen -------------------------------------------------------------------------------------
    def show_legend(self) -> None:
        """The active layer's labels above the status line, and its model's state on the status line."""
        layer = self.session.active_layer
        self.ui.query_one(LayerLegend).show(layer)
        self.ui.status.model = model_state(
            self.session.recommenders.get(layer.name), layer.name in self.session.training
        )

    def action_toggle_panels(self) -> None:
        self.panels_hidden = not self.panels_hidden
        self.fit_to_size()
        self.say("side panels hidden: z shows them" if self.panels_hidden else "side panels shown")

    def fit_to_size(self) -> None:
        """Hide or show the panels, or say the terminal is too small (instead of cutting the article)."""
        width, height = self.app.size
        alone = self.panels_hidden
        need = self.MIN_SIZE_ALONE if alone else self.MIN_SIZE
        too_small = width < need[0] or height < need[1]
        for panel in ("#annotations", "#articles"):
            self.ui.query_one(panel).display = not alone and not too_small
        self.ui.query_one("#panes").display = not too_small
        notice = self.ui.query_one("#too-small")
        notice.display = too_small
        if too_small:
            hint = "" if alone else ", or press z to hide the side panels"
            notice.update(
                f"hamish needs a terminal of at least {need[0]}×{need[1]}; this one is "
                f"{width}×{height}. Enlarge it{hint}."
            )

    def action_guideline(self) -> None:
        from tui.screens.guideline import GuidelineScreen  # first use: start fast

        span = self.ui.span_under_cursor()
        layer = self.session.schema.layer(span.layer) if span else self.session.active_layer
        label = layer.label(span.label) if span and layer else None
        self.app.push_screen(
            GuidelineScreen(layer or self.session.active_layer, label, drawing=self.session.drawing)
        )

    # -- suggestions, one after another ------------------------------------------------------------------------
    def action_next_suggestion(self, forward: bool) -> None:
        """To the next open suggestion after the cursor (or before it), going on into the next article that
        has any (after `a` on the corpus, or the models' and gazetteer's findings)."""
        cursor = self.ui.view.cursor
        here = sorted(self.ui.view.suggestions, key=lambda s: s.span.start)
        ahead = [s for s in here if (s.span.start > cursor if forward else s.span.start < cursor)]
        if ahead:
            chosen = ahead[0] if forward else ahead[-1]
            self.ui.view.move_to(chosen.span.start)
            self.say(f"suggestion {here.index(chosen) + 1} of {len(here)}: y accept, r reject, j next")
            return
        store, articles = self.session.store, self.session.articles
        with_some = articles_with_open_suggestions(store)
        ids, count, current = articles.ids, len(articles), self.session.current
        for step in range(1, count):
            index = (current + step) % count if forward else (current - step) % count
            if ids[index] not in with_some:
                continue
            found = suggestions(store, ids[index])
            if found:
                self.ui.open_article(index)
                target = found[0] if forward else found[-1]
                self.ui.view.move_to(target.span.start)
                self.say(
                    f"{len(found)} suggestion(s) in «{self.session.drawing.label(articles[index].title, 30)}»: y accept, r reject, "
                    f"j next"
                )
                return
        self.say("no open suggestions left in the corpus")
