"""A one-line question (e.g. the article list's title filter): returns what was typed, or None on escape."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.labels import Drawing
from tui.widgets.rtl_input import RtlInput


class TextPrompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", *, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="text-prompt"):
            yield Static(Text(self.question, style="bold"))
            yield RtlInput(
                drawing=self.drawing,
                value=self.value,
                placeholder="enter applies, escape cancels",
                id="prompt-input",
            )
            yield Static(id="prompt-preview")

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self.query_one("#prompt-preview", Static).update(
            Text(self.drawing.label(event.value, 60), justify="right")
        )

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())
