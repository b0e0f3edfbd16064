"""Arabic contextual shaping that keeps a 1:1 index map: one glyph per code point, harakat never deleted.

arabic-reshaper's `reshape` drops harakat by default, drops ZWJ, and with ligatures on changes lengths. We
use its letter table (the joined forms of each letter) and do the joining ourselves, so each code point gets
exactly one glyph. Lam followed by an alef is reported as a ligature: the layout draws it in lam's cell and
gives the alef no cell of its own.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import repeat
from operator import and_
from pathlib import Path
from types import ModuleType

from annotations.text.charclass import char_ranges
from annotations.text.size_cache import PARAGRAPH_CACHE_CODE_POINTS, cached_by_size


def _letter_table() -> ModuleType:
    """arabic-reshaper's `letters` module. Importing it by name runs the package's __init__, which loads
    fontTools for font-based ligature checks we do not use (14 ms of every start); the module itself imports
    nothing, so it is loaded from its file. Should the package ever be laid out otherwise, the import by name."""
    package = importlib.util.find_spec("arabic_reshaper")
    path = Path(package.origin).with_name("letters.py") if package and package.origin else None
    if path is None or not path.is_file():
        import arabic_reshaper.letters as letters

        return letters  # type: ignore[no-any-return]  # the package ships no types
    spec = importlib.util.spec_from_file_location("_hamish_arabic_reshaper_letters", path)
    if spec is None or spec.loader is None:
        import arabic_reshaper.letters as by_name

        return by_name  # type: ignore[no-any-return]  # the package ships no types
    letters = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(letters)
    return letters


_letters = _letter_table()
FINAL, INITIAL, ISOLATED, MEDIAL = _letters.FINAL, _letters.INITIAL, _letters.ISOLATED, _letters.MEDIAL
LETTERS_ARABIC = _letters.LETTERS_ARABIC

ZWJ, ZWNJ, TATWEEL, LAM = "\u200d", "\u200c", "\u0640", "\u0644"
# alef variant -> (isolated, final) form of the lam-alef ligature
LAM_ALEF = {
    "\u0622": ("\ufef5", "\ufef6"),
    "\u0623": ("\ufef7", "\ufef8"),
    "\u0625": ("\ufef9", "\ufefa"),
    "\u0627": ("\ufefb", "\ufefc"),
}


@lru_cache(maxsize=4096)
def is_transparent(ch: str) -> bool:
    """Marks and format controls (other than ZWJ/ZWNJ) do not break joining (Joining_Type T)."""
    return unicodedata.category(ch) in ("Mn", "Me") or (
        unicodedata.category(ch) == "Cf" and ch not in (ZWJ, ZWNJ)
    )


def _joins_after(ch: str) -> bool:
    if ch in (ZWJ, TATWEEL):
        return True
    forms = LETTERS_ARABIC.get(ch)
    return bool(forms and (forms[INITIAL] or forms[MEDIAL]))


def _joins_before(ch: str) -> bool:
    if ch in (ZWJ, TATWEEL):
        return True
    forms = LETTERS_ARABIC.get(ch)
    return bool(forms and (forms[FINAL] or forms[MEDIAL]))


_LAM_BEFORE_ALEF = re.compile("\u0644(?=[\u0622\u0623\u0625\u0627])")


def is_solid(text: str) -> bool:
    """No mark or format control in the text (most paragraphs of news): neighbours are adjacent characters.
    (Any character past the BMP counts as one: rare, and then the general shaper is right anyway.)"""
    return _not_solid().search(text) is None


@cache
def _not_solid() -> re.Pattern[str]:
    """is_transparent over the BMP, once (~4 ms), but for the blocks that are letters only or no characters by
    definition: CJK ideographs, Hangul syllables, surrogates, private use."""
    category = unicodedata.category
    points = itertools.chain(
        range(0x4E00), range(0xA000, 0xAC00), range(0xD7A4, 0xD800), range(0xF900, 0x10000)
    )
    transparent = [
        ch
        for ch in map(chr, points)
        if category(ch) in ("Mn", "Me") or (category(ch) == "Cf" and ch not in (ZWJ, ZWNJ))
    ]
    return re.compile(f"[{char_ranges(transparent)}\U00010000-\U0010ffff]")


@cached_by_size(PARAGRAPH_CACHE_CODE_POINTS)
def lam_alef_ends(text: str) -> dict[int, int]:
    """Index of each lam followed (past its marks) by an alef -> index just past the alef and its marks.
    Cached (the wrap, the clusters and the shaper all ask): the dict is shared, never to be changed."""
    if is_solid(text):  # lam then alef, side by side: found by one regular expression
        return {m.start(): m.start() + 2 for m in _LAM_BEFORE_ALEF.finditer(text)}
    ends: dict[int, int] = {}
    start = 0
    while (i := text.find(LAM, start)) != -1:
        start = i + 1
        q = i + 1
        while q < len(text) and is_transparent(text[q]):
            q += 1
        if q < len(text) and text[q] in LAM_ALEF:
            end = q + 1
            while end < len(text) and unicodedata.category(text[end]) in ("Mn", "Me"):
                end += 1
            ends[i] = end
    return ends


@dataclass(frozen=True)
class Shaped:
    glyphs: tuple[str, ...]
    """One glyph per code point of the input (the code point itself when it has no joined form)."""
    ligature_end: dict[int, int]
    """Index of a lam that starts a lam-alef ligature -> index just past its alef."""


_JOINS_AFTER = {ch: _joins_after(ch) for ch in (*LETTERS_ARABIC, ZWJ, TATWEEL)}
_JOINS_BEFORE = {ch: _joins_before(ch) for ch in (*LETTERS_ARABIC, ZWJ, TATWEEL)}


@cached_by_size(PARAGRAPH_CACHE_CODE_POINTS)
def shape(text: str) -> Shaped:
    """Joined forms for one paragraph (cached: a re-layout at another width reuses it)."""
    if is_solid(text):
        return _shape_solid(text)
    return _shape_past_marks(text)


def _shape_past_marks(text: str) -> Shaped:
    """shape_general, faster: joining looks past transparent characters, so the letters' forms are those of
    the text without them (shaped by `_shape_solid`); the marks and controls keep themselves. The tests hold
    it to shape_general, which walks the neighbours one by one."""
    kept = [i for i, ch in enumerate(text) if not is_transparent(ch)]
    solid = _shape_solid("".join(map(text.__getitem__, kept)))
    glyphs = list(text)
    for i, glyph in zip(kept, solid.glyphs, strict=True):
        glyphs[i] = glyph
    return Shaped(tuple(glyphs), lam_alef_ends(text))


def shape_general(text: str) -> Shaped:
    """Joining past marks and controls (transparent characters), for any paragraph."""
    chars = list(text)
    n = len(chars)
    # The previous and next non-transparent neighbour of each position.
    prev_solid: list[int | None] = [None] * n
    last = None
    for i, ch in enumerate(chars):
        prev_solid[i] = last
        if not is_transparent(ch):
            last = i
    next_solid: list[int | None] = [None] * n
    last = None
    for i in range(n - 1, -1, -1):
        next_solid[i] = last
        if not is_transparent(chars[i]):
            last = i

    glyphs = list(chars)
    ligature_end = lam_alef_ends(text)
    for i, ch in enumerate(chars):
        forms = LETTERS_ARABIC.get(ch)
        if not forms:
            continue
        p, q = prev_solid[i], next_solid[i]
        joins_prev = p is not None and _joins_after(chars[p]) and _joins_before(ch)
        if i in ligature_end and q is not None:  # a lam-alef's lam always has its alef after it
            isolated, final = LAM_ALEF[chars[q]]
            glyphs[i] = final if joins_prev else isolated
            continue
        joins_next = q is not None and _joins_before(chars[q]) and _joins_after(ch)
        glyphs[i] = joined_form(forms, ch, joins_prev, joins_next)
    return Shaped(tuple(glyphs), ligature_end)


def joined_form(forms: tuple[str, ...], letter: str, joins_prev: bool, joins_next: bool) -> str:
    """The letter's form for the way it joins its neighbours (a form it lacks falls back, as in Unicode)."""
    if joins_prev and joins_next and forms[MEDIAL]:
        return str(forms[MEDIAL])
    if joins_prev and forms[FINAL]:
        return str(forms[FINAL])
    if joins_next and forms[INITIAL]:
        return str(forms[INITIAL])
    return str(forms[ISOLATED] or letter)


