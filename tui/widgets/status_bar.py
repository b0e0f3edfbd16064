"""One line under the article: cursor offset, the word under the cursor, hints and save state; `/` turns it
into the search input (SearchBar), so opening and closing a search moves no widget."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip

from tui.widgets.search_bar import SearchBar


def fit_words(message: str, room: int) -> str:
    """The message in `room` cells: whole, or cut after its last whole word with "…" (never mid-word)."""
    if cell_len(message) <= room:
        return message
    cut = message[: max(room - 1, 0)]
    if " " in cut and not message[len(cut)].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


class StatusBar(SearchBar):
    offset: reactive[int] = reactive(0)  # type: ignore[assignment]  # the cursor's offset, over Widget.offset
    """Logical offset of the cursor."""
    word: reactive[str] = reactive("")
    """The word under the cursor (logical text; drawn right to left)."""
    selected: reactive[tuple[int, int] | None] = reactive(None)
    """The selected logical range, if any (not `selection`: that is the input's own)."""
    message: reactive[str] = reactive("")
    """The latest notice (saved, refused, a hint about the terminal)."""
    hint: reactive[str] = reactive("")
    """A standing hint (e.g. this terminal may do bidi itself)."""
    said_at: int | None = None
    """Where the cursor was when the message was said: once it moves on, the message no longer applies."""
    active_layer: reactive[str] = reactive("")
    """The active span layer: what 1-9 tag with."""
    model: reactive[str] = reactive("")
    """The active layer's model: training, its held-out F1 and whether it suggests (tui.training)."""

    def status_text(self) -> Text:
        """What the line says. A message is never cut mid-word: when the line is too narrow, the standing hint,
        the model's state and the word under the cursor give way first, then the message ends at a word with
        "…"."""
        parts = [
            ("layer ", "dim"),
            (self.active_layer, "bold reverse"),
            ("  offset ", "dim"),
            (f"{self.offset}", "bold"),
        ]
        if self.selected:
            parts += [("  selected ", "dim"), (f"{self.selected[0]}–{self.selected[1]}", "bold")]
        width = self.size.width or 10_000
        head = Text.assemble(*parts)
        word = Text.assemble(("  word ", "dim"), self.drawing.label(self.word, 30)) if self.word else Text()
        hint = Text.assemble(("  ", ""), (self.hint, "yellow")) if self.hint else Text()
        model = Text.assemble(("  model ", "dim"), self.model) if self.model else Text()
        message = Text.assemble(("  ", ""), (self.message, "italic")) if self.message else Text()
        for pieces in (
            (head, model, word, message, hint),
            (head, model, word, message),
            (head, word, message),
            (head, message),
        ):
            line = Text.assemble(*pieces, no_wrap=True, overflow="crop")
            if line.cell_len <= width or not self.message:
                return line
        room = width - head.cell_len - 2
        return Text.assemble(head, ("  ", ""), (fit_words(self.message, room), "italic"), no_wrap=True)

    def render(self) -> Text:
        """The status as text (what tests and screen readers read)."""
        return self.status_text()

    def idle_line(self, width: int) -> Strip:
        options = self.app.console_options.update_width(width)
        (line, *_) = self.app.console.render_lines(
            self.status_text(), options, pad=True
        )  # no line break in it
        return Strip(line, width).crop(0, width).apply_style(self.rich_style)
