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

Lazily: a Layout first learns only where each paragraph's lines break (step 3, from words alone for plain
paragraphs: annotations.text.wrap), paragraph by paragraph as far as it is asked; steps 1, 2, 4 and 5 run for
a paragraph when one of its lines is first used, and the laid-out paragraphs kept are bounded by their size.
So a 10 MB article opens as fast as a short one, and its lines are exactly those of a full layout.
"""

from __future__ import annotations

import bisect
import itertools
import re
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from rich.cells import cell_len

from annotations.text.bidi_levels import level_safe_cuts
from annotations.text.bounded import BoundedCache
from annotations.text.lines import (
    BIDI_CONTROLS,
    Cluster,
    Mode,
    Settings,
    VisualLine,
    article_is_rtl,
    base_index,
    base_level,
    is_mark,
    is_space,
    is_zero_width,
    lay_paragraph,
    line_bounds,
)
from annotations.text.wrap import fast_bounds

__all__ = [
    "BIDI_CONTROLS",
    "Cluster",
    "Layout",
    "Mode",
    "VisualLine",
    "base_index",
    "is_mark",
    "is_space",
    "is_zero_width",
    "visual_label",
]

_LF = re.compile("\n")
LONG_PARAGRAPH = 8_000
"""A paragraph longer than this (a scrape with no line breaks: a 10 MB article may be one) is laid out in
pieces of at least half as much, each starting a line, cut where every bidi level stays the whole paragraph's
(bidi_levels.level_safe_cuts): its first screen is then laid out in milliseconds, not seconds."""
KEEP_LAID_CHARS = 200_000
"""Laid-out paragraphs kept (by their length in code points; a screen holds a few thousand)."""


class Lines(Sequence[VisualLine]):
    """A Layout's visual lines, made as they are asked for. len() needs every line break of the article (fast:
    words only); a line's clusters need its paragraph laid out."""

    def __init__(self, layout: Layout) -> None:
        self._layout = layout

    def __len__(self) -> int:
        self._layout.find_breaks()
        return len(self._layout._line_starts)

    @overload
    def __getitem__(self, index: int) -> VisualLine: ...

    @overload
    def __getitem__(self, index: slice) -> list[VisualLine]: ...

    def __getitem__(self, index: int | slice) -> VisualLine | list[VisualLine]:
        layout = self._layout
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        layout.find_breaks(until_line=index)
        if not 0 <= index < len(layout._line_starts):
            raise IndexError(index)
        paragraph = bisect.bisect_right(layout._first_line, index) - 1
        return layout.paragraph_lines(paragraph)[index - layout._first_line[paragraph]]

    def __bool__(self) -> bool:
        return bool(self._layout.text)  # a non-empty text has a line; no need to wrap it all to say so

    def __iter__(self) -> Iterator[VisualLine]:
        """Paragraph by paragraph, so the first line comes before the last paragraph is wrapped."""
        layout = self._layout
        for paragraph in itertools.count():
            layout.find_breaks(until_paragraph=paragraph)
            if paragraph >= len(layout._first_line):
                return
            yield from layout.paragraph_lines(paragraph)


