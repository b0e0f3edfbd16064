"""`enter`: every label of the active layer, the most used first, filtered as you type; a digit (with nothing
typed) picks that row, so labels past 9 are two keys away; `enter` picks, `escape` cancels."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.find.search import fold_quickly
from annotations.store.schema import Label, Layer
from tui.keymap import ARABIC_INDIC, PERSIAN
from tui.labels import Drawing
from tui.widgets.rtl_input import RtlInput


def by_use(layer: Layer, uses: Mapping[str, int]) -> list[Label]:
    """The layer's labels, the most used first (ties keep the schema's order)."""
    order = {label.name: n for n, label in enumerate(layer.labels)}
    return sorted(layer.labels, key=lambda label: (-uses.get(label.name, 0), order[label.name]))


def guideline_text(label: Label, drawing: Drawing, width: int = 60) -> Text:
    """A label's description and examples, as the picker, help and `i` show them."""
    parts: list = [(label.description or "(no description in the schema)", "dim")]
    if label.examples:
        # Laid out as one right-to-left phrase, so the first example reads first (rightmost).
        examples = drawing.label("، ".join(label.examples[:3]), width)
        parts += ["\n   ", ("e.g. ", "dim italic"), examples]
    return Text.assemble(*parts)


class LabelPicker(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
    ]

    def __init__(self, layer: Layer, uses: Mapping[str, int] | None = None, *, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.label_layer = layer
        self.ordered = by_use(layer, uses or {})
        self.shown: list[Label] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(
                Text.assemble(
                    (f"{self.label_layer.name}: pick a label", "bold"),
                    ("  (most used first; with nothing typed, a digit picks its row)", "dim"),
                )
            )
            yield RtlInput(
                drawing=self.drawing,
                placeholder="type to filter (name, description or example)",
                id="picker-filter",
            )
            yield OptionList(id="picker-labels")

    def on_mount(self) -> None:
        self.show_labels("")

    @on(Input.Changed)
    def filter_changed(self, event: Input.Changed) -> None:
        typed = event.value
        digit = next((d for d, shown in {**ARABIC_INDIC, **PERSIAN}.items() if shown == typed), typed)
        if len(digit) == 1 and digit in "123456789" and int(digit) <= len(self.shown):
            self.dismiss(self.shown[int(digit) - 1].name)  # a digit with nothing else typed picks its row
            return
        self.show_labels(typed)

    def show_labels(self, query: str) -> None:
        wanted = fold_quickly(query.strip())
        options = self.query_one(OptionList)
        options.clear_options()
        self.shown = []
        for label in self.ordered:
            haystack = fold_quickly(" ".join((label.name, label.description, *label.examples)))
            if wanted and wanted not in haystack:
                continue
            self.shown.append(label)
            row = len(self.shown)
            number = f"{row} " if row <= 9 else "  "
            key = f"[{label.key}] " if label.key else "    "
            options.add_option(
                Option(
                    Text.assemble(
                        (number, "bold reverse"),
                        " ",
                        (label.name, f"bold {label.color}"),
                        " ",
                        (key, "dim"),
                        guideline_text(label, self.drawing),
                    ),
                    id=label.name,
                )
            )
        if options.option_count:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    @on(Input.Submitted)
    def submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
