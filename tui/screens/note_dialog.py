"""`e`: a note on an annotation. The line under the input shows the note as it reads, right to left."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.labels import label as visual_label


class NoteDialog(ModalScreen[str | None]):
    """Returns the new note ("" clears it), or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="note.cancel")]

    def __init__(self, about: str, note: str) -> None:
        super().__init__()
        self.about = about
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(Text.assemble(("Note on ", "bold"), visual_label(self.about, 50)))
            yield Input(value=self.note, placeholder="note (enter saves, escape cancels)", id="note-input")
            yield Static(id="note-preview")

    def on_mount(self) -> None:
        self.show_preview(self.note)

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self.show_preview(event.value)

    def show_preview(self, value: str) -> None:
        self.query_one("#note-preview", Static).update(Text(visual_label(value, 60), style="italic", justify="right"))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())
