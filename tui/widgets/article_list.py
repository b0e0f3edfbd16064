"""The corpus: one row per article, title right to left, a done marker and the number of annotations."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations.layout import visual_label
from annotations.model import Article

DONE, TODO = "✓", "·"


class ArticleList(OptionList):
    """Selecting a row (enter) opens that article; the row of the open article stays highlighted."""

    def show_articles(self, articles: list[Article], done: set[str], counts: dict[str, int], current: int) -> None:
        width = max(self.scrollable_content_region.width, 24)
        options = []
        for article in articles:
            count = counts.get(article.id, 0)
            marker = DONE if article.id in done else TODO
            suffix = f" {count:>3}" if count else "    "
            title = visual_label(article.title or article.id, width - len(suffix) - 3)
            prompt = Text.assemble((marker, "green" if marker == DONE else "dim"), suffix, " ", title)
            options.append(Option(prompt, id=article.id))
        self.clear_options()
        self.add_options(options)
        if options:
            self.highlighted = current
