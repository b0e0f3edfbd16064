"""The article view's cursor keys: each asks annotations.text.navigation where to go and moves there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Region

from annotations.store.model import Article
from annotations.text import navigation as nav
from annotations.text.layout import Layout


class CursorMoves:
    """ArticleView's cursor keys (it inherits them). What they use of the view is declared here."""

    text_layout: Layout | None
    cursor: int
    article: Article | None
    _goal_column: int | None

    if TYPE_CHECKING:  # declared for the checker only: ArticleView (and Textual's Widget) define them

        def move_to(self, offset: int, keep_column: bool = False) -> None: ...

        @property
        def scrollable_content_region(self) -> Region: ...

    def action_move_visual(self, step: int) -> None:
        if self.text_layout:
            self.move_to(nav.move_visual(self.text_layout, self.cursor, step))

    def action_move_vertical(self, lines: int) -> None:
        layout = self.text_layout
        if not layout or not layout.lines:
            return
        if self._goal_column is None:
            self._goal_column = layout.locate(self.cursor)[1]
        self.move_to(nav.move_vertical(layout, self.cursor, lines, self._goal_column), keep_column=True)

    def action_page(self, pages: int) -> None:
        self.action_move_vertical(pages * max(self.scrollable_content_region.height - 1, 1))

    def action_next_word(self) -> None:
        if self.article:
            self.move_to(nav.next_word(self.article.text, self.cursor))

    def action_previous_word(self) -> None:
        if self.article:
            self.move_to(nav.previous_word(self.article.text, self.cursor))

    def action_word_visual(self, step: int) -> None:
        """ctrl+Left/Right: a word on screen, so forward in reading order when it points that way."""
        if not self.text_layout or not self.text_layout.lines:
            return
        rtl = self.text_layout.lines[self.text_layout.line_index(self.cursor)].rtl
        (self.action_next_word if (step < 0) == rtl else self.action_previous_word)()

    def action_line_start(self) -> None:
        if self.text_layout:
            self.move_to(nav.line_start(self.text_layout, self.cursor))

    def action_line_end(self) -> None:
        if self.text_layout:
            self.move_to(nav.line_end(self.text_layout, self.cursor))

    def action_top(self) -> None:
        self.move_to(0)

    def action_bottom(self) -> None:
        if self.article:
            self.move_to(len(self.article.text) - 1)
