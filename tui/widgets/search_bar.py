"""`/`: the search line. Hits update as you type; enter keeps the cursor, escape goes back.

The search line is the status line itself (StatusBar subclasses it): `/` turns the line into an input and
escape or enter turns it back. Showing or hiding a widget re-lays out and repaints the whole screen (15-20 ms
a key on a long article); a line that only changes what it draws repaints one row.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input

from tui.widgets.rtl_input import RtlInput


class SearchBar(RtlInput):
    BINDINGS = [Binding("escape", "cancel", "Cancel search", id="search.cancel")]

    @dataclass
    class QueryChanged(Message):
        query: str

    @dataclass
    class SearchClosed(Message):
        query: str
        keep: bool
        """True: stay at the hit (enter); False: go back to where the search started (escape)."""

    searching = False
    """True while the line is the search input; otherwise it draws `idle_line()`."""

    def on_mount(self) -> None:
        self.can_focus = False  # a click on the status line does not start a search; `/` does

    def open(self) -> None:
        self.searching = True
        self.can_focus = True
        self.value = ""
        self.focus()
        self.refresh()

    def _close(self, keep: bool) -> None:
        self.searching = False
        self.can_focus = False
        self.refresh()
        self.post_message(self.SearchClosed(self.value, keep=keep))

    def idle_line(self, width: int) -> Strip:
        """What the line shows while no search is open."""
        return Strip.blank(width, self.rich_style)

    def render_line(self, y: int) -> Strip:
        if not self.searching:
            return self.idle_line(max(self.content_region.width, 1))
        return super().render_line(y)

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.searching:
            self.post_message(self.QueryChanged(event.value))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.searching:
            self._close(keep=True)

    def on_blur(self) -> None:
        """Focus moved elsewhere (tab, a click, a dialog) while searching: the search ends where it is, as enter
        would end it, so the line shows the status again."""
        if self.searching:
            self._close(keep=True)

    def action_cancel(self) -> None:
        if self.searching:
            self._close(keep=False)
