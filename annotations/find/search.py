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
import functools
import re
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

from annotations.text.clitics import ARTICLE, CONJUNCTIONS, PREPOSITIONS, SUFFIXES

_LETTER_FOLDS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "ء", "ئ": "ء"}
_DIGITS = {chr(0x0660 + d): str(d) for d in range(10)} | {chr(0x06F0 + d): str(d) for d in range(10)}
PREFIX_CHAINS = frozenset(
    c + p + a
    for c in ("", *CONJUNCTIONS)
    for p in ("", *PREPOSITIONS)
    for a in ("", ARTICLE)
    if not (p == "ل" and a)
) | {"لل", "ولل", "فلل"}


class AllTrue(Sequence[bool]):
    """`whole` of a fold where no character expanded: every position ends an original character."""

    def __init__(self, length: int) -> None:
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> bool: ...

    @overload
    def __getitem__(self, index: slice) -> list[bool]: ...

    def __getitem__(self, index: int | slice) -> bool | list[bool]:
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


class KeptOrigins(Sequence[int]):
    """`origin` of a fold that only drops characters, held as runs: the folded characters from `starts[i]` on
    came from `origins[i]` on, one for one. A 2 MB article drops a few thousand harakat and doubled spaces, so
    this is a few thousand pairs where a table would be a million offsets built one by one (~250 ms)."""

    def __init__(self, length: int, dropped: Sequence[int]) -> None:
        """`dropped`: the original positions (sorted, distinct) that have no folded character."""
        self._length = length
        self.starts, self.origins = array("l", [0]), array("l", [0])
        for count, position in enumerate(dropped, 1):
            folded = position - count + 1  # the folded index of the first character kept after it
            if folded == self.starts[-1]:
                self.origins[-1] = position + 1  # a run of drops: the run starts further on
            else:
                self.starts.append(folded)
                self.origins.append(position + 1)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return self.at(index)

    def at(self, index: int) -> int:
        """self[index] for 0 <= index < len(self), without the checks (the search's inner loop)."""
        run = bisect.bisect_right(self.starts, index) - 1
        return self.origins[run] + index - self.starts[run]

    def __iter__(self) -> Iterator[int]:
        bounds = [*self.starts[1:], self._length]
        for start, origin, end in zip(self.starts, self.origins, bounds, strict=True):
            yield from range(origin, origin + end - start)


def _fold_fast(text: str) -> Folded:
    """fold() where no character folds to more than one."""
    folded, dropped = _fold_fast_parts(text)
    return Folded(folded, KeptOrigins(len(folded), dropped), AllTrue(len(folded)))


def _fold_fast_parts(text: str) -> tuple[str, list[int]]:
    """Translate, then drop the second and later spaces of each run: the folded text and the (sorted) original
    positions that have no folded character."""
    deleted = [m.start() for m in _fold_patterns()[1].finditer(text)]
    raw = text.translate(_translation())
    repeats = [m.start() + k for m in _SPACE_RUN.finditer(raw) for k in range(1, m.end() - m.start())]
    if not repeats:
        return raw, deleted
    origin = KeptOrigins(len(raw), deleted)
    return _SPACE_RUN.sub(" ", raw), sorted([*deleted, *(origin[k] for k in repeats)])


class FoldInSlices:
    """fold(text) a slice at a time, so that a long article is folded between frames after it opens (a 2 MB
    article takes ~120 ms in one piece) and its first search finds the work done."""

    def __init__(self, text: str, slice_size: int = 32_768) -> None:  # ~3 ms a slice
        self.text, self.slice_size, self.position = text, slice_size, 0
        self.result: Folded | None = None
        """The whole fold, once every slice is folded."""
        self._slow = _fold_patterns()[0].search(text) is not None  # as fold() chooses, for the whole text
        self._pieces: list[str] = []
        self._blocks: list[
            str
        ] = []  # pieces joined 16 at a time: large blocks go back to the system when freed
        self._dropped: list[int] = []  # the fast fold's
        self._origin: list[int] = []  # the slow fold's
        self._whole: list[bool] = []

    def step(self) -> bool:
        """Fold one more slice; True once the whole text is folded."""
        if self.result is not None:
            return True
        start, end = self.position, self._cut(self.position + self.slice_size)
        piece = self.text[start:end]
        if self._slow:
            folded = fold_slowly(piece)
            self._pieces.append(folded.text)
            self._origin.extend(o + start for o in folded.origin)
            self._whole.extend(folded.whole)
        else:
            text, dropped = _fold_fast_parts(piece)
            self._pieces.append(text)
            self._dropped.extend(d + start for d in dropped)
        self.position = end
        if len(self._pieces) == 16:
            self._blocks.append("".join(self._pieces))
            self._pieces = []
        if end >= len(self.text):
            text = "".join([*self._blocks, *self._pieces])
            self.result = (
                Folded(text, tuple(self._origin), tuple(self._whole))
                if self._slow
                else Folded(text, KeptOrigins(len(text), self._dropped), AllTrue(len(text)))
            )
        return self.result is not None

    def finish(self) -> Folded:
        while not self.step():
            pass
        assert self.result is not None
        return self.result

    def _cut(self, wanted: int) -> int:
        """A slice ends before a letter or digit that folds to neither nothing nor a space: no run of spaces
        (folded to one) and no mark dropped between them spans two slices."""
        if wanted >= len(self.text):
            return len(self.text)
        found = _fold_patterns()[2].search(self.text, wanted)
        return found.start() if found else len(self.text)


