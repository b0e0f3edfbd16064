"""`m`: every message of this sitting, whole and in order — what the status line said (it may cut one short at
a word to fit) and every notification (each also leaves the screen after a while)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keymap import with_arabic_aliases
from tui.session import Said

STYLES = {"information": "", "warning": "yellow", "error": "bold red"}


class MessagesScreen(ModalScreen[None]):
    BINDINGS = [Binding(with_arabic_aliases("m") + ",escape,q", "dismiss", "Close", id="messages.close")]

    def __init__(self, said: Iterable[Said]) -> None:
        super().__init__()
        self.said = list(said)
        """The log when it was opened (tui.session.Session.said), oldest first."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="messages"):
            yield Static(
                Text.assemble(
                    ("Messages of this sitting", "bold"), ("   newest last; m or escape closes", "dim")
                )
            )
            if not self.said:
                yield Static(Text("nothing said yet", style="dim"))
            for said in self.said:
                yield Static(
                    Text.assemble((said.at + "  ", "dim"), (said.text, STYLES.get(said.severity, ""))),
                    classes="message",
                )

    def on_mount(self) -> None:
        self.query_one("#messages", VerticalScroll).scroll_end(animate=False)
