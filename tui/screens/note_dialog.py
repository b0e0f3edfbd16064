"""`e`: a note on an annotation, typed in an input that draws Arabic as it reads."""

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


class NoteDialog(ModalScreen[str | None]):
    """Returns the new note ("" clears it), or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="note.cancel")]

    def __init__(self, about: str, note: str, *, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.about = about
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(Text.assemble(("Note on ", "bold"), self.drawing.label(self.about, 50)))
            yield RtlInput(
                drawing=self.drawing,
                value=self.note,
                placeholder="note (enter saves, escape cancels)",
                id="note-input",
            )

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())
