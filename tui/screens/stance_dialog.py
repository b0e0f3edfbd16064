"""`s`: the article's stance toward a target: pick a target (or type one), a value, an optional note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.store.model import ARTICLE_TARGET, Stance
from tui.labels import label as visual_label


@dataclass(frozen=True)
class StanceChoice:
    target: str
    value: str
    note: str


class StanceDialog(ModalScreen[StanceChoice | None]):
    """Keyboard flow: choose a target (enter), then a value (enter, or its number), then the note (enter)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="stance.cancel")]

    def __init__(self, targets: list[str], values: tuple[str, ...], stances: list[Stance]) -> None:
        super().__init__()
        self.targets = [ARTICLE_TARGET, *[t for t in targets if t != ARTICLE_TARGET]]
        self.values = values
        self.current = {s.target: s for s in stances}
        self.target: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="stance-dialog"):
            yield Static(Text("Stance of this article toward…", style="bold"))
            yield Input(placeholder="type a new target, or pick one below", id="stance-new-target")
            yield OptionList(*[self._target_option(t) for t in self.targets], id="stance-targets")
            yield Static(Text("value", style="bold"))
            yield OptionList(*[Option(f"{n} {v}", id=v) for n, v in enumerate(self.values, 1)], id="stance-values")
            yield Input(placeholder="note (optional), enter saves", id="stance-note")

    def _target_option(self, target: str) -> Option:
        current = self.current.get(target)
        shown = target if target == ARTICLE_TARGET else visual_label(target, 40)
        suffix = f"  [{current.value}]" if current else ""
        return Option(Text.assemble(shown, (suffix, "dim")), id=target)

    def on_mount(self) -> None:
        targets = self.query_one("#stance-targets", OptionList)
        targets.highlighted = 0
        targets.focus()

    @on(OptionList.OptionSelected, "#stance-targets")
    def target_chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose_target(event.option.id)

    @on(Input.Submitted, "#stance-new-target")
    def target_typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._choose_target(event.value.strip())

    def _choose_target(self, target: str) -> None:
        self.target = target
        values = self.query_one("#stance-values", OptionList)
        current = self.current.get(target)
        values.highlighted = self.values.index(current.value) if current and current.value in self.values else 0
        if current:
            self.query_one("#stance-note", Input).value = current.note
        values.focus()

    @on(OptionList.OptionSelected, "#stance-values")
    def value_chosen(self) -> None:
        self.query_one("#stance-note", Input).focus()

    def on_key(self, event) -> None:
        """On the value list, 1-4 pick a value at once."""
        values = self.query_one("#stance-values", OptionList)
        if values.has_focus and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.values):
                values.highlighted = index
                self.query_one("#stance-note", Input).focus()
                event.stop()

    @on(Input.Submitted, "#stance-note")
    def note_submitted(self, event: Input.Submitted) -> None:
        values = self.query_one("#stance-values", OptionList)
        if self.target is None or values.highlighted is None:
            return
        self.dismiss(StanceChoice(self.target, self.values[values.highlighted], event.value.strip()))
