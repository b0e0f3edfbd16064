"""`E`: export the store from inside the app. In a browser (`hamish serve`) the file is offered as a download;
in a terminal it is written to the folder shown (the downloads folder unless changed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.labels import Drawing
from tui.widgets.rtl_input import RtlInput

FORMATS = [
    ("native", "hamish JSONL (everything; imports back)"),
    ("doccano", "doccano JSONL (active layer)"),
    ("prodigy", "Prodigy JSONL (active layer)"),
    ("labelstudio", "Label Studio JSON (every layer)"),
    ("conll", "CoNLL BIO (active layer)"),
    ("brat", "brat standoff: .txt + .ann per article (a folder; a .zip in a browser)"),
]


@dataclass(frozen=True)
class ExportChoice:
    format: str
    done_only: bool
    folder: Path | None
    """Where a terminal user wants the file (None in a browser: it is downloaded)."""


class ExportDialog(ModalScreen[ExportChoice | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]

    def __init__(self, downloads: Path, in_browser: bool, *, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.downloads = downloads
        self.in_browser = in_browser

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static("Export: pick a format (enter), escape cancels", classes="dialog-title")
            yield OptionList(*[Option(text, id=name) for name, text in FORMATS], id="export-formats")
            yield Checkbox("done articles only", id="export-done")
            if not self.in_browser:
                yield RtlInput(
                    str(self.downloads), drawing=self.drawing, placeholder="folder", id="export-folder"
                )
            else:
                yield Static("The file downloads in your browser.", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        folder = None if self.in_browser else Path(self.query_one("#export-folder", Input).value).expanduser()
        self.dismiss(ExportChoice(event.option.id or "native", self.query_one(Checkbox).value, folder))