class Layout:
    """The visual lines of a whole article at a given width, and the maps between offsets and cells."""

    def __init__(
        self,
        text: str,
        width: int,
        *,
        mode: Mode = "app",
        shaping: bool = True,
        rtl: bool | None = None,
        base: int | None = None,
    ) -> None:
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
        self.settings = Settings(width, mode, self.shaping, self.article_rtl, base)
        # Offsets in arrays, paragraphs sliced from the text when used: no copy of the text, no int objects per
        # line (a 10 MB article kept 35 MB of them).
        self.paragraph_starts = array("l", [0])
        self._soft_ends: set[int] = set()
        """Paragraphs that end at a cut in a long paragraph (see LONG_PARAGRAPH), not at an LF."""
        previous = 0
        for lf in itertools.chain((m.start() for m in _LF.finditer(text)), [len(text)]):
            if lf - previous > LONG_PARAGRAPH:
                self._cut_long(previous, lf)
            if lf < len(text):
                self.paragraph_starts.append(lf + 1)
            previous = lf + 1
        self._paragraph_count = len(self.paragraph_starts)
        self._first_line = array("l")
        """Per paragraph wrapped so far: the index of its first visual line."""
        self._line_starts = array("l")
        """Every visual line found so far: its offset (a paragraph's lines cover it end to end)."""
        self._laid: BoundedCache[int, list[VisualLine]] = BoundedCache(KEEP_LAID_CHARS)
        """Laid-out paragraphs by number, bounded by the code points they cover."""
        self.lines = Lines(self)

    # -- line breaks (cheap, in order, as far as asked) --------------------------------------------------------
    @property
    def complete(self) -> bool:
        """Every line break is known (len(lines) is then free)."""
        return len(self._first_line) == self._paragraph_count

    def _cut_long(self, start: int, end: int) -> None:
        para = self.text[start:end]
        if base_level(self.settings, para) != 1:
            return
        for cut in level_safe_cuts(para, LONG_PARAGRAPH // 2):
            self._soft_ends.add(len(self.paragraph_starts) - 1)
            self.paragraph_starts.append(start + cut)

    def paragraph(self, number: int) -> str:
        """The text of a paragraph, without its LF."""
        start = self.paragraph_starts[number]
        if number + 1 == self._paragraph_count:
            return self.text[start:]
        return self.text[start : self.paragraph_starts[number + 1] - (number not in self._soft_ends)]

    def _has_newline(self, number: int) -> bool:
        return number < self._paragraph_count - 1 and number not in self._soft_ends

    def _bounds(self, number: int) -> list[tuple[int, int]]:
        """A wrapped paragraph's lines' (start, end), relative to it, from the line starts."""
        p0, first = self.paragraph_starts[number], self._first_line[number]
        last = self._first_line[number + 1] if number + 1 < len(self._first_line) else len(self._line_starts)
        starts = [start - p0 for start in self._line_starts[first:last]]
        if not starts:
            return []  # the empty last paragraph of a text that ends with LF
        end = len(self.paragraph(number)) + self._has_newline(number)
        return list(zip(starts, [*starts[1:], end], strict=True))

    def find_breaks(
        self,
        until_paragraph: int | None = None,
        until_line: int | None = None,
        until_offset: int | None = None,
        budget: int | None = None,
    ) -> bool:
        """Wrap paragraphs in order until the asked one is wrapped (or `budget` code points more were, for
        wrapping in slices between keys); True when every paragraph is."""
        spent = 0
        last = self._paragraph_count - 1
        while len(self._first_line) <= last:
            number = len(self._first_line)
            if until_paragraph is not None and number > until_paragraph:
                break
            if until_line is not None and len(self._line_starts) > until_line:
                break
            if until_offset is not None and self.paragraph_starts[number] > until_offset:
                break
            if budget is not None and spent >= budget:
                break
            para = self.paragraph(number)
            has_newline = self._has_newline(number)
            bounds = fast_bounds(para, has_newline, self.width)
            if bounds is None:
                bounds = line_bounds(para, has_newline, self.width)
            p0 = self.paragraph_starts[number]
            self._first_line.append(len(self._line_starts))
            self._line_starts.extend([p0 + a for a, _ in bounds])
            spent += len(para) + 1
        return self.complete

    @property
    def wrapped_to(self) -> int:
        """The offset up to which line breaks are known (no line past it has been drawn or asked for)."""
        if self.complete:
            return len(self.text) + 1
        return self.paragraph_starts[len(self._first_line)]

    def has_line(self, index: int) -> bool:
        """Is there a visual line `index`? (Wraps only as far as needed to tell.)"""
        if index < 0:
            return False
        self.find_breaks(until_line=index)
        return index < len(self._line_starts)

    def estimated_lines(self) -> int:
        """The number of visual lines: exact once complete, else those found plus an estimate for the rest."""
        if self.complete:
            return len(self._line_starts)
        wrapped = len(self._first_line)
        done = self.paragraph_starts[wrapped] if wrapped else 0
        rest = len(self.text) - done
        per_line = done / len(self._line_starts) if self._line_starts else self.width * 0.8
        return len(self._line_starts) + int(rest / max(per_line, 1)) + (self._paragraph_count - wrapped)

    # -- laid-out paragraphs (on demand, bounded) ----------------------------------------------------------------
    def paragraph_lines(self, number: int) -> list[VisualLine]:
        lines = self._laid.get(number)
        if lines is not None:
            return lines
        self.find_breaks(until_paragraph=number)
        para = self.paragraph(number)
        lines = lay_paragraph(
            self.settings,
            number,
            self.paragraph_starts[number],
            para,
            self._has_newline(number),
            self._bounds(number),
        )
        return self._laid.put(number, lines, size=len(para) + 1)

    # -- maps ------------------------------------------------------------------------------------------------
    def line_index(self, offset: int) -> int:
        """The visual line holding a logical offset (len(text) maps to the last line)."""
        self.find_breaks(until_offset=offset)
        if not self._line_starts:
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


def full_layout_lines(layout: Layout) -> list[VisualLine]:
    """Every line by the general path only (no fast wrap, nothing lazy): the reference the lazy layout is
    tested against."""
    settings, lines = layout.settings, []
    for number in range(layout._paragraph_count):
        para, has_newline = layout.paragraph(number), layout._has_newline(number)
        bounds = line_bounds(para, has_newline, layout.width)
        lines += lay_paragraph(
            settings, number, layout.paragraph_starts[number], para, has_newline, bounds, general=True
        )
    return lines


def visual_label(text: str, width: int, mode: Mode = "app", shaping: bool = True) -> str:
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
    layout = Layout(line, cell_len(line) + 2, shaping=shaping)
    return layout.lines[0].text.strip() if layout.lines else ""
