"""After `k` on two annotations: the link types allowed between them; a digit or `enter` picks, `escape`
cancels. Types the schema does not allow for the pair are never offered."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from annotations.store.schema import RelationType
from tui.keymap import ARABIC_INDIC, PERSIAN
from tui.labels import Drawing


class RelationPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="relation.cancel")]

    def __init__(self, allowed: list[RelationType], source: str, target: str, *, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.allowed = allowed
        self.source_text = source
        self.target_text = target

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(
                Text.assemble(
                    ("link ", "bold"),
                    f"«{self.drawing.label(self.source_text, 24)}» → «{self.drawing.label(self.target_text, 24)}»",
                )
            )
            options = OptionList(id="relation-types")
            for kind in self.allowed:
                arrow = "→" if kind.directed else "↔"
                options.add_option(
                    Option(
                        Text.assemble(
                            (f"{kind.key or ' '} ", "bold"),
                            (kind.name, kind.color),
                            f" {arrow}  ",
                            (kind.description, "dim"),
                        ),
                        id=kind.name,
                    )
                )
            yield options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_key(self, event: Key) -> None:
        digit = next(
            (d for d, shown in {**ARABIC_INDIC, **PERSIAN}.items() if shown == event.character),
            event.character,
        )
        chosen = next((kind.name for kind in self.allowed if kind.key and kind.key == digit), None)
        if chosen:
            event.stop()
            self.dismiss(chosen)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
