"""`s`: the article's stance toward a target. Typing starts at once: the list below offers this article's
entities and every target used before, filtered by the folded spelling, so «ايران» finds «إيران» and one
target never splits in two. Enter takes the highlighted target (or the typed one when nothing matches), then
a value (enter, or its number), then an optional note (enter)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.find.search import fold_quickly
from annotations.store.model import ARTICLE_TARGET, Stance
from annotations.text.lines import article_is_rtl
from tui.labels import Drawing
from tui.widgets.rtl_input import RtlInput


def folded(target: str) -> str:
    return " ".join(fold_quickly(target).split())


@dataclass(frozen=True)
class StanceChoice:
    target: str
    value: str
    note: str


class StanceDialog(ModalScreen[StanceChoice | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="stance.cancel"),
        Binding("down", "move(1)", "Next target", show=False, id="stance.down"),
        Binding("up", "move(-1)", "Previous target", show=False, id="stance.up"),
        Binding("tab", "take_target", "Take the target", show=False, priority=True, id="stance.take"),
    ]

    def __init__(
        self, targets: list[str], values: tuple[str, ...], stances: list[Stance], *, drawing: Drawing
    ) -> None:
        """`targets`: this article's entities first, then targets used before (most used first)."""
        super().__init__()
        self.drawing = drawing
        self.current = {s.target: s for s in stances}
        known = [ARTICLE_TARGET, *self.current, *targets]
        self.targets: list[str] = []
        seen: set[str] = set()
        for target in known:  # one spelling per folded form: the first met (this article's) wins
            key = folded(target)
            if key and key not in seen:
                seen.add(key)
                self.targets.append(target)
        self.values = values
        self.target: str | None = None
        self.shown: list[str] = list(self.targets)

    def compose(self) -> ComposeResult:
        with Vertical(id="stance-dialog"):
            yield Static(Text("Stance of this article toward…", style="bold"))
            yield RtlInput(
                drawing=self.drawing,
                placeholder="type a target (↑↓ pick one below, enter takes it)",
                id="stance-new-target",
            )
            yield OptionList(id="stance-targets")
            yield Static(Text("value", style="bold"))
            yield OptionList(
                *[Option(f"{n} {v}", id=v) for n, v in enumerate(self.values, 1)], id="stance-values"
            )
            yield RtlInput(drawing=self.drawing, placeholder="note (optional), enter saves", id="stance-note")
            yield Static(
                Text("tab takes the target · 1-9 a value · enter saves", style="dim"),
                id="stance-help",
            )

    def _target_option(self, target: str) -> Option:
        current = self.current.get(target)
        shown = target if target == ARTICLE_TARGET else self.drawing.label(target, 40)
        suffix = f"[{current.value}]  " if current else ""
        if target == ARTICLE_TARGET or not article_is_rtl(target):
            return Option(Text.assemble(shown, (f"  {suffix}", "dim")), id=target)
        # A right-to-left target reads from the right edge, its current value before it on the left.
        width = self.query_one("#stance-targets", OptionList).scrollable_content_region.width
        pad = " " * max(width - cell_len(suffix) - cell_len(shown) - 1, 0)
        return Option(Text.assemble((suffix, "dim"), pad, shown), id=target)

    def on_mount(self) -> None:
        self.query_one("#stance-new-target", RtlInput).focus()
        self.call_after_refresh(self.show_targets, "")  # once the list has its width, for right alignment

    @on(Input.Changed, "#stance-new-target")
    def typed(self, event: Input.Changed) -> None:
        self.show_targets(event.value)

    def show_targets(self, typed: str) -> None:
        wanted = folded(typed)
        self.shown = [t for t in self.targets if not wanted or wanted in folded(t)]
        options = self.query_one("#stance-targets", OptionList)
        options.clear_options()
        options.add_options([self._target_option(t) for t in self.shown])
        # The exact folded match first, so enter takes the known spelling of what was typed.
        exact = next((n for n, t in enumerate(self.shown) if folded(t) == wanted), None)
        options.highlighted = exact if exact is not None else (0 if self.shown and not wanted else None)

    def action_move(self, step: int) -> None:
        options = self.query_one("#stance-targets", OptionList)
        if options.option_count and self.target is None:
            options.highlighted = (
                (options.highlighted if options.highlighted is not None else -1) + step
            ) % options.option_count

    @on(OptionList.OptionSelected, "#stance-targets")
    def target_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._choose_target(event.option.id)

    @on(Input.Submitted, "#stance-new-target")
    def target_typed(self, event: Input.Submitted) -> None:
        options = self.query_one("#stance-targets", OptionList)
        if options.highlighted is not None and options.option_count:
            self._choose_target(self.shown[options.highlighted])
        elif event.value.strip():
            self._choose_target(" ".join(event.value.split()))

    def _choose_target(self, target: str) -> None:
        self.target = target
        values = self.query_one("#stance-values", OptionList)
        current = self.current.get(target)
        values.highlighted = (
            self.values.index(current.value) if current and current.value in self.values else 0
        )
        if current:
            self.query_one("#stance-note", RtlInput).value = current.note
        self.query_one("#stance-new-target", RtlInput).value = target if target != ARTICLE_TARGET else ""
        values.focus()

    @on(OptionList.OptionSelected, "#stance-values")
    def value_chosen(self) -> None:
        self.query_one("#stance-note", RtlInput).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Tab takes the target only from the target input; elsewhere it moves the focus as usual."""
        if action == "take_target":
            return self.query_one("#stance-new-target", RtlInput).has_focus
        return True

    def action_take_target(self) -> None:
        """Tab in the target input takes the target, as enter does (it used to move the focus into the list of
        targets below, where digits and enter did nothing)."""
        target_input = self.query_one("#stance-new-target", RtlInput)
        options = self.query_one("#stance-targets", OptionList)
        if options.highlighted is not None and options.option_count:
            self._choose_target(self.shown[options.highlighted])
        elif target_input.value.strip():
            self._choose_target(" ".join(target_input.value.split()))
        else:
            self.query_one("#stance-values", OptionList).focus()

    def on_key(self, event) -> None:
        """On the value list, 1-4 pick a value at once."""
        values = self.query_one("#stance-values", OptionList)
        if values.has_focus and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.values):
                values.highlighted = index
                self.query_one("#stance-note", RtlInput).focus()
                event.stop()

    @on(Input.Submitted, "#stance-note")
    def note_submitted(self, event: Input.Submitted) -> None:
        values = self.query_one("#stance-values", OptionList)
        if self.target is None or values.highlighted is None:
            return
        self.dismiss(StanceChoice(self.target, self.values[values.highlighted], event.value.strip()))
