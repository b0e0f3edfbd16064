"""`/`: the search line under the article. Hits update as you type; enter keeps the cursor, escape goes back."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.message import Message
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

    def open(self) -> None:
        self.value = ""
        self.display = True
        self.focus()

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.post_message(self.SearchClosed(event.value, keep=True))

    def action_cancel(self) -> None:
        self.display = False
        self.post_message(self.SearchClosed(self.value, keep=False))
