"""One line over the status line: the active layer's labels on their keys (`entity  1 PER  2 ORG …`), so no
one needs the README or help to tag; labels without a key are counted (enter picks them)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from annotations.store.schema import Layer
from tui.compat import FixedBox


def legend(layer: Layer, width: int) -> Text:
    """As many `key name` pairs as fit in `width`, then `⏎ N more`."""
    line = Text.assemble((f" {layer.name} ", "bold reverse"), " ")
    keyed = [label for label in layer.labels if label.key]
    shown = 0
    for number, label in enumerate(keyed):
        left = len(layer.labels) - number
        tail = cell_len(f"  ⏎ {left} more") if left else 0
        pair = Text.assemble((label.key, "bold"), " ", (label.name, label.color), "  ")
        if cell_len(line.plain) + pair.cell_len + (tail if number + 1 < len(layer.labels) else 0) > width:
            break
        line.append_text(pair)
        shown += 1
    more = len(layer.labels) - shown
    if more:
        line.append_text(Text.assemble(("⏎", "bold"), f" {more} more", style="dim"))
    for hint in ("   l next layer · i guideline", "   i guideline"):  # the keys that help, when they fit
        if line.cell_len + len(hint) <= width:
            line.append_text(Text(hint, style="dim"))
            break
    line.truncate(width)
    return line


class LayerLegend(FixedBox, Static):
    shown_layer: Layer | None = None

    def show(self, layer: Layer) -> None:
        self.shown_layer = layer
        self.update(legend(layer, max(self.size.width, 20)))

    def on_resize(self) -> None:
        if self.shown_layer is not None:
            self.update(legend(self.shown_layer, max(self.size.width, 20)))
