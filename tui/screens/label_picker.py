"""`enter`: every label of the active layer, filtered as you type; `enter` picks, `escape` cancels."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.store.schema import Layer


class LabelPicker(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
    ]

    def __init__(self, layer: Layer) -> None:
        super().__init__()
        self.label_layer = layer

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text(f"{self.label_layer.name}: pick a label", style="bold"))
            yield Input(placeholder="type to filter", id="picker-filter")
            yield OptionList(id="picker-labels")

    def on_mount(self) -> None:
        self.show_labels("")

    @on(Input.Changed)
    def filter_changed(self, event: Input.Changed) -> None:
        self.show_labels(event.value)

    def show_labels(self, query: str) -> None:
        wanted = query.casefold().strip()
        options = self.query_one(OptionList)
        options.clear_options()
        for label in self.label_layer.labels:
            if wanted and wanted not in label.name.casefold() and wanted not in label.description.casefold():
                continue
            key = f"{label.key} " if label.key else "  "
            options.add_option(Option(Text.assemble((key, "bold"), (label.name, label.color), "  ",
                                                    (label.description, "dim")), id=label.name))
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
