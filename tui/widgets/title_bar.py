"""The header: the app's title and sub-title on one line, and the command palette's icon at the left (a click
opens it). Textual's Header re-lays out the whole screen when its sub-title changes ("12/100,000 done" after
each `d`: 5 ms at 120x40); this line only repaints."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from tui.compat import FixedBox

ICON = "⭘"


class TitleBar(FixedBox, Static):
    def on_mount(self) -> None:
        self.retitle()  # and again when the main screen sets the titles (MainScreen.retitle)

    def retitle(self) -> None:
        app = self.app
        title = Text.assemble(app.title, (f" — {app.sub_title}", "dim") if app.sub_title else "")
        title.align("center", max(self.size.width - 4, 10))
        self.update(Text.assemble(f" {ICON} ", title))

    def on_resize(self) -> None:
        self.retitle()

    def on_click(self, event: events.Click) -> None:
        if event.x <= 3 and self.app.ENABLE_COMMAND_PALETTE:
            self.app.action_command_palette()
