"""Cursor movement over a Layout. The cursor is a logical offset at the start of a cluster.

Left/Right move one cluster on screen (so in a right-to-left line Left goes forward in reading order); at a
line's edge they continue on the neighbouring line in the direction that edge leads. Words move in reading
order. Up/Down keep the screen column.
"""

from __future__ import annotations

import unicodedata

from annotations.text.layout import Layout


def is_word_char(ch: str) -> bool:
    # Symbols (S: emoji, currency, math) make words too, so an article of emoji alone is navigable and taggable.
    return unicodedata.category(ch)[0] in "LNMS" or ch in "\u200c\u200d\u0640"


def move_visual(layout: Layout, offset: int, step: int) -> int:
    """One cluster left (step -1) or right (step +1) on screen."""
    if not layout.lines:
        return offset
    index, _ = layout.locate(offset)
    line = layout.lines[index]
    position = next(i for i, c in enumerate(line.clusters) if c.start <= offset < c.end)
    if layout.mode == "terminal":
        return _move_logical(layout, index, position, -step if line.rtl else step)
    target = position + step
    if 0 <= target < len(line.clusters):
        return line.clusters[target].start
    # Off the edge: the left edge of an RTL line (or the right edge of an LTR line) leads on to the next line.
    forward = (step < 0) == line.rtl
    neighbour = index + (1 if forward else -1)
    if not layout.has_line(neighbour):
        return offset
    other = layout.lines[neighbour]
    # Enter the neighbour from the side we moved toward: moving left arrives at its right edge.
    cluster = other.clusters[-1] if step < 0 else other.clusters[0]
    return cluster.start


def _move_logical(layout: Layout, index: int, position: int, step: int) -> int:
    """In terminal mode the terminal reorders each line and our clusters stay in reading order: a key that
    points forward on screen moves forward in the text."""
    line = layout.lines[index]
    if 0 <= position + step < len(line.clusters):
        return line.clusters[position + step].start
    neighbour = index + (1 if step > 0 else -1)
    if not layout.has_line(neighbour):
        return line.clusters[position].start
    other = layout.lines[neighbour].clusters
    return other[0].start if step > 0 else other[-1].start


def move_vertical(layout: Layout, offset: int, lines: int, column: int) -> int:
    """`lines` visual lines down (negative: up), landing on the cluster at or nearest to `column`."""
    if not layout.lines:
        return offset
    index, _ = layout.locate(offset)
    target = max(index + lines, 0)
    if not layout.has_line(target):
        target = len(layout.lines) - 1
    line = layout.lines[target]
    best = min(
        line.clusters,
        key=lambda c: (
            0 if c.x <= column < c.x + c.width else min(abs(c.x - column), abs(c.x + c.width - 1 - column))
        ),
    )
    return best.start


def line_start(layout: Layout, offset: int) -> int:
    """Home: where the visual line begins in reading order."""
    return layout.lines[layout.line_index(offset)].start if layout.lines else offset


def line_end(layout: Layout, offset: int) -> int:
    """End: the last cluster of the visual line in reading order that is not trailing space or LF."""
    if not layout.lines:
        return offset
    line = layout.lines[layout.line_index(offset)]
    ordered = sorted(line.clusters, key=lambda c: c.start)
    for cluster in reversed(ordered):
        if layout.text[cluster.start : cluster.end].strip():
            return cluster.start
    return ordered[0].start


def snap(layout: Layout, offset: int) -> int:
    """The start of the cluster holding `offset` (a cursor never rests inside a cluster)."""
    if not layout.text:
        return 0
    offset = min(max(offset, 0), len(layout.text) - 1)
    return layout.cluster_bounds(offset)[0]


def word_bounds(text: str, offset: int) -> tuple[int, int] | None:
    """The [start, end) of the word holding `offset`, or None on space or punctuation."""
    if not 0 <= offset < len(text) or not is_word_char(text[offset]):
        return None
    start, end = offset, offset
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return start, end


def next_word(text: str, offset: int) -> int:
    """The start of the next word in reading order (or the end of the text)."""
    i = offset
    while i < len(text) and is_word_char(text[i]):
        i += 1
    while i < len(text) and not is_word_char(text[i]):
        i += 1
    return min(i, max(len(text) - 1, 0))


def previous_word(text: str, offset: int) -> int:
    """The start of this word if inside it, else of the previous word."""
    i = offset
    while i > 0 and not is_word_char(text[i - 1]):
        i -= 1
    while i > 0 and is_word_char(text[i - 1]):
        i -= 1
    return i


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) to whole words, then drop spaces and punctuation at its edges."""
    if start >= end:
        return start, end
    first = word_bounds(text, start)
    if first:
        start = min(start, first[0])
    last = word_bounds(text, end - 1)
    if last:
        end = max(end, last[1])
    while start < end and not is_word_char(text[start]):
        start += 1
    while end > start and not is_word_char(text[end - 1]):
        end -= 1
    return start, end
