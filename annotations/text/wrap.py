"""Where lines break. `wrap` is the rule, over units with cell widths; `fast_bounds` gives the same breaks for a
plain paragraph (every character one cell wide, no marks, controls or special spaces: most of a news article)
from its words alone, at a fraction of the cost, so an article's line count is known without laying it out.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable

from rich.cells import cell_len

from annotations.text.charclass import only

_PLAIN_RANGES = [
    (0x20, 0x7E),
    (0xA0, 0x2FF),
    (0x370, 0x482),
    (0x2000, 0x200A),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x600, 0x6FF),
    (0x750, 0x77F),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x20A0, 0x20C0),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
]
_SPACES = " \u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
_WORD = re.compile(f"[^{_SPACES}]*[{_SPACES}]*")
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
_MARK = re.compile(f"[{_MARKS}]")
_MARK_AFTER_SPACE = re.compile(f"(?:^|[{_SPACES}])[{_MARKS}]")
_LAM_ALEF = re.compile(f"\u0644[{_MARKS}]*[\u0622\u0623\u0625\u0627][{_MARKS}]*")
_OTHER_SPACE = re.compile(f"[{_SPACES[1:]}]")
_UNIT = re.compile(f".[{_MARKS}]*", re.S)


def wrap(widths: list[int], breaks: list[bool], width: int) -> list[tuple[int, int]]:
    """Greedy wrap in logical order, as unit index ranges; a line ends after a run of spaces; an over-long
    word is cut at unit edges."""
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
        if used and used + word_width > width:
            lines.append((line_start, a))
            line_start, used = a, 0
        if word_width > width:  # cut an over-long word (or space run) at unit edges
            for k in range(a, b):
                if used + widths[k] > width and used:
                    lines.append((line_start, k))
                    line_start, used = k, 0
                used += widths[k]
        else:
            used += word_width
    lines.append((line_start, n))
    return lines


@functools.cache
def plain_characters() -> frozenset[str]:
    """Characters that are one cell, not a mark, control or space other than U+0020 (built once, ~3 ms)."""
    chars = [chr(c) for a, b in _PLAIN_RANGES for c in range(a, b + 1)]
    return frozenset(
        ch
        for ch in chars
        if ch in _SPACES
        or _MARK.match(ch)
        or (cell_len(ch) == 1 and unicodedata.category(ch)[0] not in "CMZ")
    )


@functools.cache
def _only_plain() -> Callable[[str], bool]:
    return only(plain_characters())


def only_plain(para: str) -> bool:
    """Is every character of the paragraph one of plain_characters()?"""
    return _only_plain()(para)


def is_plain(para: str) -> bool:
    """Every character one cell, not a mark, control or special space: clusters are then characters (and
    lam-alef pairs)."""
    return only_plain(para) and not _MARK.search(para) and not _OTHER_SPACE.search(para)


def is_marked_plain(para: str) -> bool:
    """Plain but for Arabic marks (harakat) after letters: each cluster is then a character and the marks
    after it (a lam-alef pair and its marks one), one cell wide."""
    return only_plain(para) and not _MARK_AFTER_SPACE.search(para) and not _OTHER_SPACE.search(para)


def cluster_starts(para: str) -> list[int]:
    """Where each character-and-its-marks unit of a marked plain paragraph starts."""
    return [unit.start() for unit in _UNIT.finditer(para)]


def fast_bounds(para: str, has_newline: bool, width: int) -> list[tuple[int, int]] | None:
    """The (start, end) of each line of a plain paragraph, exactly as `wrap` cuts it; None if it is not plain.

    In a plain paragraph every unit is one cell: a character with the harakat after it, or a space (the
    paragraph's LF is a one-cell break like a space), except lam-alef, a two-cell unit that is never cut. So a
    word's width is its length less its harakat."""
    if not only_plain(para) or _MARK_AFTER_SPACE.search(para):
        return None
    text = para + " " if has_newline else para
    n = len(text)
    if not n:
        return []
    marks = [m.start() for m in _MARK.finditer(text)] if _MARK.search(text) else []
    lines: list[tuple[int, int]] = []
    line_start = used = 0
    for match in _WORD.finditer(text):
        a, b = match.span()
        if a == b:
            break
        word = b - a - (bisect.bisect_left(marks, b) - bisect.bisect_left(marks, a) if marks else 0)
        if used and used + word > width:
            lines.append((line_start, a))
            line_start, used = a, 0
        if word <= width:
            used += word
            continue
        pairs = {m.start(): m.end() for m in _LAM_ALEF.finditer(text, a, b)}
        k = a
        while k < b:
            if k in pairs:
                end, unit = pairs[k], 2
            else:
                unit_match = _UNIT.match(text, k)
                end, unit = (unit_match.end() if unit_match else k + 1), 1
            if used + unit > width and used:
                lines.append((line_start, k))
                line_start, used = k, 0
            used += unit
            k = end
    lines.append((line_start, n))
    return lines
