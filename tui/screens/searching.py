"""What the search and suggestion keys do on the main screen: /, n, N, ctrl+f, a, y, r, Y."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from annotations.find.search import FoldInSlices, Match, find, fold_query, next_hit
from annotations.find.suggestions import (
    Suggestion,
    accept,
    pre_annotation_hits,
    pre_annotation_sources,
    propose,
    propose_hits,
    reject,
    tag_all,
)
from annotations.store.model import Article, Span
from annotations.store.store import StoreError
from tui.screens.part import Part, Surface
from tui.session import Session
from tui.store_errors import reports_store_errors, store_errors_on
from tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:  # screens are imported when first opened: start-up stays fast
    from tui.screens.corpus_search import Hit


class SearchPart(Part):
    """`/`, `n`, `N`, `ctrl+f`, tag-all, and the suggestions (`y`, `r`, `Y`, and proposing them)."""

    def __init__(self, session: Session, ui: Surface) -> None:
        super().__init__(session, ui)
        self._search_origin = 0
        self._hits: list[Match] = []
        self._folding: tuple[str, FoldInSlices] | None = None
        """The open article's fold, made a slice at a time between frames (a long article's)."""
        self._wanted_query: str | None = None
        """The query whose hits are awaited (None after escape: late hits from a thread are dropped)."""

    def folded(self, article):
        folding = self._folding
        if folding and folding[0] == article.id and article.id not in self.session.folded:
            return self.session.folded.setdefault(
                article.id, folding[1].finish()
            )  # what is left of its slices
        return self.session.folded.of(article)

    FOLD_BETWEEN_FRAMES_FROM = 50_000
    """Articles this long (code points) are folded for search and suggestions a slice at a time after they
    open (a 2 MB article folds in ~120 ms, which the first letter of a search would otherwise wait for)."""

    def fold_between_frames(self, article, then) -> None:
        """Fold the article a slice (~3 ms) per timer tick, then call `then`; another article stops it."""
        if article.id in self.session.folded:
            then()
            return
        slicer = FoldInSlices(article.text)
        self._folding = (article.id, slicer)

        def step() -> None:
            if self._folding is None or self._folding[1] is not slicer:
                return  # another article opened (or this one again, with a fold of its own)
            if article.id in self.session.folded or slicer.step():
                self.session.folded[article.id] = slicer.finish()
                self._folding = None
                then()
            else:
                self.ui.set_timer(0.001, step)

        self.ui.set_timer(0.001, step)

    # -- search in the article -------------------------------------------------------------------------------
    def forget_hits(self) -> None:
        """Another article opened: the last one's search hits no longer apply."""
        self._hits = []

    def action_search(self) -> None:
        self._search_origin = self.ui.view.cursor
        self.ui.query_one(SearchBar).open()

    SEARCH_IN_THREAD_FROM = 200_000
    """Articles this long (code points) whose query occurs very often are searched in a thread as you type:
    a first letter occurs tens of thousands of times in 2 MB (50 ms of checks), and the typed letter must show
    at once; the next letter drops its result. A rarer query is searched at once (a thread would only share
    the interpreter with the frame being drawn)."""
    OFTEN = 3000
    """Occurrences (counted at C speed in the folded text) above which a long article's search is threaded."""

    def query_changed(self, event: SearchBar.QueryChanged) -> None:
        if not self.ui.article:
            return
        self._wanted_query = event.query
        if event.query.strip() and len(self.ui.article.text) >= self.SEARCH_IN_THREAD_FROM:
            if self.folded(self.ui.article).text.count(fold_query(event.query)) > self.OFTEN:
                self.ui.find_in_article(self.ui.article, event.query, self.folded)
                return
        hits = (
            find(self.ui.article.text, event.query, self.folded(self.ui.article))
            if event.query.strip()
            else []
        )
        self.search_found(self.ui.article.id, event.query, hits)

    def search_found(self, article_id: str, query: str, hits: list[Match]) -> None:
        """The hits of `query` (found here or in the thread): highlighted, the first after the origin visited."""
        if not self.ui.article or self.ui.article.id != article_id or query != self._wanted_query:
            return  # another article, another letter typed since (its own search is on the way), or escape
        self._hits = hits
        self.ui.view.set_hits(self._hits)
        hit = next_hit(self._hits, self._search_origin - 1)
        if hit:
            self.ui.view.move_to(hit.start)
        self.say(f"{len(self._hits)} hit(s) for «{self.session.drawing.label(query, 30)}»" if query else "")

    def search_closed(self, event: SearchBar.SearchClosed) -> None:
        if not event.keep:
            self._wanted_query = None
            self.app.workers.cancel_group(self.ui, "article-search")  # its hits would come too late
            self.ui.view.move_to(self._search_origin)
            self._hits = []
            self.ui.view.set_hits([])
            self.say("")
        elif self._hits:
            self.say(f"{len(self._hits)} hit(s): n next, N previous")
        self.ui.view.focus()

    def action_next_hit(self, forward: bool) -> None:
        hit = next_hit(self._hits, self.ui.view.cursor, forward)
        if hit is None:
            self.say("no search hits: press / to search")
            return
        self.ui.view.move_to(hit.start)
        self.say(f"hit {self._hits.index(hit) + 1} of {len(self._hits)}")

    def action_corpus_search(self) -> None:
        from tui.screens.corpus_search import CorpusSearch  # dialogs load when first opened

        def jump(hit: Hit | None) -> None:
            if hit is not None:
                self.ui.open_article(hit.article)
                self.ui.view.move_to(hit.start)
                self.ui.view.focus()

        self.app.push_screen(
            CorpusSearch(self.session.articles, self.session.folded, drawing=self.session.drawing), jump
        )

    # -- suggestions -----------------------------------------------------------------------------------------
    FIND_IN_THREAD_FROM = 50_000
    """Articles this long (code points) are searched for gazetteer and lexicon terms in a thread: opening a
    2 MB article does not wait 0.6 s for its suggestions; they appear when found."""

    PROPOSE_PER_FRAME = 100
    """Suggestions found in a long article stored per timer tick (~3 ms): 2,000 of them at once were a 61 ms
    write, which a key pressed then waited for."""

    @reports_store_errors
    def pre_annotations_found(self, article_id: str, hits: dict) -> None:
        """Back from the thread: store the suggestions, a slice per tick, while that article is still open;
        they show once all are stored."""
        pending = [(source, hit) for source, found in hits.items() for hit in found]

        @reports_store_errors
        def store_some() -> None:
            if not (self.ui.article and self.ui.article.id == article_id):
                return
            some, pending[:] = pending[: self.PROPOSE_PER_FRAME], pending[self.PROPOSE_PER_FRAME :]
            by_source: dict[str, list] = {}
            for source, hit in some:
                by_source.setdefault(source, []).append(hit)
            propose_hits(self.session.store, self.ui.article, by_source)
            if pending:
                self.ui.set_timer(0.001, store_some)
            else:
                self.show_suggestions()

        store_some()

    @reports_store_errors
    def load_suggestions(self) -> None:
        """Propose gazetteer and lexicon suggestions for the open article, then draw what is open."""
        article = self.ui.article
        if not article:
            return
        self._folding = None  # a fold in slices belongs to the article it was started for
        sources = None
        if self.app.pre_annotate:
            sources = pre_annotation_sources(
                self.session.store,
                self.session.schema,
                lexicon=self.app.lexicon,
                entities=self.session.gazetteer(),
            )
            if len(article.text) < self.FIND_IN_THREAD_FROM:
                propose_hits(self.session.store, article, pre_annotation_hits(article, sources))
                sources = None
        if len(article.text) >= self.FOLD_BETWEEN_FRAMES_FROM:
            # The article shows first; its suggestions are then found in a thread, from the fold.
            self.fold_between_frames(
                article,
                lambda: (
                    sources is not None
                    and self.ui.find_terms(article, sources, self.session.folded[article.id])
                ),
            )
        if self.session.recommenders:
            self.ui.find_model_suggestions(article)  # in a thread: opening an article never waits for it
        self.show_suggestions()

    def propose_model_suggestions(
        self, article: Article, found: dict[str, list[tuple[int, int, str, float]]]
    ) -> None:
        """The models' findings, stored as suggestions (dimmed, scored); shown if that article is still open."""
        try:
            for layer, spans in found.items():
                propose(
                    self.session.store,
                    article,
                    [(a, b, layer, label) for a, b, label, _ in spans],
                    "model",
                    scores=[score for *_, score in spans],
                )
        except StoreError as error:  # suggestions are the model's, not the user's: said, never a crash
            self.app.notify(f"suggestions not saved: {error}", severity="warning", timeout=6)
            return
        if self.ui.article and self.ui.article.id == article.id:
            self.show_suggestions()

    def show_suggestions(self) -> None:
        if self.ui.article:
            self.ui.view.set_suggestions(self.session.suggestions(self.ui.article.id))

    def suggestion_under_cursor(self) -> Suggestion | None:
        cursor = self.ui.view.cursor
        here = [s for s in self.ui.view.suggestions if s.span.start <= cursor < s.span.end]
        return min(here, key=lambda s: s.span.end - s.span.start) if here else None

    def action_tag_all(self) -> None:
        from tui.screens.scope_dialog import ScopeDialog

        span = self.ui.span_under_cursor()
        article = self.ui.article
        if span is None or article is None:
            self.say("move onto an annotation to tag its other occurrences")
            return

        @store_errors_on(self)
        def chosen(scope: str | None) -> None:
            if scope == "article":
                count = tag_all(self.session.store, span, [article], self.session.folded)
                self.ui.view.set_suggestions(self.session.suggestions(article.id))
                self.say(f"{count} suggestion(s) of {span.label}: y accept, r reject, Y accept all (dimmed)")
            elif scope == "corpus":
                from tui.screens.tag_all_progress import TagAllProgress

                self.app.push_screen(TagAllProgress(span, self.session), tagged_corpus)

        def tagged_corpus(result) -> None:
            self.show_suggestions()
            # The whole summary in a notification (it wraps); the status line, 40 cells at 80 columns, the gist.
            self.app.notify(
                f"{result.suggested:,} {span.label} suggestion(s) in {result.in_articles:,} article(s); "
                f"{result.searched:,} of {result.total:,} searched. j goes to the next, y accepts, "
                "r rejects.",
                title="tag all stopped" if result.stopped else "tag all done",
            )
            stopped = "stopped: " if result.stopped else ""
            self.say(f"{stopped}{result.suggested:,} {span.label} suggestions · j next")

        self.app.push_screen(ScopeDialog(span.text, span.label, drawing=self.session.drawing), chosen)

    @reports_store_errors
    def action_accept_suggestion(self) -> None:
        chosen = self.suggestion_under_cursor()
        if chosen is None:
            self.say("no suggestion under the cursor")
            return
        since = self.session.store.revision
        self.learn(accept(self.session.store, chosen.span.article_id, [chosen]), since)
        self.after_suggestions(
            f"saved ✓ accepted {chosen.span.label} «{self.session.drawing.label(chosen.span.text, 30)}»"
        )

    @reports_store_errors
    def action_reject_suggestion(self) -> None:
        chosen = self.suggestion_under_cursor()
        if chosen is None:
            self.say("no suggestion under the cursor")
            return
        reject(self.session.store, chosen.span.article_id, chosen)
        self.after_suggestions(
            f"saved ✓ rejected {chosen.span.label} «{self.session.drawing.label(chosen.span.text, 30)}»"
        )

    def action_accept_all(self) -> None:
        """Every open suggestion of the active layer, after saying how many (other layers are left alone)."""
        from tui.screens.confirm_dialog import ConfirmDialog

        if not self.ui.article:
            return
        layer = self.session.active_layer.name
        chosen = [s for s in self.session.suggestions(self.ui.article.id) if s.span.layer == layer]
        if not chosen:
            self.say(f"no open suggestions in layer {layer} here (l changes the layer)")
            return
        labels = Counter(s.span.label for s in chosen)
        summary = ", ".join(f"{n} {label}" for label, n in labels.most_common(4))
        article_id = self.ui.article.id

        @store_errors_on(self)
        def answered(yes: bool | None) -> None:
            if yes and self.ui.article and self.ui.article.id == article_id:
                since = self.session.store.revision
                spans = accept(self.session.store, article_id, chosen)
                self.learn(spans, since)
                self.after_suggestions(
                    f"saved ✓ accepted {len(spans)} {layer} suggestion(s) (ctrl+z undoes them at once)"
                )

        self.app.push_screen(
            ConfirmDialog(f"Accept {len(chosen)} {layer} suggestion(s) in this article ({summary})?"),
            answered,
        )

    def learn(self, spans: list[Span], since: int) -> None:
        """New spans, saved by one write from store revision `since`, are counted in the gazetteer and the
        label uses (tui.session); every few, a model learns again."""
        self.session.spans_added(spans, since)
        for layer in {s.layer for s in spans}:
            self.app.trainings.tagged(layer, sum(1 for s in spans if s.layer == layer))

    def after_suggestions(self, message: str) -> None:
        self.ui.reload_annotations()
        self.say(message)
