"""`i`: the annotation guideline where the annotator works: the label under the cursor (its description and
examples from the schema), or every label of the active layer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotations.store.schema import Label, Layer
from tui.keymap import with_arabic_aliases
from tui.labels import Drawing
from tui.screens.label_picker import guideline_text


class GuidelineScreen(ModalScreen[None]):
    BINDINGS = [Binding(with_arabic_aliases("i") + ",escape,q", "dismiss", "Close", id="guideline.close")]

    def __init__(self, layer: Layer, label: Label | None = None, *, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.label_layer = layer
        self.label = label

    def compose(self) -> ComposeResult:
        labels = [self.label] if self.label else list(self.label_layer.labels)
        title = (
            f"{self.label_layer.name} · {self.label.name}"
            if self.label
            else f"{self.label_layer.name}: {self.label_layer.description}"
        )
        with VerticalScroll(id="guideline"):
            yield Static(Text.assemble((title, "bold"), ("   (i or escape closes)", "dim")))
            for label in labels:
                key = f"[{label.key}] " if label.key else ""
                yield Static(
                    Text.assemble(
                        (key, "bold"),
                        (label.name, f"bold {label.color}"),
                        "\n   ",
                        guideline_text(label, self.drawing, 70),
                    ),
                    classes="guideline-label",
                )
