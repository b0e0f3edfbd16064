"""The annotations of the open article: spans (their text right to left, label, layer, note marker)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations.layout import visual_label
from annotations.model import Span, Stance


class AnnotationPanel(OptionList):
    """One row per span and per stance, in text order."""

    _shown: tuple | None = None

    def on_resize(self) -> None:
        if self._shown:
            self.show(*self._shown)

    def show(self, spans: list[Span], stances: list[Stance]) -> None:
        self._shown = (spans, stances)
        width = max(self.scrollable_content_region.width, 8)
        options: list[Option] = []
        for span in spans:
            note = " ✎" if span.note else ""
            head = f"{span.label} "
            text = visual_label(span.text, max(width - len(head) - len(note) - 1, 4))
            options.append(Option(Text.assemble((head, "bold"), text, note), id=f"span:{span.id}"))
        for stance in stances:
            options.append(Option(Text.assemble(("stance ", "bold"), f"{stance.value} → ",
                                                visual_label(stance.target, width - 20)),
                                  id=f"stance:{stance.target}"))
        self.clear_options()
        if options:
            self.add_options(options)
        else:
            self.add_option(Option(Text("no annotations yet", style="dim"), disabled=True))
