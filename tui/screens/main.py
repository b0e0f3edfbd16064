"""The main screen: article list, the right-to-left article, the annotation panel, a status bar."""

from __future__ import annotations

import os

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList

from annotations.layout import visual_label
from annotations.model import Article
from tui.terminal import bidi_terminal_hint
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.status_bar import StatusBar


class MainScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="panes"):
            yield AnnotationPanel(id="annotations")
            yield ArticleView(mode=self.app.bidi_mode, shaping=self.app.shaping, id="article")
            yield ArticleList(id="articles")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#status", StatusBar).hint = bidi_terminal_hint(os.environ, self.app.bidi_mode)
        self.query_one("#articles", ArticleList).border_title = "articles"
        self.query_one("#annotations", AnnotationPanel).border_title = "annotations"
        self.call_after_refresh(self.open_article, self.app.current)
        self.query_one(ArticleView).focus()

    @property
    def article(self) -> Article | None:
        articles = self.app.articles
        return articles[self.app.current] if articles else None

    def open_article(self, index: int) -> None:
        articles = self.app.articles
        if not articles:
            self.query_one("#status", StatusBar).message = "the store has no articles: hamish import PATH"
            return
        self.app.current = index % len(articles)
        article = self.article
        store = self.app.store
        view = self.query_one(ArticleView)
        view.border_title = Text(visual_label(article.title, max(view.size.width - 6, 10)))
        view.show_article(article, store.spans(article.id))
        self.refresh_panels()

    def refresh_panels(self) -> None:
        store, article = self.app.store, self.article
        done = store.done_ids()
        self.app.title = f"hamish — {store.corpus_name}"
        self.app.sub_title = f"{len(done & {a.id for a in self.app.articles})}/{len(self.app.articles)} done"
        self.query_one(ArticleList).show_articles(self.app.articles, done, store.span_counts(), self.app.current)
        if article:
            self.query_one(AnnotationPanel).show(store.spans(article.id), store.stances(article.id))

    @on(ArticleView.CursorMoved)
    def cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        status = self.query_one("#status", StatusBar)
        status.offset, status.word, status.selection = event.offset, event.word, event.selection

    @on(OptionList.OptionSelected, "#articles")
    def article_chosen(self, event: OptionList.OptionSelected) -> None:
        self.open_article(event.option_index)
        self.query_one(ArticleView).focus()