@functools.cache
def _fold_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Characters the fast fold cannot take (they fold to several characters, or lie outside its table), the
    ones it deletes (harakat, tatweel, controls), and where a slice of FoldInSlices may end: built on first use
    (~25 ms), not at import."""
    table = [*range(0x0000, 0x3000), *range(0xFB50, 0xFF00)]
    slow = "".join(re.escape(chr(c)) for c in table if len(fold_char(chr(c))) > 1)
    deleted = "".join(re.escape(chr(c)) for c in table if fold_char(chr(c)) == "")
    spaces = "".join(re.escape(chr(c)) for c in table if fold_char(chr(c)) == " ")
    return (
        re.compile(f"[{slow}\u3000-\ufb4f\uff00-\U0010ffff]"),
        re.compile(f"[{deleted}]"),
        re.compile(f"[^\\W_{deleted}{spaces}]"),
    )


_SPACE_RUN = re.compile(" {2,}")


@functools.cache
def _translation() -> dict[int, str]:
    ranges = [*range(0x0000, 0x3000), *range(0xFB50, 0xFF00)]
    return {c: folded for c in ranges if (folded := fold_char(chr(c))) != chr(c)}


def fold_quickly(text: str) -> str:
    """`fold_char` over a whole string at C speed (str.translate), without fold()'s offset map or its collapsing
    of space runs: for filtering many short strings, e.g. 100,000 titles on each typed letter."""
    return text.translate(_translation())


def fold_query(query: str) -> str:
    return fold(query.strip()).text


_is_word = str.isalnum


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
    one_for_one = isinstance(folded.origin, KeptOrigins)  # then no two folded characters share an origin
    origin = folded.origin.at if isinstance(folded.origin, KeptOrigins) else folded.origin.__getitem__
    whole = (lambda _: True) if isinstance(folded.whole, AllTrue) else folded.whole.__getitem__
    matches: list[Match] = []
    size, length = len(needle), len(text)
    position = hay.find(needle)
    while position != -1:
        end = position + size
        if (
            _starts_word(hay, position)
            and _ends_word(text, folded, end, one_for_one)
            and whole(end - 1)
            and (one_for_one or position == 0 or origin(position - 1) != origin(position))
        ):
            start, stop = origin(position), origin(end - 1) + 1
            while stop < length and (unicodedata.category(text[stop]) == "Mn" or text[stop] == "\u0640"):
                stop += 1  # harakat on the last letter belong to the match
            matches.append(Match(start, stop))
        position = hay.find(needle, position + 1)
    return matches


def _starts_word(hay: str, position: int) -> bool:
    word_start, limit = position, max(position - _LONGEST_CHAIN - 1, 0)
    while word_start > limit and _is_word(hay[word_start - 1]):
        word_start -= 1
    return position - word_start <= _LONGEST_CHAIN and hay[word_start:position] in PREFIX_CHAINS


_LONGEST_CHAIN = max(len(chain) for chain in PREFIX_CHAINS)
_WORD_RUN = re.compile(r"[^\W_]*")  # word characters at C speed: exactly str.isalnum, over every code point


def _ends_word(text: str, folded: Folded, end: int, one_for_one: bool = False) -> bool:
    """The match ends its word, or only an attached pronoun follows — judged on the original letters, since
    folding makes ta marbuta (ة) look like the pronoun ه. `one_for_one`: no character of the fold expanded, so
    each original letter after the match folded to one letter of what follows it in the fold."""
    run = _WORD_RUN.match(folded.text, end)  # matches at every position (it may match nothing)
    word_end = run.end() if run else end
    if word_end == end:
        return True
    if one_for_one:
        following = folded.text[end:word_end]
        if following.isalpha() and following not in _folded_suffixes():
            return False  # the usual rest of a longer word («بغ» in «بغداد»), told without the original text
    rest = text[folded.origin[end] : folded.origin[word_end - 1] + 1]
    if rest.isalpha():  # letters only (str.isalpha is exactly the L categories): the usual case, at C speed
        return rest in _SUFFIXES
    return "".join(ch for ch in rest if unicodedata.category(ch).startswith("L")) in _SUFFIXES


_SUFFIXES = frozenset(SUFFIXES)


@lru_cache(maxsize=1)
def _folded_suffixes() -> frozenset[str]:
    return frozenset(suffix.translate(_translation()) for suffix in SUFFIXES)


def context(text: str, match: Match, width: int = 30) -> tuple[str, str, str]:
    """The hit with up to `width` characters of the same line on each side."""
    line_start = text.rfind("\n", 0, match.start) + 1
    line_end = text.find("\n", match.end)
    line_end = len(text) if line_end == -1 else line_end
    before = text[max(line_start, match.start - width) : match.start]
    after = text[match.end : min(line_end, match.end + width)]
    return before, text[match.start : match.end], after


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
