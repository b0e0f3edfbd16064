"""One line under the article: cursor offset, the word under the cursor, hints and save state; `/` turns it
into the search input (SearchBar), so opening and closing a search moves no widget."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip

from tui.labels import label as visual_label
from tui.widgets.search_bar import SearchBar


class StatusBar(SearchBar):
    offset: reactive[int] = reactive(0)
    """Logical offset of the cursor."""
    word: reactive[str] = reactive("")
    """The word under the cursor (logical text; drawn right to left)."""
    selected: reactive[tuple[int, int] | None] = reactive(None)
    """The selected logical range, if any (not `selection`: that is the input's own)."""
    message: reactive[str] = reactive("")
    """The latest notice (saved, refused, a hint about the terminal)."""
    hint: reactive[str] = reactive("")
    """A standing hint (e.g. this terminal may do bidi itself)."""
    active_layer: reactive[str] = reactive("")
    """The active span layer: what 1-9 tag with."""

    def status_text(self) -> Text:
        parts = [
            ("layer ", "dim"),
            (self.active_layer, "bold reverse"),
            ("  offset ", "dim"),
            (f"{self.offset}", "bold"),
        ]
        if self.selected:
            parts += [("  selected ", "dim"), (f"{self.selected[0]}–{self.selected[1]}", "bold")]
        if self.word:
            parts += [("  word ", "dim"), visual_label(self.word, 30)]
        if self.message:
            parts += [("  ", ""), (self.message, "italic")]
        if self.hint:
            parts += [("  ", ""), (self.hint, "yellow")]
        return Text.assemble(*parts, no_wrap=True, overflow="crop")

    def render(self) -> Text:
        """The status as text (what tests and screen readers read)."""
        return self.status_text()

    def idle_line(self, width: int) -> Strip:
        options = self.app.console_options.update_width(width)
        (line, *_) = self.app.console.render_lines(
            self.status_text(), options, pad=True
        )  # no line break in it
        return Strip(line, width).crop(0, width).apply_style(self.rich_style)
