"""Resolved UAX #9 embedding levels and bidi classes per code point, from python-bidi.

python-bidi 0.6 wraps the Rust crate unicode-bidi but exposes neither levels nor an index map. Its
`debug=True` output is the crate's `BidiInfo` (Debug format), which lists `original_classes` and `levels` per
UTF-8 byte; we read those, take each code point's first byte, and do the per-line rules (L1-L4) ourselves.
The format is the crate's, so python-bidi is pinned and tests/test_bidi_conformance.py checks the result
against Unicode's BidiCharacterTest.txt.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

import bidi

from annotations.text.charclass import char_ranges, only
from annotations.text.size_cache import PARAGRAPH_CACHE_CODE_POINTS, cached_by_size

_LEVEL = re.compile(rb"Level\(\s*(\d+),?\s*\)")
_CLASS = re.compile(rb"\b([A-Z]+),")
STRONG = {"L": 0, "R": 1, "AL": 1}
ISOLATE_OPEN = {"LRI", "RLI", "FSI"}


@dataclass(frozen=True)
class ParagraphLevels:
    base: int
    """The paragraph embedding level: 0 left-to-right, 1 right-to-left."""
    levels: tuple[int, ...]
    """Resolved level of each code point (before the per-line rule L1)."""
    classes: tuple[str, ...]
    """Original bidi class of each code point (L, R, AL, EN, WS, NSM, ...)."""
    uniform: bool = False
    """Every code point is at the base level, whatever the line (so a line is only reversed, or not)."""


def first_strong_level(text: str) -> int | None:
    """UAX #9 P2/P3: the level given by the first strong character outside isolates, or None."""
    depth = 0
    for ch in text:
        cls = unicodedata.bidirectional(ch)
        if cls in ISOLATE_OPEN:
            depth += 1
        elif cls == "PDI":
            depth = max(0, depth - 1)
        elif depth == 0 and cls in STRONG:
            return STRONG[cls]
    return None


def _byte_starts(text: str) -> list[int]:
    starts, position = [], 0
    for ch in text:
        starts.append(position)
        position += len(ch.encode("utf-8"))
    return starts


_UNIFORM_RANGES = [(0x0000, 0x06FF), (0x2000, 0x206F), (0xFB50, 0xFEFF)]
_uniform: dict[int, frozenset[str]] = {}


