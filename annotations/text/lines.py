"""One paragraph laid out: clusters, wrapped in logical order, each line reordered and aligned (the steps of
annotations.text.layout's docstring). Layout calls `lay_paragraph` only for paragraphs it has to show."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from bidi.mirror import MIRRORED
from rich.cells import cell_len

from annotations.text.bidi_levels import first_strong_level, line_levels, paragraph_levels, visual_order
from annotations.text.shaping import Shaped, lam_alef_ends, shape
from annotations.text.wrap import cluster_starts, is_marked_plain, is_plain, wrap

Mode = Literal["app", "terminal"]
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class Cluster(NamedTuple):
    """One drawn unit (a NamedTuple: a long article makes hundreds of thousands, and a tuple is made fastest)."""

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


class VisualLine:
    """One screen line. Its clusters are made when first asked for: `hamish show` needs only the glyphs."""

    def __init__(
        self,
        paragraph: int,
        start: int,
        end: int,
        rtl: bool,
        width: int,
        screen_width: int,
        glyphs: list[str],
        spans: list[tuple[int, int]],
        widths: list[int],
        levels: list[int],
        p0: int,
        indent: int,
    ) -> None:
        self.paragraph, self.start, self.end, self.rtl = paragraph, start, end, rtl
        self.width = width
        self.screen_width = screen_width
        """The width the line was laid out for (its cells are 0 .. screen_width - 1)."""
        self._glyphs, self._spans, self._widths, self._levels = glyphs, spans, widths, levels
        self._p0, self._indent = p0, indent

    @cached_property
    def clusters(self) -> list[Cluster]:
        """In visual order, left to right."""
        clusters, x, p0 = [], self._indent, self._p0
        for (a, b), width, glyph, level in zip(
            self._spans, self._widths, self._glyphs, self._levels, strict=True
        ):
            clusters.append(Cluster(p0 + a, p0 + b, x, width, glyph, level))
            x += width
        return clusters

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
        return "".join(self._glyphs)

    @property
    def indent(self) -> int:
        return self._indent


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


DIRECTION_SAMPLE = 20_000
"""Code points an article's direction is judged from: its beginning says it (and a 10 MB article opens fast)."""


def article_is_rtl(text: str) -> bool:
    """An article is right-to-left when most of the strong letters of its beginning are Arabic/Hebrew."""
    rtl = ltr = 0
    for ch in text[:DIRECTION_SAMPLE]:
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
        # (a cluster that starts with a letter is not zero-width: the common case needs no scan)
        if not spans or not is_zero_width(text[start]) or not all(is_zero_width(c) for c in text[start:i]):
            spans.append((start, i))
        else:  # only marks/controls: lean on the cluster before
            spans[-1] = (spans[-1][0], i)
    # Leading zero-width characters of a paragraph lean forward onto the first letter.
    if len(spans) > 1 and all(is_zero_width(c) for c in text[spans[0][0] : spans[0][1]]):
        spans[1] = (spans[0][0], spans[1][1])
        spans.pop(0)
    return spans


@dataclass(frozen=True)
class Settings:
    """What a paragraph's layout depends on besides its text."""

    width: int
    mode: Mode
    shaping: bool
    article_rtl: bool
    forced_base: int | None


def base_level(settings: Settings, para: str) -> int:
    strong = first_strong_level(para) if settings.forced_base is None else settings.forced_base
    return strong if strong is not None else (1 if settings.article_rtl else 0)


def wrap_units(para: str, has_newline: bool) -> tuple[list[tuple[int, int]], list[int], list[bool]]:
    """The units lines are wrapped by (clusters with lam-alef merged, in every mode, so the breaks are the same
    in every mode), their unshaped widths, and whether a line may end after each."""
    n = len(para)
    units = _clusters(para, lam_alef_ends(para))
    if has_newline:
        units.append((n, n + 1))
    widths = [max(1, cell_len(para[a:b])) if a < n else 1 for a, b in units]
    breaks = [a >= n or is_space(para[a]) for a, _ in units]
    return units, widths, breaks


def line_bounds(para: str, has_newline: bool, width: int) -> list[tuple[int, int]]:
    """(start, end) of each visual line of a paragraph, relative to it: the general (per-character) path."""
    units, widths, breaks = wrap_units(para, has_newline)
    if not units:
        return []
    return [(units[a][0], units[b - 1][1]) for a, b in wrap(widths, breaks, width)]


