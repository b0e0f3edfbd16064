"""The one text input of the app: Textual's Input, drawn the way the article is drawn.

Textual's Input draws its value in logical order, so typed Arabic shows backwards and unjoined. This one keeps
Input's value, messages, editing and clipboard, and replaces what is drawn and how the caret moves: the value
is laid out by `annotations.text.field.Field` (the article's layout code), right-aligned when it reads right to
left, and Left/Right move the caret on screen. In `--bidi terminal` mode the terminal reorders, so Input's own
drawing stays.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Offset
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets.input import Selection

from annotations.text.field import Field
from tui.compat import typed_text
from tui.labels import Drawing


class RtlInput(Input):
    """An Input whose Arabic is shaped and right to left, with mixed Latin and digits in place."""

    _field_cache: Field | None = None

    def __init__(self, *args: Any, drawing: Drawing, **kwargs: Any) -> None:
        self.drawing = drawing
        """How this sitting draws text (Session.drawing); set first: Input's own setup draws the value."""
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        # The caret is drawn steadily: a blinking one repaints the line twice a second over SSH for nothing.
        self.cursor_blink = False

    def on_key(self, event: events.Key) -> None:
        """Spaces (and joiners) that Input would drop (tui.compat.typed_text) are typed. This handler runs
        before Input's own, which then does nothing."""
        text = typed_text(event)
        if text is None:
            return
        event.stop()
        event.prevent_default()
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)

    def on_paste(self, event: events.Paste) -> None:
        """A pasted text of several lines is one line here, its lines joined by a space (Input keeps only the
        first line and drops the rest without a word)."""
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        if len(lines) < 2:
            return  # Input's own paste
        event.stop()
        event.prevent_default()
        text = " ".join(lines)
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)

    @property
    def app_draws(self) -> bool:
        """False in `--bidi terminal` mode: the terminal reorders what is written in reading order."""
        return self.drawing.app_draws

    @property
    def field(self) -> Field:
        """The value laid out (kept until the value changes)."""
        cached = self._field_cache
        if cached is None or cached.text != self.value:
            cached = Field(self.value, shaping=self.drawing.shaping)
            self._field_cache = cached
        return cached

    @property
    def content_width(self) -> int:
        # The field scrolls itself (`_window`), so Input's horizontal scrolling never starts.
        if not self.app_draws:
            return super().content_width
        return max(self.scrollable_content_region.width, 1)

    def _window(self, width: int) -> int:
        """The first field cell shown: the whole value when it fits, else a window that holds the caret."""
        field = self.field
        if field.width <= width:
            return 0
        caret = field.caret_cell(self.cursor_position)
        # Right to left, the value's start (its right edge) shows first; the window follows the caret.
        window = field.width - width if field.rtl else 0
        if caret < window:
            window = caret
        elif caret >= window + width:
            window = caret - width + 1
        return window

    def _left_pad(self, width: int) -> int:
        field = self.field
        return max(width - field.width, 0) if field.rtl else 0

    def render_line(self, y: int) -> Strip:
        if not self.app_draws or not self.value or y != 0:
            return super().render_line(y)
        width = self.scrollable_content_region.width
        field, base = self.field, self.rich_style
        window, pad = self._window(width), self._left_pad(width)
        cursor_cell = field.caret_cell(self.cursor_position) if self.has_focus else None
        selected = set()
        if self.has_focus and not self.selection.is_empty:
            selected = field.selected_cells(*self.selection)
        cursor_style = self.get_component_rich_style("input--cursor")
        selection_style = self.get_component_rich_style("input--selection")
        shift = 1 if field.rtl else 0
        glyphs: dict[int, tuple[str, int]] = {c.x + shift: (c.glyph, c.width) for c in field.clusters}
        segments: list[Segment] = []
        cell = window
        while cell < window + width and cell < field.width:
            glyph, cells = glyphs.get(cell, (" ", 1))
            style = Style()
            if cell in selected:
                style = selection_style
            if cell == cursor_cell:
                style = cursor_style
            segments.append(Segment(glyph, style))
            cell += cells
        strip = Strip([Segment(" " * pad), *segments])
        return strip.extend_cell_length(width + 1).crop(0, width + 1).apply_style(base)

    @property
    def cursor_screen_offset(self) -> Offset:
        """Where the terminal's own cursor goes (an input method draws its candidates there)."""
        if not self.app_draws:
            return super().cursor_screen_offset
        x, y, width, _ = self.content_region
        cell = self.field.caret_cell(self.cursor_position) - self._window(width) + self._left_pad(width)
        return Offset(x + cell, y)

    def _move_to(self, offset: int, select: bool) -> None:
        if select:
            self.selection = Selection(self.selection.start, offset)
        else:
            self.cursor_position = offset

    def action_cursor_left(self, select: bool = False) -> None:
        if not self.app_draws:
            return super().action_cursor_left(select)
        if not select and not self.selection.is_empty:
            return self._collapse(-1)
        self._move_to(self.field.move(self.selection.end, -1), select)

    def action_cursor_right(self, select: bool = False) -> None:
        if not self.app_draws:
            return super().action_cursor_right(select)
        if not select and not self.selection.is_empty:
            return self._collapse(1)
        self._move_to(self.field.move(self.selection.end, 1), select)

    def _collapse(self, step: int) -> None:
        """Left/Right with a selection: the caret goes to the selection's edge on that side of the screen."""
        field = self.field
        ends = sorted(self.selection, key=field.caret_cell)
        self.cursor_position = ends[0] if step < 0 else ends[-1]

    def action_cursor_left_word(self, select: bool = False) -> None:
        if not self.app_draws:
            return super().action_cursor_left_word(select)
        self._move_to(self.field.move_word(self.selection.end, -1), select)

    def action_cursor_right_word(self, select: bool = False) -> None:
        if not self.app_draws:
            return super().action_cursor_right_word(select)
        self._move_to(self.field.move_word(self.selection.end, 1), select)

    def on_click(self, event: events.Click) -> None:
        """A click puts the caret at the clicked cell (Input's own mapping assumes logical order)."""
        if not self.app_draws or not self.value:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        width = self.scrollable_content_region.width
        cell = offset.x + self._window(width) - self._left_pad(width)
        self.cursor_position = self.field.offset_at(cell)

    def drawn(self) -> str:
        """The value as it is drawn (for tests and screen readers of the log): the field's cells."""
        field = self.field
        shift = 1 if field.rtl else 0
        cells = [" "] * field.width
        for cluster in field.clusters:
            cells[cluster.x + shift] = cluster.glyph
        return "".join(cells).strip()
