"""A yes/no question before a change of many annotations at once (y or enter: yes; n or escape: no)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keymap import with_arabic_aliases


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding(with_arabic_aliases("y") + ",enter", "dismiss(True)", "Yes", id="confirm.yes"),
        Binding(with_arabic_aliases("n") + ",escape", "dismiss(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(Text(self.question, style="bold"))
            yield Static(
                Text.assemble(
                    ("y", "bold reverse"), " / enter yes    ", ("n", "bold reverse"), " / escape no"
                )
            )
