"""The corpus: one row per article, title right to left, a done marker and the number of annotations."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations.store.model import Article
from tui.labels import label as visual_label

DONE, TODO = "✓", "·"


class ArticleList(OptionList):
    """Selecting a row (enter) opens that article; the row of the open article stays highlighted.

    After a change only the rows whose title, done-state or count changed are drawn again (laying out a
    right-to-left title is the expensive part); the whole list is rebuilt only when the articles or the width
    change."""

    _shown: tuple | None = None
    _rows: list[tuple[str, str, bool, int]] | None = None
    _width = 0

    def on_resize(self) -> None:
        if self._shown:
            self._rows = None
            self.show_articles(*self._shown)

    def _prompt(self, row: tuple[str, str, bool, int], width: int) -> Text:
        article_id, title, done, count = row
        marker = DONE if done else TODO
        suffix = f" {count:>3}" if count else "    "
        shown = visual_label(title or article_id, width - len(suffix) - 2)
        return Text.assemble((marker, "green" if done else "dim"), suffix, " ", shown, no_wrap=True)

    def show_articles(self, articles: list[Article], done: set[str], counts: dict[str, int], current: int) -> None:
        self._shown = (articles, done, counts, current)
        width = max(self.scrollable_content_region.width, 8)
        rows = [(a.id, a.title, a.id in done, counts.get(a.id, 0)) for a in articles]
        old = self._rows
        if old is not None and width == self._width and len(old) == len(rows) and all(
                a[0] == b[0] for a, b in zip(old, rows, strict=True)):
            for index, (before, after) in enumerate(zip(old, rows, strict=True)):
                if before != after:
                    self.replace_option_prompt_at_index(index, self._prompt(after, width))
        else:
            self.clear_options()
            self.add_options([Option(self._prompt(row, width), id=row[0]) for row in rows])
        self._rows, self._width = rows, width
        if rows and self.highlighted != current:
            self.highlighted = current
