"""The annotations of the open article: spans (text right to left, label, layer, note marker) and stances."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from annotations.store.model import Relation, Span, Stance
from annotations.store.schema import Schema
from tui.compat import FixedBox
from tui.labels import Drawing


class AnnotationPanel(FixedBox, OptionList):
    """One row per span (in text order) and per stance. `f` filters by layer; `enter` jumps to a span."""

    BINDINGS = [
        Binding("f", "cycle_filter", "Filter layer", tooltip="Show one layer, then all", id="panel.filter")
    ]

    @dataclass
    class SpanHighlighted(Message):
        """The highlighted row changed (None: not a span)."""

        span_id: str | None

    @dataclass
    class SpanChosen(Message):
        """Enter on a span row: jump there."""

        span_id: str

    layer_filter: str | None = None
    _shown: tuple | None = None

    def __init__(self, *, drawing: Drawing, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.drawing = drawing
        """How this sitting draws text (Session.drawing)."""

    def on_resize(self) -> None:
        if self._shown:
            self.show(*self._shown)

    def show(
        self,
        spans: list[Span],
        stances: list[Stance],
        schema: Schema,
        relations: list[Relation] | None = None,
    ) -> None:
        self._shown = (spans, stances, schema, relations or [])
        by_id = {span.id: span for span in spans}
        links: dict[str, list[tuple[Relation, Span, str]]] = {}
        for relation in relations or []:
            kind = schema.relation(relation.type)
            source, target = by_id.get(relation.source), by_id.get(relation.target)
            if source and target:  # listed under the span it starts from (both ends, for a symmetric type)
                links.setdefault(source.id, []).append(
                    (relation, target, "→" if not kind or kind.directed else "↔")
                )
                if kind and not kind.directed:
                    links.setdefault(target.id, []).append((relation, source, "↔"))
        # The scrollbar's gutter is kept (hamish.tcss), so this width holds whether or not a scrollbar shows: a
        # row wider than it would be cut on the right, which for right-aligned Arabic is where it starts.
        width = max(self.scrollable_content_region.width, 6)
        options: list[Option] = []
        for span in spans:
            if self.layer_filter and span.layer != self.layer_filter:
                continue
            layer = schema.layer(span.layer)
            label = layer.label(span.label) if layer else None
            head = Text.assemble(
                (span.label, f"bold {label.color}" if label else "bold"),
                (f" {span.layer}", "dim"),
                no_wrap=True,
                overflow="ellipsis",
            )
            if head.cell_len > width:  # a long label name is shortened whole, never broken across lines
                head = Text(span.label, style=f"bold {label.color}" if label else "bold", no_wrap=True)
                head.truncate(width, overflow="ellipsis")
            room = width - head.cell_len - 1
            if room >= 10:  # label, layer and text on one line
                text = self.drawing.label(span.text, room)
                prompt = Text.assemble(
                    head, " " * (width - head.cell_len - cell_len(text)), text, no_wrap=True
                )
            else:  # a narrow panel: the text, right to left, on a line of its own
                text = self.drawing.label(span.text, width)
                prompt = Text.assemble(head, "\n", " " * (width - cell_len(text)), text, no_wrap=True)
            if span.note:  # the note itself, not only a marker
                prompt.append_text(
                    Text.assemble(
                        *[
                            ("\n" + line, "italic")
                            for line in self.drawing.wrapped("✎ " + span.note, width, 2)
                        ]
                    )
                )
            options.append(Option(prompt, id=f"span:{span.id}"))
            for relation, other, arrow in links.get(span.id, []):
                room = max(width - len(relation.type) - 5, 4)
                other_text = self.drawing.label(other.text, room)
                options.append(
                    Option(
                        Text.assemble(
                            "  ",
                            (relation.type, "italic"),
                            f" {arrow} ",
                            " " * max(room - cell_len(other_text), 0),
                            other_text,
                            no_wrap=True,
                        ),
                        id=f"relation:{relation.id}:{span.id}",
                    )
                )
        if not self.layer_filter or self.layer_filter == "stance":
            several = len({s.annotator for s in stances}) > 1
            for stance in stances:
                shown_target = self.drawing.label(stance.target, width)
                who = (f" {stance.annotator}", "dim") if several else ""
                options.append(
                    Option(
                        Text.assemble(
                            ("stance ", "bold"),
                            stance.value,
                            who,
                            "\n",
                            " " * (width - cell_len(shown_target)),
                            shown_target,
                            no_wrap=True,
                        ),
                        id=f"stance:{stance.target}:{stance.annotator}",
                    )
                )
        highlighted = self.highlighted
        self.clear_options()
        if options:
            self.add_options(options)
            if highlighted is not None:
                self.highlighted = min(highlighted, len(options) - 1)
        else:
            self.add_option(Option(Text("no annotations yet", style="dim"), disabled=True))
        self.border_subtitle = f"{self.layer_filter} only" if self.layer_filter else ""

    def action_cycle_filter(self) -> None:
        if not self._shown:
            return
        choices = [None, *[layer.name for layer in self._shown[2].layers]]
        self.layer_filter = choices[(choices.index(self.layer_filter) + 1) % len(choices)]
        self.show(*self._shown)

    def highlighted_relation(self) -> str | None:
        """The link whose row is highlighted, if it is one (x then deletes that link)."""
        if self.highlighted is None or not self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        return option_id.split(":")[1] if option_id.startswith("relation:") else None

    def follow(self, span_id: str | None) -> None:
        """Highlight the row of the span under the article's cursor (without jumping back to it)."""
        if span_id is None:
            return
        try:
            self.highlighted = self.get_option_index(f"span:{span_id}")
        except OptionDoesNotExist:  # its layer is filtered out
            return

    @on(OptionList.OptionHighlighted)
    def highlighted_changed(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id or ""
        self.post_message(self.SpanHighlighted(option_id[5:] if option_id.startswith("span:") else None))

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("span:"):
            self.post_message(self.SpanChosen(option_id[5:]))
