"""`a` asks where to look for other occurrences: this article or the whole corpus."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.labels import Drawing


class ScopeDialog(ModalScreen[str | None]):
    """Returns "article", "corpus", or None."""

    BINDINGS = [
        Binding("a,ش", "dismiss('article')", "This article", id="scope.article"),
        Binding("c,ؤ", "dismiss('corpus')", "Whole corpus", id="scope.corpus"),
        Binding("escape", "dismiss(None)", "Cancel", id="scope.cancel"),
    ]

    def __init__(self, text: str, label: str, *, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.text, self.label = text, label

    def compose(self) -> ComposeResult:
        with Vertical(id="scope-dialog"):
            yield Static(
                Text.assemble(
                    "Suggest ",
                    (self.label, "bold"),
                    " on every other «",
                    self.drawing.label(self.text, 40),
                    "»",
                )
            )
            yield Static(
                Text.assemble(
                    ("a", "bold reverse"),
                    " in this article    ",
                    ("c", "bold reverse"),
                    " in the whole corpus    ",
                    ("escape", "bold reverse"),
                    " cancel",
                )
            )