def lay_paragraph(
    settings: Settings,
    number: int,
    p0: int,
    para: str,
    has_newline: bool,
    bounds: list[tuple[int, int]],
    general: bool = False,
) -> list[VisualLine]:
    """The visual lines of one paragraph, cut at `bounds` (from line_bounds, or the fast path of wrap.py).
    `general`: never take the plain-paragraph shortcut (the reference the tests compare it with)."""
    base = base_level(settings, para)
    info = paragraph_levels(para, base)
    shaping = settings.shaping and settings.mode == "app"
    shaped = shape(para) if shaping else None
    ligatures = lam_alef_ends(para)
    n = len(para)
    if not general and is_plain(para):
        # Every character is its own one-cell cluster (a lam-alef pair one, when shaped): no per-character checks.
        source = shaped.glyphs if shaped else para
        if shaped and ligatures:
            # Clusters are contiguous here: each starts where the last ended, so the alef of each lam-alef is
            # left out of the starts and every cluster ends at the next start (range by range, at C speed).
            bases: list[int] = []
            previous = 0
            for lam in sorted(ligatures):
                bases.extend(range(previous, lam + 1))
                previous = lam + 2
            bases.extend(range(previous, n))
            spans = list(zip(bases, [*bases[1:], n], strict=True))
            glyphs = list(map(source.__getitem__, bases))
        else:  # one cluster per character: built at C speed
            spans = list(zip(range(n), range(1, n + 1), strict=True))
            bases = list(range(n))
            glyphs = list(source)
        widths = [1] * len(spans)
    elif not general and is_marked_plain(para):
        # Harakat after letters, nothing else special: a cluster is a letter and its marks (found by one regular
        # expression), a lam-alef pair and theirs one; its glyph the letter's form followed by the marks.
        bases = cluster_starts(para)
        if shaped and ligatures:
            alefs = {
                next(k for k in range(lam + 1, end) if not is_mark(para[k])) for lam, end in ligatures.items()
            }
            bases = [a for a in bases if a not in alefs]
        spans = list(zip(bases, [*bases[1:], n], strict=True))
        if shaped:
            source = shaped.glyphs
            glyphs = [source[a] + para[a + 1 : b] if b - a > 1 else source[a] for a, b in spans]
            for k, (a, b) in enumerate(spans):
                if a in ligatures:  # the alef is drawn by the ligature: only the marks follow
                    glyphs[k] = source[a] + "".join(ch for ch in para[a + 1 : b] if is_mark(ch))
        else:
            glyphs = [para[a:b] for a, b in spans]
        widths = [1] * len(spans)
    else:
        spans = _clusters(para, ligatures if shaped else {})
        # Per cluster, once: its base character, its glyph (before mirroring) and its widths.
        bases = [base_index(para, a, b) for a, b in spans]
        glyphs = [
            _glyph(settings.mode, para, a, b, i, shaped) for (a, b), i in zip(spans, bases, strict=True)
        ]
        widths = [max(1, cell_len(g)) for g in glyphs]
    if has_newline:
        spans.append((n, n + 1))
        bases.append(n)
        glyphs.append(" ")
        widths.append(1)
    if not spans:
        return []  # the empty last paragraph of a text that ends with LF
    if len(bases) == n + has_newline:  # every character its own cluster: the paragraph's own tuples
        levels = [*info.levels, base] if has_newline else list(info.levels)
        classes = [*info.classes, "B"] if has_newline else list(info.classes)
    else:
        levels = [info.levels[i] if i < n else base for i in bases]
        classes = [info.classes[i] if i < n else "B" for i in bases]
    lines: list[VisualLine] = []
    first = 0
    ends = [b for _, b in spans]
    for _, end in bounds:
        last = bisect_right(ends, end, first)  # the clusters ending by the line's end (ends only grow)
        part = slice(first, last)
        lines.append(
            _line(
                settings,
                number,
                p0,
                base,
                spans[part],
                glyphs[part],
                widths[part],
                levels[part],
                classes[part],
                info.uniform,
            )
        )
        first = last
    return lines


def _line(
    settings: Settings,
    number: int,
    p0: int,
    base: int,
    spans: list[tuple[int, int]],
    glyphs: list[str],
    widths: list[int],
    levels: list[int] | tuple[int, ...],
    classes: Any,
    uniform: bool = False,
) -> VisualLine:
    app = settings.mode == "app"
    order: Sequence[int]
    if app and uniform:
        order = range(len(spans) - 1, -1, -1) if base else range(len(spans))
    elif app:
        levels = line_levels(levels, classes, base)
        order = visual_order(levels)
    else:
        order = range(len(spans))
    line_width = sum(widths)
    x = settings.width - line_width if base == 1 and app else 0
    count = len(spans)
    start, end = p0 + spans[0][0], p0 + spans[-1][1]  # in reading order, before the spans are reordered
    if isinstance(order, range) and order.step == -1:  # a uniform right-to-left line: reversed at C speed
        drawn, spans, widths, levels = glyphs[::-1], spans[::-1], widths[::-1], list(levels)[::-1]
    elif isinstance(order, range):
        drawn, levels = list(glyphs), list(levels)
    elif count > 1:
        pick = itemgetter(*order)
        drawn, spans, widths, levels = (
            list(pick(glyphs)),
            list(pick(spans)),
            list(pick(widths)),
            list(pick(levels)),
        )
    else:
        drawn, levels = list(glyphs), list(levels)
    if app and not _MIRRORABLE.isdisjoint(map(_FIRST, drawn)):  # L4, only where a bracket is drawn
        for k, glyph in enumerate(drawn):
            if levels[k] % 2 and glyph[0] in MIRRORED:
                drawn[k] = MIRRORED[glyph[0]] + glyph[1:]
    return VisualLine(
        number, start, end, base == 1, line_width, settings.width, drawn, spans, widths, levels, p0, x
    )


_MIRRORABLE = frozenset(MIRRORED)
_FIRST = itemgetter(0)


def _glyph(mode: Mode, para: str, a: int, b: int, i: int, shaped: Shaped | None) -> str:
    """What a cluster draws (before mirroring): its shaped base and its marks; no controls in app mode."""
    if mode == "terminal":
        return para[a:b]
    glyph = shaped.glyphs[i] if shaped else para[i]
    if unicodedata.category(glyph) == "Cc":
        return " " if glyph == "\t" else "\ufffd"
    if is_zero_width(glyph):  # a cluster of controls/marks only: keep a visible cell
        glyph = " "
    if b - a > 1:
        glyph += "".join(ch for k, ch in enumerate(para[a:b], a) if k != i and is_mark(ch))
    return glyph
