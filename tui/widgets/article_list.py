"""The corpus: one row per article, title right to left, a done marker and the number of annotations."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations.store.model import Article
from tui.labels import label as visual_label

DONE, TODO = "✓", "·"


class ArticleList(OptionList):
    """Selecting a row (enter) opens that article; the row of the open article stays highlighted."""

    _shown: tuple | None = None

    def on_resize(self) -> None:
        if self._shown:
            self.show_articles(*self._shown)

    def show_articles(self, articles: list[Article], done: set[str], counts: dict[str, int], current: int) -> None:
        self._shown = (articles, done, counts, current)
        width = max(self.scrollable_content_region.width, 8)
        options = []
        for article in articles:
            count = counts.get(article.id, 0)
            marker = DONE if article.id in done else TODO
            suffix = f" {count:>3}" if count else "    "
            title = visual_label(article.title or article.id, width - len(suffix) - 2)
            prompt = Text.assemble((marker, "green" if marker == DONE else "dim"), suffix, " ", title, no_wrap=True)
            options.append(Option(prompt, id=article.id))
        self.clear_options()
        self.add_options(options)
        if options:
            self.highlighted = current
