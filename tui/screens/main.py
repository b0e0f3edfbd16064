"""The main screen: annotations on the left, the right-to-left article, the article list on the right."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from annotations.find.search import Folded, Match, find
from annotations.find.suggestions import pre_annotation_hits
from annotations.store.model import Article, Span
from annotations.text import navigation as nav
from tui.compat import set_titles_quietly
from tui.keymap import ANNOTATE_KEYS, SEARCH_KEYS, bindings
from tui.screens.annotating import AnnotatingPart
from tui.screens.footer_order import FooterOrder
from tui.screens.links import LinksPart
from tui.screens.searching import SearchPart
from tui.screens.workday import WorkdayPart
from tui.session import Session
from tui.terminal import bidi_terminal_hint
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.key_bar import KeyBar
from tui.widgets.layer_legend import LayerLegend
from tui.widgets.search_bar import SearchBar
from tui.widgets.status_bar import StatusBar
from tui.widgets.title_bar import TitleBar


class MainScreen(FooterOrder, Screen[None]):
    """Annotations on the left, the right-to-left article, the article list on the right. Composed of parts
    (tui/screens/part.py), each with the session and this screen's surface in its constructor; a key's action
    is looked up on the part that has it (__getattr__)."""

    BINDINGS = bindings(ANNOTATE_KEYS) + bindings(SEARCH_KEYS)

    @dataclass
    class ArticleOpened(Message):
        """An article is on screen (the first time: the keys held until then may be handled)."""

    @dataclass
    class Found(Message):
        """What a thread found in an article: a search's hits (with its query), the gazetteer's and lexicon's
        terms, or the models' spans (layer -> start, end, label, score)."""

        article: Article
        query: str | None = None
        hits: list[Match] | None = None
        terms: dict[str, list[tuple[int, int, str, str]]] | None = None
        models: dict[str, list[tuple[int, int, str, float]]] | None = None

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        """What this sitting knows: the store, the articles and the open one, the active layer (tui.session)."""
        self.done_ids: set[str] = set()
        """The done articles, read once and kept up to date here (so `d` or a tag never scans the corpus)."""
        self._listed = False
        """The article list and done_ids have been read from the store (at the first article)."""
        self.links = LinksPart(session, self)
        self.search = SearchPart(session, self)
        self.workday = WorkdayPart(session, self)
        self.annotating = AnnotatingPart(session, self, self.links, self.search, self.workday)

    def __getattr__(self, name: str) -> Any:
        """Textual looks a key's action up by name on the screen (`action_tag`): the part that has it runs it."""
        if name.startswith("action_"):
            for part_name in ("annotating", "links", "search", "workday"):
                part = self.__dict__.get(part_name)
                if part is not None and hasattr(type(part), name):
                    return getattr(part, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="panes"):
            yield AnnotationPanel(drawing=self.session.drawing, id="annotations")
            yield ArticleView(
                mode=self.session.drawing.mode, shaping=self.session.drawing.shaping, id="article"
            )
            yield ArticleList(drawing=self.session.drawing, id="articles")
        yield Static(id="too-small")
        yield LayerLegend(id="legend")
        yield StatusBar(
            drawing=self.session.drawing,
            placeholder="search (normalised, clitic-aware): enter keeps the hit, escape goes back",
            id="status",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.status.hint = bidi_terminal_hint(os.environ, self.session.drawing.mode)
        self.query_one("#articles", ArticleList).border_title = "articles"
        self.query_one("#annotations", AnnotationPanel).border_title = "annotations"
        self.view.span_style = self.span_style
        first = self.workday.restore_place()
        self.status.active_layer = self.session.active_layer.name
        self.workday.show_legend()
        self.workday.fit_to_size()
        self.call_after_refresh(self.open_article, self.session.current if first is None else first)
        self.set_interval(WorkdayPart.PLACE_EVERY_S, self.workday.remember_place)
        self.view.focus()

    def on_unmount(self) -> None:
        self.workday.remember_place()

    def on_resize(self) -> None:
        self.workday.fit_to_size()

    @on(SearchBar.QueryChanged)
    @on(SearchBar.SearchClosed)
    def to_search(self, event: SearchBar.QueryChanged | SearchBar.SearchClosed) -> None:
        """What is typed in the search line, for the search part."""
        if isinstance(event, SearchBar.QueryChanged):
            self.search.query_changed(event)
        else:
            self.search.search_closed(event)

    # -- work off the keys' thread, where its results are used: a newer search or article cancels an older one
    @work(thread=True, exclusive=True, group="article-search", description="a search in a long article")
    def find_in_article(self, article: Article, query: str, folded: Callable[[Article], Folded]) -> None:
        """`/` in a long article: the hits found off the keys' thread; the next letter (or escape) cancels it."""
        hits = find(article.text, query, folded(article))
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(article, query=query, hits=hits))

    @work(thread=True, exclusive=True, group="pre-annotation", description="a long article's gazetteer terms")
    def find_terms(self, article: Article, sources: list[tuple[str, str, str, str]], folded: Folded) -> None:
        """Where gazetteer and lexicon terms occur in a long article (matching only: the part stores them)."""
        hits = pre_annotation_hits(article, sources, folded)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(article, terms=hits))

    # A description of its own: Textual's default is the repr of the arguments, and that of a 2 MB article
    # took 13 ms of the key that started the worker.
    @work(
        thread=True,
        exclusive=True,
        group="model-suggestions",
        description="the open article's model suggestions",
    )
    def find_model_suggestions(self, article: Article) -> None:
        """The models' findings in the open article, computed off the keys' thread; a newer article cancels it."""
        found = {layer: r.predict(article) for layer, r in self.session.recommenders.items() if r.enabled}
        if any(found.values()) and not get_current_worker().is_cancelled:
            self.post_message(self.Found(article, models=found))

    @on(Found)
    def found(self, event: Found) -> None:
        """Back from a thread: the search part takes what was found."""
        if event.hits is not None and event.query is not None:
            self.search.search_found(event.article.id, event.query, event.hits)
        elif event.terms is not None:
            self.search.pre_annotations_found(event.article.id, event.terms)
        elif event.models is not None:
            self.search.propose_model_suggestions(event.article, event.models)

    # -- what every part works through (part.Surface) ---------------------------------------------------------
    def say(self, message: str) -> None:
        """A notice on the status line (and in the log `m` shows); it stays until the cursor moves on from
        where it was said."""
        self.session.log(message)
        self.status.message = message
        self.status.said_at = self.view.cursor

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
        here.sort(key=lambda s: (s.layer != self.session.active_layer.name, s.end - s.start))
        return here[0]

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def panel(self) -> AnnotationPanel:
        return self.query_one(AnnotationPanel)

    @property
    def article(self) -> Article | None:
        articles = self.session.articles
        return articles[self.session.current] if articles else None

    def span_style(self, span: Span) -> Style:
        """A layer drawn as background or underline, in its label's colour, so two layers on a word both show."""
        layer = self.session.schema.layer(span.layer)
        label = layer.label(span.label) if layer else None
        color = label.color if label else "grey50"
        if layer and layer.style == "underline":
            return Style(underline=True, color=color, bold=True)
        if layer and layer.style == "italic":
            return Style(italic=True, color=color, bold=True)
        return Style(bgcolor=color, color="black")

    def open_article(self, index: int) -> None:
        articles = self.session.articles
        if not articles:
            self.status.message = "the store has no articles: hamish import PATH"
            self.post_message(self.ArticleOpened())
            return
        self.workday.cursor = self.workday.restore_offset
        self.session.current = index % len(articles)
        article = self.article
        assert article is not None  # there are articles (above)
        self.view.border_title = Text(
            self.session.drawing.label(article.title, max(self.view.size.width - 6, 10))
        )
        self.view.show_article(article, self.session.store.spans(article.id), self.workday.restore_offset)
        self.workday.restore_offset = 0
        self.search.forget_hits()
        # Suggestions a frame later: the article is drawn first (folding the text and building the gazetteer
        # is the larger part of opening an article, and the whole of it at start-up).
        opened = article.id
        self.call_after_refresh(
            lambda: self.article and self.article.id == opened and self.search.load_suggestions()
        )
        if not self._listed:
            self.refresh_corpus()
        self.query_one(ArticleList).set_current(self.session.current)
        self.refresh_panels()
        self.post_message(self.ArticleOpened())

    def reload_annotations(self, with_suggestions: bool = True) -> None:
        """After a change: the store is the truth; redraw highlights and panels from it. A change that cannot
        touch suggestions (a new tag) leaves them unread: a long article may have thousands."""
        if self.article:
            self.view.set_spans(self.session.store.spans(self.article.id))
            if with_suggestions:
                self.view.set_suggestions(self.session.suggestions(self.article.id))
        self.refresh_panels()
        self.links.show_links(self.span_under_cursor())

    def store_changed(self) -> None:
        """Another process saved: re-read the article list and the open article's annotations, keeping the
        cursor and the open article (found by id, wherever new articles put it)."""
        current = self.article.id if self.article else None
        self.session.articles = self.session.store.article_index()
        ids = self.session.articles.ids
        self.refresh_corpus()
        if current is None:
            if ids:
                self.open_article(0)
            return
        if current in ids:
            self.session.current = ids.index(current)
        self.query_one(ArticleList).set_current(self.session.current)
        self.reload_annotations()

    def refresh_corpus(self) -> None:
        """Every row of the article list, from the store: at start and after another process's save."""
        store = self.session.store
        self.done_ids = store.done_ids()
        self._listed = True
        self.query_one(ArticleList).show_articles(
            self.session.articles, self.done_ids, store.span_counts(), self.session.current
        )

    def set_done(self, done: bool) -> None:
        article = self.article
        if article is None:
            return
        self.session.store.set_done(article.id, done)
        (self.done_ids.add if done else self.done_ids.discard)(article.id)
        self.query_one(ArticleList).update_article(self.session.current, done, len(self.view.spans))

    def refresh_panels(self) -> None:
        """After a change in the open article: its row, the header and the annotation panel; nothing that
        grows with the corpus."""
        store, article = self.session.store, self.article
        if not self._listed:
            self.refresh_corpus()
        self.retitle(
            f"hamish — {store.corpus_name}", f"{len(self.done_ids)}/{len(self.session.articles)} done"
        )
        if article:
            self.query_one(ArticleList).update_article(
                self.session.current, article.id in self.done_ids, len(self.view.spans)
            )
            self.panel.show(
                self.view.spans, store.stances(article.id), self.session.schema, store.relations(article.id)
            )

    def retitle(self, title: str, sub_title: str) -> None:
        """The app's title and sub-title, drawn by the title bar alone: assigning them repaints the whole screen
        (the app's reactives refresh the app), which made every `d` a full frame."""
        if set_titles_quietly(self.app, title, sub_title):
            self.query_one(TitleBar).retitle()

    def on_key(self, event: events.Key) -> None:
        """A key that finds nothing focused on this screen goes to the article view: Textual clears the focus
        while the window is blurred (and for a moment around a click into a browser page), and looks bindings
        up from the focus when the key reaches the app, after this; a `w` typed then was lost (the browser
        test, under load). The view takes the focus here, before that look-up."""
        if self.focused is None:
            self.set_focus(self.view, scroll_visible=False)

    @on(ArticleView.CursorMoved)
    def cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        status = self.status
        status.offset, status.word, status.selected = event.offset, event.word, event.selection
        self.workday.cursor = event.offset
        span = self.span_under_cursor()
        self.panel.follow(span.id if span else None)
        self.links.show_links(span)
        proposed = self.search.suggestion_under_cursor()
        if proposed:
            score = f" {proposed.score:.2f}" if proposed.score is not None else ""
            status.message = (
                f"suggestion {proposed.span.label} ({proposed.source}{score}): y accept, r reject, j next"
            )
            status.said_at = None  # this one lasts exactly as long as the cursor is on the suggestion
        elif status.said_at is None or (event.offset != status.said_at and self.links.link_source is None):
            status.message = ""  # said about where the cursor was; it has moved on

    @on(ArticleList.ArticleChosen)
    @on(ArticleList.TitleFilterAsked)
    def from_article_list(self, event: ArticleList.ArticleChosen | ArticleList.TitleFilterAsked) -> None:
        """An article chosen in the list opens; `/` there asks for the title filter."""
        if isinstance(event, ArticleList.ArticleChosen):
            self.open_article(event.index)
            self.view.focus()
            return
        from tui.screens.text_prompt import TextPrompt  # first use: start fast

        articles = self.query_one(ArticleList)

        def chosen(value: str | None) -> None:
            if value is not None:
                articles.title_filter = value

        self.app.push_screen(
            TextPrompt(
                "Titles holding (empty: every article)", articles.title_filter, drawing=self.session.drawing
            ),
            chosen,
        )

    @on(AnnotationPanel.SpanHighlighted)
    @on(AnnotationPanel.SpanChosen)
    def from_panel(self, event: AnnotationPanel.SpanHighlighted | AnnotationPanel.SpanChosen) -> None:
        """A span highlighted in the panel is marked in the article; chosen, the cursor goes to it."""
        if isinstance(event, AnnotationPanel.SpanHighlighted):
            self.view.mark_span(event.span_id)
            return
        span = next((s for s in self.view.spans if s.id == event.span_id), None)
        if span:
            self.view.move_to(span.start)
            self.view.focus()
