"""Right-to-left layout: logical text -> wrapped, shaped, reordered visual lines, with exact maps both ways.

For each paragraph (split at LF):
1. levels are resolved once for the whole paragraph (UAX #9 via annotations.text.bidi_levels), base direction from
   its first strong character, else from the article;
2. the text is cut into clusters: a base character with the zero-width marks and controls that follow it
   (harakat never leave their letter), a lam-alef pair as one cluster, the paragraph's LF as a 1-cell cluster;
3. clusters are wrapped in logical order at spaces by cell width (a word is broken only if wider than a line);
4. each line is reordered on its own: L1 (trailing whitespace to the base level), L2 (reverse runs), L3 (marks
   stay on their base, because a cluster moves whole), L4 (mirrored glyphs at odd levels);
5. right-to-left lines are right-aligned.
Every logical offset of the text lands in exactly one cluster, and every cluster has one or more cells.
Bidi controls stay in the maps but never reach the screen in app mode.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from bidi.mirror import MIRRORED
from rich.cells import cell_len

from annotations.text.bidi_levels import first_strong_level, line_levels, paragraph_levels, visual_order
from annotations.text.shaping import lam_alef_ends, shape

Mode = Literal["app", "terminal"]
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Cluster:
    start: int
    """Logical offset of the first code point."""
    end: int
    """Logical offset just past the last code point."""
    x: int
    """First cell (0 = the screen line's left edge)."""
    width: int
    glyph: str
    """What is drawn: shaped/mirrored base glyph plus its marks, no controls."""
    level: int


@dataclass
class VisualLine:
    paragraph: int
    start: int
    end: int
    rtl: bool
    clusters: list[Cluster]
    """In visual order, left to right."""
    width: int
    screen_width: int
    """The width the line was laid out for (its cells are 0 .. screen_width - 1)."""

    @cached_property
    def cell_to_offset(self) -> list[int | None]:
        """For each cell of the screen line: the logical start of the cluster drawn there, None for padding."""
        cells: list[int | None] = [None] * self.screen_width
        for cluster in self.clusters:
            for cell in range(cluster.x, min(cluster.x + cluster.width, self.screen_width)):
                cells[cell] = cluster.start
        return cells

    def offset_to_cell(self, offset: int) -> int:
        """The first cell of the cluster holding `offset` (which must lie in this line)."""
        return self.cluster_at(offset).x

    def cluster_at(self, offset: int) -> Cluster:
        for cluster in self.clusters:
            if cluster.start <= offset < cluster.end:
                return cluster
        raise IndexError(f"offset {offset} is not in line {self.start}:{self.end}")

    @property
    def text(self) -> str:
        """The drawn line without padding (what `hamish show` prints)."""
        return "".join(c.glyph for c in self.clusters)

    @property
    def indent(self) -> int:
        return self.clusters[0].x if self.clusters else 0


@lru_cache(maxsize=4096)
def is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me", "Mc") and cell_len(ch) == 0


@lru_cache(maxsize=4096)
def is_zero_width(ch: str) -> bool:
    return ch != "\n" and (cell_len(ch) == 0 and unicodedata.category(ch) not in ("Cc",))


@lru_cache(maxsize=4096)
def is_space(ch: str) -> bool:
    return ch in (" ", "\t", "\u00a0", "\u3000") or unicodedata.category(ch) == "Zs"


def base_index(text: str, a: int, b: int) -> int:
    """The cluster's base character: its first one that takes a cell (leading controls lean forward)."""
    for i in range(a, min(b, len(text))):
        if not is_zero_width(text[i]):
            return i
    return a


def article_is_rtl(text: str) -> bool:
    """An article is right-to-left when most of its strong letters are Arabic/Hebrew."""
    rtl = ltr = 0
    for ch in text:
        cls = unicodedata.bidirectional(ch)
        if cls in ("R", "AL"):
            rtl += 1
        elif cls == "L":
            ltr += 1
    return rtl >= ltr and rtl > 0


def _clusters(text: str, ligatures: dict[int, int]) -> list[tuple[int, int]]:
    """Logical (start, end) of each cluster of one paragraph (no LF inside)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        start = i
        if i in ligatures:
            i = ligatures[i]
        else:
            i += 1
        while i < n and is_zero_width(text[i]) and i not in ligatures:
            i += 1
        if not spans or not all(is_zero_width(c) for c in text[start:i]):
            spans.append((start, i))
        else:  # only marks/controls: lean on the cluster before
            spans[-1] = (spans[-1][0], i)
    # Leading zero-width characters of a paragraph lean forward onto the first letter.
    if len(spans) > 1 and all(is_zero_width(c) for c in text[spans[0][0]:spans[0][1]]):
        spans[1] = (spans[0][0], spans[1][1])
        spans.pop(0)
    return spans


class Layout:
    """The visual lines of a whole article at a given width, and the maps between offsets and cells."""

    def __init__(self, text: str, width: int, *, mode: Mode = "app", shaping: bool = True,
                 rtl: bool | None = None, base: int | None = None) -> None:
        """`rtl`: the article's direction (default: guessed), used for paragraphs with no strong letter.
        `base`: force every paragraph's base level (0 or 1) instead of taking it from its first strong letter."""
        if width < 2:
            raise ValueError("width must be at least 2 cells")
        self.text = text
        self.width = width
        self.mode = mode
        self.shaping = shaping and mode == "app"
        self.article_rtl = article_is_rtl(text) if rtl is None else rtl
        self.forced_base = base
        self.lines: list[VisualLine] = []
        self.paragraph_starts: list[int] = []
        offset = 0
        for number, paragraph in enumerate(text.split("\n")):
            self.paragraph_starts.append(offset)
            has_newline = offset + len(paragraph) < len(text)
            self._lay_paragraph(number, offset, paragraph, has_newline)
            offset += len(paragraph) + 1
        self._line_starts = [line.start for line in self.lines]

    # -- building --------------------------------------------------------------------------------------------
    def _lay_paragraph(self, number: int, p0: int, para: str, has_newline: bool) -> None:
        strong = first_strong_level(para) if self.forced_base is None else self.forced_base
        base = strong if strong is not None else (1 if self.article_rtl else 0)
        info = paragraph_levels(para, base)
        shaped = shape(para) if self.shaping else None
        ligatures = lam_alef_ends(para)
        spans = _clusters(para, ligatures if shaped else {})
        n = len(para)
        # Per cluster, once: its base character, its glyph (before mirroring) and its widths.
        bases = [base_index(para, a, b) for a, b in spans]
        glyphs = [self._glyph(para, a, b, i, shaped) for (a, b), i in zip(spans, bases, strict=True)]
        widths = [max(1, cell_len(g)) for g in glyphs]
        if has_newline:
            spans.append((n, n + 1))
            bases.append(n)
            glyphs.append(" ")
            widths.append(1)
        if not spans:
            return  # the empty last paragraph of a text that ends with LF
        levels = [info.levels[i] if i < n else base for i in bases]
        classes = [info.classes[i] if i < n else "B" for i in bases]
        # Every mode wraps the same units (lam-alef merged) by unshaped widths, so the breaks are identical.
        units = spans if shaped or not ligatures else _clusters(para, ligatures)
        if has_newline and units is not spans:
            units.append((n, n + 1))
        unit_widths = [max(1, cell_len(para[a:b])) if a < n else 1 for a, b in units]
        breaks = [a >= n or is_space(para[a]) for a, _ in units]
        first = 0
        for _, last_unit in self._wrap(unit_widths, breaks):
            end = units[last_unit - 1][1]
            last = first
            while last < len(spans) and spans[last][1] <= end:
                last += 1
            part = slice(first, last)
            self.lines.append(self._line(number, p0, base, spans[part], glyphs[part], widths[part], levels[part],
                                         classes[part]))
            first = last

    def _wrap(self, widths: list[int], breaks: list[bool]) -> list[tuple[int, int]]:
        """Greedy wrap in logical order; a line ends after a run of spaces; over-long words are cut."""
        lines: list[tuple[int, int]] = []
        words: list[tuple[int, int]] = []
        k, n = 0, len(widths)
        while k < n:
            j = k
            while j < n and not breaks[j]:
                j += 1
            while j < n and breaks[j]:
                j += 1
            words.append((k, j))
            k = j
        line_start, used = 0, 0
        for a, b in words:
            word_width = sum(widths[a:b])
            if used and used + word_width > self.width:
                lines.append((line_start, a))
                line_start, used = a, 0
            if word_width > self.width:  # cut an over-long word (or space run) at cluster edges
                for k in range(a, b):
                    if used + widths[k] > self.width and used:
                        lines.append((line_start, k))
                        line_start, used = k, 0
                    used += widths[k]
            else:
                used += word_width
        lines.append((line_start, n))
        return lines

    def _line(self, number, p0, base, spans, glyphs, widths, levels, classes) -> VisualLine:
        if self.mode == "app":
            levels = line_levels(levels, classes, base)
            order = visual_order(levels)
        else:
            order = range(len(spans))
        line_width = sum(widths)
        x = self.width - line_width if base == 1 and self.mode == "app" else 0
        clusters: list[Cluster] = []
        for index in order:
            a, b = spans[index]
            glyph, level = glyphs[index], levels[index]
            if level % 2 and glyph[0] in MIRRORED and self.mode == "app":  # L4
                glyph = MIRRORED[glyph[0]] + glyph[1:]
            clusters.append(Cluster(p0 + a, p0 + b, x, widths[index], glyph, level))
            x += widths[index]
        start, end = p0 + spans[0][0], p0 + spans[-1][1]
        return VisualLine(number, start, end, base == 1, clusters, line_width, self.width)

    def _glyph(self, para: str, a: int, b: int, i: int, shaped) -> str:
        """What a cluster draws (before mirroring): its shaped base and its marks; no controls in app mode."""
        if self.mode == "terminal":
            return para[a:b]
        glyph = shaped.glyphs[i] if shaped else para[i]
        if unicodedata.category(glyph) == "Cc":
            return " " if glyph == "\t" else "\ufffd"
        if is_zero_width(glyph):  # a cluster of controls/marks only: keep a visible cell
            glyph = " "
        if b - a > 1:
            glyph += "".join(ch for k, ch in enumerate(para[a:b], a) if k != i and is_mark(ch))
        return glyph

    # -- maps ------------------------------------------------------------------------------------------------
    def line_index(self, offset: int) -> int:
        """The visual line holding a logical offset (len(text) maps to the last line)."""
        if not self.lines:
            return 0
        return max(0, bisect.bisect_right(self._line_starts, offset) - 1)

    def locate(self, offset: int) -> tuple[int, int]:
        """(line index, first cell) of the cluster holding `offset`."""
        offset = min(max(offset, 0), max(len(self.text) - 1, 0))
        index = self.line_index(offset)
        return index, self.lines[index].offset_to_cell(offset)

    def offset_at(self, line: int, x: int) -> int | None:
        """The logical start of the cluster drawn at cell x of a line, or None for padding."""
        for cluster in self.lines[line].clusters:
            if cluster.x <= x < cluster.x + cluster.width:
                return cluster.start
        return None

    def cluster_bounds(self, offset: int) -> tuple[int, int]:
        line = self.lines[self.line_index(offset)]
        cluster = line.cluster_at(offset)
        return cluster.start, cluster.end

    def range_cells(self, start: int, end: int) -> dict[int, set[int]]:
        """line index -> the cells covered by the clusters that intersect logical [start, end)."""
        result: dict[int, set[int]] = {}
        if start >= end:
            return result
        for index in range(self.line_index(start), self.line_index(max(start, end - 1)) + 1):
            for cluster in self.lines[index].clusters:
                if cluster.start < end and start < cluster.end:
                    result.setdefault(index, set()).update(range(cluster.x, cluster.x + cluster.width))
        return result


def visual_label(text: str, width: int, mode: Mode = "app") -> str:
    """A one-line label (a title, a span's text) as drawn: cut in reading order to fit, then reordered (in
    terminal mode left in reading order, for the terminal to reorder)."""
    line = " ".join(text.split())
    if width < 2:
        return ""
    if cell_len(line) > width:
        kept, used = [], 0
        for ch in line:
            if used + cell_len(ch) > width - 1:
                break
            kept.append(ch)
            used += cell_len(ch)
        line = "".join(kept).rstrip() + "…"
    if not line or mode == "terminal":
        return line
    layout = Layout(line, cell_len(line) + 2)
    return layout.lines[0].text.strip() if layout.lines else ""
