"""Every key, generated from the declared bindings (with the Arabic-layout key that fires each one)."""

from __future__ import annotations

import unicodedata

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotations.store.schema import Layer, Schema
from tui.keymap import Key
from tui.labels import Drawing
from tui.screens.label_picker import guideline_text


def help_table(keys: list[Key], app_key_display, overrides: dict[str, str] | None = None) -> Table:
    overrides = overrides or {}
    table = Table(box=None, expand=True, show_header=True, header_style="bold")
    table.add_column("key", no_wrap=True)
    table.add_column("Arabic layout", no_wrap=True)
    table.add_column("what it does")
    group = None
    order = list(dict.fromkeys(key.group for key in keys))
    for key in sorted(keys, key=lambda k: order.index(k.group)):
        if key.group != group:
            group = key.group
            table.add_row(Text(group, style="bold underline"), "", "")
        keys_now = overrides.get(key.id, key.keys)
        binding = key.binding(keys_now)
        shown = binding.key.split(",")
        main = [app_key_display(Binding(k, "")) for k in keys_now.split(",")]
        alias = [k for k in shown if k not in keys_now.split(",")]
        table.add_row(
            " / ".join(main), " ".join(_alias_char(a) for a in alias), f"{key.description} — {key.tooltip}"
        )
    return table


def label_guide(layer: Layer, drawing: Drawing) -> Text:
    """A layer's labels as the schema's guideline has them: key, name, description, examples."""
    lines = [Text.assemble((f"labels of {layer.name}", "bold underline"), (f"  {layer.description}", "dim"))]
    for label in layer.labels:
        key = f"{label.key:>2} " if label.key else "   "
        lines.append(
            Text.assemble(
                (key, "bold"), (label.name, f"bold {label.color}"), "  ", guideline_text(label, drawing)
            )
        )
    return Text("\n").join(lines)


CARRIER = "\u25cc"
"""◌, the dotted circle fonts draw a combining mark on when it stands alone."""


def _alias_char(name: str) -> str:
    """The character an Arabic-layout key types, as the help shows it: a lone haraka (E is ُ, S is ٍ) is barely
    visible, so it is drawn on a dotted circle (◌ُ)."""
    if len(name) == 1:
        character = name
    else:
        try:
            character = unicodedata.lookup(name.replace("_", " "))
        except KeyError:
            return name
    return CARRIER + character if unicodedata.combining(character) else character


class HelpScreen(ModalScreen[None]):
    """`?`: the key table. Escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark,arabic_question_mark", "dismiss", "Close", id="help.close")]

    def __init__(
        self, keys: list[Key], schema: Schema, drawing: Drawing, overrides: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.schema = schema
        self.drawing = drawing
        self.keys = keys
        self.overrides = overrides or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(
                Text.assemble(
                    ("hamish — keys", "bold"),
                    ("   escape, q or ? closes this; ctrl+p finds any action by name", "dim"),
                ),
                id="help-title",
            )
            yield Static(help_table(self.keys, self.app.get_key_display, self.overrides))
            yield Static(
                Text(
                    "Every binding also fires from an Arabic keyboard layout (same physical key). "
                    "Remap keys by id in the config file (hamish locate shows where).",
                    style="dim",
                )
            )
            for layer in self.schema.span_layers:
                yield Static(label_guide(layer, self.drawing), classes="help-labels")
