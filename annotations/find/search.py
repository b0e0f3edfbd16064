"""Arabic-aware matching: fold spelling variants for matching only, and map every match back to exact offsets.

Folds (the stored text never changes): harakat, tatweel and format controls (LRM, RLM, ZWJ, ...) are dropped;
أ إ آ ٱ -> ا; ى -> ي; ة -> ه; ؤ ئ -> ء (the hamza carriers fold to the bare hamza); Arabic-Indic and
Persian digits -> ASCII; presentation forms (ﻻ, ﺍ, ...) -> their base letters (NFKC); Latin is case-folded;
a run of white space is one space.

Clitic-aware: a match must start a word or follow a clitic chain that starts it (و ف, ب ك ل, ال: searching
"واشنطن" finds "وواشنطن", "لواشنطن", "بواشنطن", the match covering "واشنطن"), and must end a word or be
followed by an attached pronoun (ه ها هم ...). So no match falls inside an unrelated longer word.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from annotations.text.clitics import ARTICLE, CONJUNCTIONS, PREPOSITIONS, SUFFIXES

_LETTER_FOLDS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "ء", "ئ": "ء"}
_DIGITS = {chr(0x0660 + d): str(d) for d in range(10)} | {chr(0x06F0 + d): str(d) for d in range(10)}
PREFIX_CHAINS = frozenset(c + p + a for c in ("", *CONJUNCTIONS) for p in ("", *PREPOSITIONS) for a in ("", ARTICLE)
                          if not (p == "ل" and a)) | {"لل", "ولل", "فلل"}


class AllTrue(Sequence):
    """`whole` of a fold where no character expanded: every position ends an original character."""

    def __init__(self, length: int) -> None:
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [True] * len(range(*index.indices(self._length)))
        if not -self._length <= index < self._length:
            raise IndexError(index)
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == self._length and all(other)


@dataclass(frozen=True)
class Folded:
    text: str
    """The folded text."""
    origin: Sequence[int]
    """For each folded character, the offset of the original character it came from."""
    whole: Sequence[bool]
    """For each folded character: does a match may end here without cutting an original character in two."""


@lru_cache(maxsize=256)
def fold_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf") or ch == "\u0640":
        return ""
    if ch.isspace():
        return " "
    if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
        normal = unicodedata.normalize("NFKC", ch)
        if normal != ch:  # ﴿ ﴾ ﷽ and ~100 others are their own NFKC form: they stay themselves
            return "".join(fold_char(c) for c in normal)  # NFKC is idempotent: this recursion ends
    ch = _DIGITS.get(ch, ch)
    return _LETTER_FOLDS.get(ch, ch).casefold()


def fold(text: str) -> Folded:
    """The folded text and its map back (per-character work only where a character expands, else at C speed:
    a 2 MB article folds in tens of milliseconds)."""
    if _fold_patterns()[0].search(text) is None:
        return _fold_fast(text)
    return fold_slowly(text)


def fold_slowly(text: str) -> Folded:
    out: list[str] = []
    origin: list[int] = []
    whole: list[bool] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        if folded == " " and out and out[-1] == " ":
            continue
        for k, f in enumerate(folded):
            out.append(f)
            origin.append(i)
            whole.append(k == len(folded) - 1)
    return Folded("".join(out), tuple(origin), tuple(whole))


def _kept(length: int, dropped: list[int]) -> array:
    """0 .. length-1 without the (sorted) dropped positions, built run by run."""
    kept, previous = array("l"), 0
    for position in dropped:
        kept.extend(range(previous, position))
        previous = position + 1
    kept.extend(range(previous, length))
    return kept


def _fold_fast(text: str) -> Folded:
    """fold() where no character folds to more than one: translate, then drop the second and later spaces
    of each run, keeping the map of where every folded character came from."""
    table = _translation()
    deleted = [m.start() for m in _fold_patterns()[1].finditer(text)]
    raw = text.translate(table)
    origin = _kept(len(text), deleted)
    repeats = [m.start() + k for m in _SPACE_RUN.finditer(raw) for k in range(1, m.end() - m.start())]
    if not repeats:
        return Folded(raw, origin, AllTrue(len(raw)))
    kept = _kept(len(raw), repeats)
    return Folded(_SPACE_RUN.sub(" ", raw), array("l", (origin[k] for k in kept)), AllTrue(len(kept)))


_TRANSLATION: dict[int, str] | None = None
_FOLD_PATTERNS: tuple[re.Pattern, re.Pattern] | None = None


def _fold_patterns() -> tuple[re.Pattern, re.Pattern]:
    """Characters the fast fold cannot take (they fold to several characters, or lie outside its table), and
    the ones it deletes (harakat, tatweel, controls): built on first use (~25 ms), not at import."""
    global _FOLD_PATTERNS
    if _FOLD_PATTERNS is None:
        table = [*range(0x0000, 0x3000), *range(0xFB50, 0xFF00)]
        slow = "".join(re.escape(chr(c)) for c in table if len(fold_char(chr(c))) > 1)
        deleted = "".join(re.escape(chr(c)) for c in table if fold_char(chr(c)) == "")
        _FOLD_PATTERNS = (re.compile(f"[{slow}\u3000-\ufb4f\uff00-\U0010ffff]"), re.compile(f"[{deleted}]"))
    return _FOLD_PATTERNS


_SPACE_RUN = re.compile(" {2,}")


def _translation() -> dict[int, str]:
    global _TRANSLATION
    if _TRANSLATION is None:
        ranges = [*range(0x0000, 0x3000), *range(0xFB50, 0xFF00)]
        _TRANSLATION = {c: folded for c in ranges if (folded := fold_char(chr(c))) != chr(c)}
    return _TRANSLATION


def fold_quickly(text: str) -> str:
    """`fold_char` over a whole string at C speed (str.translate), without fold()'s offset map or its collapsing
    of space runs: for filtering many short strings, e.g. 100,000 titles on each typed letter."""
    return text.translate(_translation())


def fold_query(query: str) -> str:
    return fold(query.strip()).text


def _is_word(ch: str) -> bool:
    return ch.isalnum()


@dataclass(frozen=True)
class Match:
    start: int
    end: int


def find(text: str, query: str, folded: Folded | None = None) -> list[Match]:
    """Every clitic-aware, normalised occurrence of `query` in `text`, as exact original offsets."""
    needle = fold_query(query)
    if not needle:
        return []
    folded = folded or fold(text)
    hay = folded.text
    matches: list[Match] = []
    position = hay.find(needle)
    while position != -1:
        end = position + len(needle)
        if _starts_word(hay, position) and _ends_word(text, folded, end) and folded.whole[end - 1] and (
                position == 0 or folded.origin[position - 1] != folded.origin[position]):
            start = folded.origin[position]
            stop = folded.origin[end - 1] + 1
            while stop < len(text) and (unicodedata.category(text[stop]) == "Mn" or text[stop] == "\u0640"):
                stop += 1  # harakat on the last letter belong to the match
            matches.append(Match(start, stop))
        position = hay.find(needle, position + 1)
    return matches


def _starts_word(hay: str, position: int) -> bool:
    word_start = position
    while word_start > 0 and _is_word(hay[word_start - 1]):
        word_start -= 1
    return hay[word_start:position] in PREFIX_CHAINS


def _ends_word(text: str, folded: Folded, end: int) -> bool:
    """The match ends its word, or only an attached pronoun follows — judged on the original letters, since
    folding makes ta marbuta (ة) look like the pronoun ه."""
    hay = folded.text
    word_end = end
    while word_end < len(hay) and _is_word(hay[word_end]):
        word_end += 1
    if word_end == end:
        return True
    rest = text[folded.origin[end]:folded.origin[word_end - 1] + 1]
    return "".join(ch for ch in rest if unicodedata.category(ch).startswith("L")) in _SUFFIXES


_SUFFIXES = frozenset(SUFFIXES)


def context(text: str, match: Match, width: int = 30) -> tuple[str, str, str]:
    """The hit with up to `width` characters of the same line on each side."""
    line_start = text.rfind("\n", 0, match.start) + 1
    line_end = text.find("\n", match.end)
    line_end = len(text) if line_end == -1 else line_end
    before = text[max(line_start, match.start - width):match.start]
    after = text[match.end:min(line_end, match.end + width)]
    return before, text[match.start:match.end], after


def next_hit(matches: list[Match], offset: int, forward: bool = True) -> Match | None:
    """The first hit after `offset` (or before it), wrapping around."""
    if not matches:
        return None
    starts = [m.start for m in matches]
    if forward:
        index = bisect.bisect_right(starts, offset)
        return matches[index % len(matches)]
    index = bisect.bisect_left(starts, offset) - 1
    return matches[index % len(matches)]