def uniform_characters(base: int) -> frozenset[str]:
    """Characters that cannot make a paragraph of base level `base` leave it: for base 1 no L, EN or AN
    (European or Arabic digits) and no explicit embedding or isolate; for base 0 no R, AL or AN either. In a
    paragraph of these alone every rule of UAX #9 resolves every character to the base level."""
    if base not in _uniform:
        banned = (
            {"L", "EN", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "B"}
            if base
            else {"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "B", "NSM"}
        )
        _uniform[base] = frozenset(
            chr(c)
            for a, b in _UNIFORM_RANGES
            for c in range(a, b + 1)
            if unicodedata.bidirectional(chr(c)) not in banned and unicodedata.bidirectional(chr(c))
        )
    return _uniform[base]


_only_uniform: dict[int, Callable[[str], bool]] = {}


def only_uniform(base: int, text: str) -> bool:
    """uniform_characters(base).issuperset(text), at a regular expression's speed."""
    test = _only_uniform.get(base)
    if test is None:
        test = _only_uniform[base] = only(uniform_characters(base))
    return test(text)


class _ClassTable(dict[str, str]):
    """Character -> bidi class, filled as characters are met (a dict lookup, mapped over a paragraph in C)."""

    def __missing__(self, ch: str) -> str:
        self[ch] = kind = unicodedata.bidirectional(ch)
        return kind


_CLASSES = _ClassTable()


def arabic_with_numbers_levels(text: str) -> tuple[int, ...] | None:
    """UAX #9 for the commonest paragraph of Arabic news, right to left with numbers in it and no
    left-to-right letter or explicit control: rules W1-W7, N0-N2 and I2 reduce to "numbers at level 2,
    everything else at 1". None when the paragraph is not of that kind (python-bidi resolves it then).

    The rules run on a string of one letter per bidi class (`_CODE`), as regular expressions: no Python
    per character, which matters for the paragraphs with digits (most of them)."""
    codes = "".join(map(_CODES.__getitem__, text))
    if not _ALLOWED.issuperset(codes):
        return None
    if "m" in codes:  # W1: a mark takes the type of what it follows (the start of the paragraph: R)
        codes = _LEADING_MARKS.sub(lambda run: "r" * len(run[0]), codes)
        codes = _MARKS_AFTER.sub(lambda run: run[1] * len(run[0]), codes)
    if "e" in codes:  # W2: a European number after an Arabic letter (the last strong type) is Arabic
        pieces, last = [], 0
        for run in _EUROPEAN.finditer(codes):
            if codes.rfind("a", 0, run.start()) > codes.rfind("r", 0, run.start()):
                pieces += [codes[last : run.start()], "n" * len(run[0])]
                last = run.end()
        if pieces:
            codes = "".join(pieces) + codes[last:]
    if ("s" in codes or "c" in codes) and ("e" in codes or "n" in codes):  # W4
        codes = _ONE_SEPARATOR_EN.sub("e", codes)
        codes = _ONE_SEPARATOR_AN.sub("n", codes)
    if "t" in codes and "e" in codes:  # W5: terminators next to a European number join it
        codes = _TERMINATORS.sub(lambda run: "e" * len(run[0]), codes)
    # W6-W7 leave ES/ET/CS neutral and EN as it is (the last strong type is never L); N0-N2 make every neutral
    # R, because everything around is R or a number (a number counts as R); I2 raises numbers to level 2.
    return tuple(codes.translate(_LEVEL_OF_CODE).encode("latin-1"))


_CODE = {
    "AL": "a",
    "R": "r",
    "EN": "e",
    "AN": "n",
    "ES": "s",
    "ET": "t",
    "CS": "c",
    "ON": "o",
    "WS": "w",
    "S": "S",
    "NSM": "m",
}
"""The bidi classes this shortcut handles, one letter each; any other class is "X"."""
_ALLOWED = frozenset(_CODE.values())
_LEVEL_OF_CODE = {ord(code): "\x02" if code in "en" else "\x01" for code in _ALLOWED}
_LEADING_MARKS = re.compile("^m+")
_MARKS_AFTER = re.compile("([^m])m+")
_EUROPEAN = re.compile("e+")
_ONE_SEPARATOR_EN = re.compile("(?<=e)[sc](?=e)")
_ONE_SEPARATOR_AN = re.compile("(?<=n)c(?=n)")
_TERMINATORS = re.compile("t+(?=e)|(?<=e)t+")


class _CodeTable(dict[str, str]):
    """Character -> its bidi class's letter in `_CODE` ("X": a class the shortcut leaves to python-bidi)."""

    def __missing__(self, ch: str) -> str:
        self[ch] = code = _CODE.get(_CLASSES[ch], "X")
        return code


_CODES = _CodeTable()


def level_safe_cuts(para: str, every: int) -> list[int]:
    """Where a long paragraph of base level 1 may be cut, about every `every` code points, into pieces whose
    levels, each resolved alone, are exactly those of the whole paragraph (so a one-line 10 MB scrape is laid
    out a piece at a time). A cut goes after a space and before a right-to-left letter, where no bracket pair
    is open, in a paragraph with no explicit embedding, override or isolate and no paragraph separator. Then
    the whole paragraph is one isolating run sequence at level 1 and: W1, W2 and W7 look back no further than
    the last strong letter, which for the piece after the cut is in that piece; W4-W6 look one character
    either side, and neither side of a cut is a number or separator; N1 resolves the spaces before the cut
    between a letter and the right-to-left letter after it, which the piece before sees as eos, also R; N0's
    pairs (BD16) are the same in the pieces because none spans a cut, and its look back from an opening
    bracket stops at the letter that starts the piece. Any other paragraph: no cut."""
    forbidden, cut_here = _cut_patterns()
    if forbidden.search(para):
        return []
    brackets = _BD16(para)
    cuts, at = [], every
    while at < len(para) - every // 2:
        found = cut_here.search(para, at)
        if found is None or found.start() > len(para) - every // 2:
            break
        cut = found.start()
        depth = brackets.depth_at(cut)
        if depth == 0:
            cuts.append(cut)
            at = cut + every
        elif depth < 0:
            break  # past an overflow BD16 pairs nothing more in the whole paragraph, but would in a piece
        else:
            at = cut + 1
    return cuts


# Bidi_Paired_Bracket pairs (BidiBrackets-15.0.0.txt): the opening brackets and, at the same index, theirs.
_OPENING = (
    "\u0028\u005b\u007b\u0f3a\u0f3c\u169b\u2045\u207d\u208d\u2308\u230a\u2329\u2768\u276a\u276c\u276e\u2770"
    "\u2772\u2774\u27c5\u27e6\u27e8\u27ea\u27ec\u27ee\u2983\u2985\u2987\u2989\u298b\u298d\u298f\u2991\u2993"
    "\u2995\u2997\u29d8\u29da\u29fc\u2e22\u2e24\u2e26\u2e28\u2e55\u2e57\u2e59\u2e5b\u3008\u300a\u300c\u300e"
    "\u3010\u3014\u3016\u3018\u301a\ufe59\ufe5b\ufe5d\uff08\uff3b\uff5b\uff5f\uff62"
)
_CLOSING = (
    "\u0029\u005d\u007d\u0f3b\u0f3d\u169c\u2046\u207e\u208e\u2309\u230b\u232a\u2769\u276b\u276d\u276f\u2771"
    "\u2773\u2775\u27c6\u27e7\u27e9\u27eb\u27ed\u27ef\u2984\u2986\u2988\u298a\u298c\u2990\u298e\u2992\u2994"
    "\u2996\u2998\u29d9\u29db\u29fd\u2e23\u2e25\u2e27\u2e29\u2e56\u2e58\u2e5a\u2e5c\u3009\u300b\u300d\u300f"
    "\u3011\u3015\u3017\u3019\u301b\ufe5a\ufe5c\ufe5e\uff09\uff3d\uff5d\uff60\uff63"
)
_PAIR = {**{o: k for k, o in enumerate(_OPENING)}, **{c: k for k, c in enumerate(_CLOSING)}}
_PAIR.update({"\u3008": _PAIR["\u2329"], "\u3009": _PAIR["\u232a"]})  # canonical equivalents pair as one
_BRACKET = re.compile("[" + re.escape(_OPENING + _CLOSING) + "]")
_BD16_STACK = 63


class _BD16:
    """BD16 over a paragraph, walked forward as far as asked (every bracket is ON here: nothing overrides it):
    how many opening brackets wait on the stack before a position; -1 from an overflow on."""

    def __init__(self, para: str) -> None:
        self._brackets = _BRACKET.finditer(para)
        self._next = next(self._brackets, None)
        self._stack: list[int] = []
        self._overflowed = False

    def depth_at(self, position: int) -> int:
        while self._next is not None and self._next.start() < position and not self._overflowed:
            ch, self._next = self._next.group(), next(self._brackets, None)
            if ch in _OPENING:
                if len(self._stack) == _BD16_STACK:
                    self._overflowed = True
                else:
                    self._stack.append(_PAIR[ch])
            else:
                pair = _PAIR[ch]
                for k in range(len(self._stack) - 1, -1, -1):
                    if self._stack[k] == pair:
                        del self._stack[k:]
                        break
        return -1 if self._overflowed else len(self._stack)


@functools.cache
def _cut_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What forbids any cut (explicit embeddings, overrides, isolates, paragraph separators), and a space
    followed by a right-to-left letter (built on first use)."""

    def chars(wanted: set[str]) -> str:
        # The explicit controls, separators and spaces are all in the BMP; right-to-left letters also in the
        # SMP's two right-to-left areas.
        points = itertools.chain(range(0x10000), range(0x10800, 0x11000), range(0x1E800, 0x1F000))
        return char_ranges(ch for ch in map(chr, points) if unicodedata.bidirectional(ch) in wanted)

    explicit = chars({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "B"})
    spaces, letters = chars({"WS"}), chars({"R", "AL"})
    return re.compile(f"[{explicit}]"), re.compile(f"(?<=[{spaces}])[{letters}]")


@cached_by_size(PARAGRAPH_CACHE_CODE_POINTS)
def paragraph_levels(text: str, base: int) -> ParagraphLevels:
    """Levels for one paragraph (no newline inside) with the given base level (0 or 1)."""
    if "\n" in text:
        raise ValueError("paragraph_levels takes one paragraph; split at newlines first")
    if not text:
        return ParagraphLevels(base, (), ())
    if only_uniform(base, text):  # every level is the base: nothing to resolve
        return ParagraphLevels(base, (base,) * len(text), ("WS" if base else "L",) * len(text), uniform=True)
    if base == 1 and (levels := arabic_with_numbers_levels(text)) is not None:
        return ParagraphLevels(base, levels, tuple(map(_CLASSES.__getitem__, text)))
    debug = bidi.get_display(text, base_dir="R" if base else "L", debug=True).encode("utf-8")
    classes_part, _, rest = debug.partition(b"levels:")
    levels_part = rest.partition(b"paragraphs:")[0]
    classes_part = classes_part.partition(b"original_classes:")[2]
    byte_levels = [int(m) for m in _LEVEL.findall(levels_part)]
    byte_classes = [m.decode() for m in _CLASS.findall(classes_part)]
    starts = _byte_starts(text)
    expected = starts[-1] + len(text[-1].encode("utf-8"))
    if len(byte_levels) != expected or len(byte_classes) != expected:
        raise RuntimeError(
            f"python-bidi {getattr(bidi, 'VERSION', '?')} debug output not understood "
            f"({len(byte_levels)} levels for {expected} bytes); hamish pins python-bidi 0.6.12"
        )
    return ParagraphLevels(
        base, tuple(byte_levels[s] for s in starts), tuple(byte_classes[s] for s in starts)
    )


# -- per line: L1 and L2 -------------------------------------------------------------------------------------
_L1_RESET = {"S", "B"}
_L1_TRAILING = {"WS", "FSI", "LRI", "RLI", "PDI", "BN", "LRE", "RLE", "LRO", "RLO", "PDF"}


def line_levels(
    levels: list[int] | tuple[int, ...], classes: list[str] | tuple[str, ...], base: int
) -> list[int]:
    """Rule L1 on one line: separators, and whitespace/isolates before them or at the line end, take the base."""
    result = list(levels)
    last = len(result) - 1
    if "S" not in classes and "B" not in classes[:last]:
        # The common line: no tab, no separator but perhaps the paragraph's end: only its tail is reset.
        if last >= 0 and classes[last] == "B":
            result[last] = base
            last -= 1
        while last >= 0 and classes[last] in _L1_TRAILING:
            result[last] = base
            last -= 1
        return result
    reset_run = True  # at the line end, trailing whitespace resets
    for i in range(len(result) - 1, -1, -1):
        cls = classes[i]
        if cls in _L1_RESET:
            result[i] = base
            reset_run = True
        elif cls in _L1_TRAILING and reset_run:
            result[i] = base
        else:
            reset_run = False
    return result


def visual_order(levels: list[int]) -> list[int]:
    """Rule L2: indices of the items in visual (left-to-right) order, given each item's level."""
    n = len(levels)
    present = set(levels)
    if len(present) == 1:  # one level (a line of Arabic words in a paragraph with a number elsewhere)
        return list(range(n - 1, -1, -1)) if levels[0] % 2 else list(range(n))
    if present == {1, 2} or present == {0, 1}:
        # The two commonest lines: numbers or Latin (2) inside Arabic (1), or Arabic (1) inside Latin (0).
        # L2 then reverses each odd run once and each level-2 run twice, and a right-to-left line's runs
        # come in reverse order: built run by run.
        runs, position = [], 0
        for level, run in groupby(levels):
            length = sum(1 for _ in run)
            runs.append((level, position, position + length))
            position += length
        order: list[int] = []
        for level, start, stop in reversed(runs) if 2 in present else runs:
            order.extend(range(start, stop) if level % 2 == 0 else range(stop - 1, start - 1, -1))
        return order
    order = list(range(n))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = (
        min(level for level in levels if level % 2) if any(level % 2 for level in levels) else highest + 1
    )
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order
