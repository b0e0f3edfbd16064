"""`only(chars)`: a test that a text holds no character but these, at the speed of a regular expression's
character set (a frozenset's issuperset makes a string object per character of a non-Latin text: 3-4x slower
over a 2 MB article, where the layout asks it of every paragraph several times)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable


def char_ranges(chars: Iterable[str]) -> str:
    """A regular-expression character set's body for these characters, as ranges."""
    points = sorted({ord(ch) for ch in chars})
    if not points:
        return ""
    runs, start = [], points[0]
    for previous, current in itertools.pairwise([*points, -1]):
        if current != previous + 1:
            last = "" if start == previous else f"-{re.escape(chr(previous))}"
            runs.append(re.escape(chr(start)) + last)
            start = current
    return "".join(runs)


def only(chars: Iterable[str]) -> Callable[[str], bool]:
    """text -> True when every character of it is one of `chars` (and for the empty text)."""
    body = char_ranges(chars)
    other = re.compile(f"[^{body}]") if body else re.compile("(?s).")
    return lambda text: other.search(text) is None