def _shape_solid(text: str) -> Shaped:
    """shape() for a paragraph without marks or controls (most of a news article): each letter's neighbours
    are the characters beside it, so joining is read from tables, a whole paragraph per list comprehension
    (no per-character function call): a letter's four forms are looked up by (joins before, joins after)."""
    if not text:
        return Shaped((), {})
    after = list(map(_JOINS_AFTER.get, text, repeat(False)))
    before = list(map(_JOINS_BEFORE.get, text, repeat(False)))
    joins_prev = [False, *map(and_, after, before[1:])]
    joins_next = [*map(and_, before[1:], after), False]
    forms = _FORMS
    glyphs = [
        forms[ch][p + 2 * q] if ch in forms else ch
        for ch, p, q in zip(text, joins_prev, joins_next, strict=True)
    ]
    ligature_end = lam_alef_ends(text)
    for i in ligature_end:  # lam-alef: the ligature's form, in lam's cell
        isolated, final = LAM_ALEF[text[i + 1]]
        glyphs[i] = final if joins_prev[i] else isolated
    return Shaped(tuple(glyphs), ligature_end)


# letter -> its glyph when it joins (neither, the previous only, the next only, both): joined_form, tabulated.
_FORMS = {
    ch: tuple(joined_form(forms, ch, bool(k & 1), bool(k & 2)) for k in range(4))
    for ch, forms in LETTERS_ARABIC.items()
    if forms
}
