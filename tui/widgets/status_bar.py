"""One line under the article: cursor offset, the word under the cursor, hints and save state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tui.labels import label as visual_label


class StatusBar(Static):
    offset: reactive[int] = reactive(0)
    """Logical offset of the cursor."""
    word: reactive[str] = reactive("")
    """The word under the cursor (logical text; drawn right to left)."""
    selection: reactive[tuple[int, int] | None] = reactive(None)
    """The selected logical range, if any."""
    message: reactive[str] = reactive("")
    """The latest notice (saved, refused, a hint about the terminal)."""
    hint: reactive[str] = reactive("")
    """A standing hint (e.g. this terminal may do bidi itself)."""
    active_layer: reactive[str] = reactive("")
    """The active span layer: what 1-9 tag with."""

    def render(self) -> Text:
        parts = [("layer ", "dim"), (self.active_layer, "bold reverse"), ("  offset ", "dim"), (f"{self.offset}", "bold")]
        if self.selection:
            parts += [("  selected ", "dim"), (f"{self.selection[0]}–{self.selection[1]}", "bold")]
        if self.word:
            parts += [("  word ", "dim"), visual_label(self.word, 30)]
        if self.message:
            parts += [("  ", ""), (self.message, "italic")]
        if self.hint:
            parts += [("  ", ""), (self.hint, "yellow")]
        return Text.assemble(*parts)
