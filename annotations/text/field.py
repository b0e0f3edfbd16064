"""One line of typed text drawn the way the article is drawn (shaped, reordered), with an insertion point.

A text input holds its value in logical order and a caret that is a logical offset (0 .. len). Here that
value is laid out as one visual line by the article's own layout code, and the caret gets a cell: the cell of
the cluster that follows it in reading order, or, at the end of the text, the cell past the line's end in its
direction (left of the text for a right-to-left value). Left/Right walk these caret cells on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rich.cells import cell_len

from annotations.text.layout import Layout, Mode
from annotations.text.lines import Cluster, base_level


@dataclass(frozen=True)
class Field:
    text: str
    mode: Mode = "app"
    shaping: bool = True

    @cached_property
    def rtl(self) -> bool:
        """The value's direction: its first strong letter's (right to left when it has none, as in Arabic)."""
        layout = self._layout
        return bool(base_level(layout.settings, self.text)) if self.text else True

    @cached_property
    def _layout(self) -> Layout:
        return Layout(
            self.text, max(cell_len(self.text) + 4, 4), mode=self.mode, shaping=self.shaping, rtl=True
        )

    @cached_property
    def clusters(self) -> list[Cluster]:
        """The drawn clusters, left to right, with x counted from 0 at the text's left edge."""
        if not self.text:
            return []
        layout = self._layout
        clusters = [c for line in layout.lines for c in line.clusters]
        left = min(c.x for c in clusters) if clusters else 0
        return [c._replace(x=c.x - left) for c in clusters]

    @cached_property
    def width(self) -> int:
        """Cells the text takes, plus one for the caret past its end."""
        return sum(c.width for c in self.clusters) + 1

    @cached_property
    def stops(self) -> list[tuple[int, int]]:
        """Every caret place as (cell, offset), left to right on screen. Cells count from the field's left
        edge: a right-to-left value leaves cell 0 for the caret at its end, a left-to-right one the last cell."""
        shift = 1 if self.rtl else 0
        stops = [(c.x + shift, c.start) for c in self.clusters]
        end = (0, len(self.text)) if self.rtl else (self.width - 1, len(self.text))
        return [end, *stops] if self.rtl else [*stops, end]

    def caret_cell(self, offset: int) -> int:
        """The cell the caret at `offset` is drawn on (an offset inside a cluster counts as its start)."""
        if offset >= len(self.text):
            return 0 if self.rtl else self.width - 1
        shift = 1 if self.rtl else 0
        for cluster in self.clusters:
            if cluster.start <= offset < cluster.end:
                return cluster.x + shift
        return 0 if self.rtl else self.width - 1

    def snap(self, offset: int) -> int:
        """The caret place an offset belongs to (the start of the cluster holding it)."""
        if offset >= len(self.text):
            return len(self.text)
        return next((c.start for c in self.clusters if c.start <= offset < c.end), max(offset, 0))

    def move(self, offset: int, step: int) -> int:
        """The caret one place left (step -1) or right (+1) on screen; it stays put at either edge."""
        offsets = [offset for _, offset in self.stops]
        index = offsets.index(self.snap(offset))
        return offsets[max(0, min(len(offsets) - 1, index + step))]

    def move_word(self, offset: int, step: int) -> int:
        """To the next word start on screen in the direction of `step` (an edge of the text at the end)."""
        offsets = [offset for _, offset in self.stops]
        index = offsets.index(self.snap(offset)) + step
        while 0 <= index < len(offsets):
            at = offsets[index]
            if at == len(self.text) or (
                not self.text[at].isspace() and (at == 0 or self.text[at - 1].isspace())
            ):
                return at
            index += step
        return offsets[0 if step < 0 else -1]

    def offset_at(self, cell: int) -> int:
        """The caret place drawn at or nearest to `cell` (a click)."""
        cells = [(abs(x - cell), offset) for x, offset in self.stops]
        return min(cells)[1]

    def selected_cells(self, start: int, end: int) -> set[int]:
        """The cells drawn for the logical range start..end (a selection), wherever bidi put them."""
        low, high = sorted((start, end))
        shift = 1 if self.rtl else 0
        return {
            cell
            for c in self.clusters
            if c.start < high and c.end > low
            for cell in range(c.x + shift, c.x + shift + c.width)
        }
