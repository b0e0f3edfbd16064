"""The corpus: one row per article, title right to left, a done marker and the number of annotations.

A virtual list (Textual's line API): only the rows on screen are drawn, and a row's right-to-left title is laid
out when it first scrolls into view, so 100,000 articles cost what 40 do. A change to one article redraws its
row only. Filters (to do / done / annotated / not annotated, and a title search) work on ids, titles and
counts, never on article texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.find.search import fold_quickly
from annotations.store.model import Article
from annotations.text.bounded import BoundedCache
from tui.labels import Drawing

DONE, TODO = "✓", "·"
FILTERS = ("all", "to do", "done", "annotated", "not annotated")


class ArticleList(ScrollView, can_focus=True):
    """Enter (or a click) opens the highlighted article; the open article's row is marked."""

    BINDINGS: ClassVar = [
        Binding("up", "move(-1)", "Up", show=False, id="articles.up"),
        Binding("down", "move(1)", "Down", show=False, id="articles.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="articles.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="articles.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="articles.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="articles.last"),
        Binding("enter", "choose", "Open", id="articles.open", tooltip="Open the highlighted article"),
        Binding(
            "f,ب",
            "cycle_filter",
            "Filter",
            id="articles.filter",
            tooltip="Show all articles, to do, done, annotated, not annotated",
        ),
        Binding(
            "slash,ظ",
            "ask_title",
            "Titles",
            id="articles.title_filter",
            tooltip="Only articles whose title holds what you type",
        ),
    ]
    CACHE_ROWS = 2000
    """Rows whose drawn title is kept (bounded, so a long scroll does not keep every title)."""

    @dataclass
    class TitleFilterAsked(Message):
        """The user wants to type a title filter (the screen asks for it)."""

    @dataclass
    class ArticleChosen(Message):
        index: int
        """The article's index in the app's list (not its row: a filter may hide rows)."""

    cursor: reactive[int] = reactive(0, init=False, repaint=False)
    """The highlighted row (in the filtered rows); moving it redraws the two rows (watch_cursor), not the list."""
    status_filter: reactive[str] = reactive("all", init=False)
    """Which articles are listed, by done-state and annotations."""
    title_filter: reactive[str] = reactive("", init=False)
    """Only titles holding this (folded: hamza, harakat and tatweel do not matter)."""

    def __init__(self, *, drawing: Drawing, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawing = drawing
        """How this sitting draws text (Session.drawing)."""
        self.articles: Sequence[Article] = []
        self.done: set[str] = set()
        self.counts: dict[str, int] = {}
        self.current = 0
        self.rows: list[int] = []
        """Article index of each listed row."""
        self._row_of: dict[int, int] = {}
        self._drawn: BoundedCache[tuple[str, int], Text] = BoundedCache(self.CACHE_ROWS)
        """Laid-out titles by (article, width), the least recently drawn dropped first."""

    # -- what is listed --------------------------------------------------------------------------------------
    def show_articles(
        self, articles: Sequence[Article], done: set[str], counts: dict[str, int], current: int
    ) -> None:
        """The whole corpus (at start, and when another process changed it)."""
        self.articles, self.done, self.counts = articles, set(done), dict(counts)
        self._drawn.clear()
        self._filter()
        self.set_current(current)

    def update_article(self, index: int, done: bool, count: int) -> None:
        """One article's done-state or count changed: its row alone is drawn again."""
        article_id = self._article_id(index)
        if (article_id in self.done) == done and self.counts.get(article_id, 0) == count:
            return
        (self.done.add if done else self.done.discard)(article_id)
        self.counts[article_id] = count
        if self.status_filter != "all":
            self._filter()  # it may now leave or join the filtered rows
        elif index in self._row_of:
            self.refresh_line(self._row_of[index])

    def set_current(self, index: int) -> None:
        before = self._row_of.get(self.current)
        self.current = index
        if index in self._row_of:
            self.cursor = self._row_of[index]
        for row in (before, self._row_of.get(index)):  # the old and new current rows only
            if row is not None:
                self.refresh_line(row)

    def _keeps(self, article_id: str) -> bool:
        wanted = self.status_filter
        if wanted == "to do" and article_id in self.done or wanted == "done" and article_id not in self.done:
            return False
        count = self.counts.get(article_id, 0)
        return not (wanted == "annotated" and not count or wanted == "not annotated" and count)

    def _filter(self) -> None:
        """Rows from ids, titles and counts alone (the store's records, no article is made)."""
        needle = fold_quickly(self.title_filter.strip()) if self.title_filter.strip() else ""
        ids = getattr(self.articles, "ids", None) or [a.id for a in self.articles]
        titles = getattr(self.articles, "titles", None) or [a.title for a in self.articles]
        everything = self.status_filter == "all" and not needle
        self.rows = (
            list(range(len(ids)))
            if everything
            else [
                i
                for i, (article_id, title) in enumerate(zip(ids, titles, strict=True))
                if self._keeps(article_id) and (not needle or needle in fold_quickly(title or article_id))
            ]
        )
        self._row_of = {index: row for row, index in enumerate(self.rows)}
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.cursor = min(self.cursor, max(len(self.rows) - 1, 0))
        shown = f"{len(self.rows):,}/{len(self.articles):,}" if len(self.rows) != len(self.articles) else ""
        what = " · ".join(
            x
            for x in (
                self.status_filter if self.status_filter != "all" else "",
                f"«{self.title_filter}»" if self.title_filter else "",
                shown,
            )
            if x
        )
        self.border_title = f"articles {what}".strip()
        self.refresh()

    def watch_status_filter(self) -> None:
        self._filter()

    def watch_title_filter(self) -> None:
        self._filter()

    def watch_cursor(self, before: int, after: int) -> None:
        self.scroll_to_region_if_needed()
        self.refresh_line(before)
        self.refresh_line(after)

    def scroll_to_region_if_needed(self) -> None:
        top, height = round(self.scroll_y), max(self.scrollable_content_region.height, 1)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    # -- drawing ---------------------------------------------------------------------------------------------
    def on_resize(self) -> None:
        self._drawn.clear()
        self.virtual_size = Size(self.size.width, len(self.rows))

    def _article_id(self, index: int) -> str:
        ids = getattr(self.articles, "ids", None)
        return ids[index] if ids is not None else self.articles[index].id

    def _row_text(self, index: int, width: int) -> Text:
        article_id = self._article_id(index)
        key = (article_id, width)
        title = self._drawn.get(key)
        if title is None:
            article = self.articles[index]
            title = self._drawn.put(key, Text(self.drawing.label(article.title or article.id, width - 6)))
        done = article_id in self.done
        count = self.counts.get(article_id, 0)
        line = Text.assemble(
            (DONE if done else TODO, "green" if done else "dim"),
            f" {count:>3}" if count else "    ",
            " ",
            no_wrap=True,
        )
        shown = title.copy()
        shown.align("right", width - len(line))  # the marker and count in a column, the title right-aligned
        line.append_text(shown)
        return line

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y
        if not 0 <= row < len(self.rows) or width < 8:
            return Strip.blank(width, self.rich_style)
        index = self.rows[row]
        style = self.rich_style
        if row == self.cursor and self.has_focus:
            style += Style(reverse=True)
        elif index == self.current:
            style += Style(bold=True, bgcolor="grey23")
        segments = [
            Segment(s.text, style + s.style if s.style else style)
            for s in self._row_text(index, width).render(self.app.console)
        ]
        return Strip(segments, width).crop(0, width)

    def row_text(self, row: int) -> str:
        """What a row shows (for tests and the screen reader of the future)."""
        return self._row_text(self.rows[row], max(self.scrollable_content_region.width, 8)).plain

    # -- keys and mouse ----------------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        if self.rows:
            self.cursor = min(max(self.cursor + step, 0), len(self.rows) - 1)

    def action_page(self, step: int) -> None:
        self.action_move(step * max(self.scrollable_content_region.height - 1, 1))

    def action_jump(self, row: int) -> None:
        if self.rows:
            self.cursor = row % len(self.rows)

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(self.ArticleChosen(self.rows[self.cursor]))

    def action_ask_title(self) -> None:
        self.post_message(self.TitleFilterAsked())

    def action_cycle_filter(self) -> None:
        self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_y) + event.y
        if 0 <= row < len(self.rows):
            self.cursor = row
            self.action_choose()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
