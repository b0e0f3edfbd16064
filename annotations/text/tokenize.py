"""The Arabic tokenizer of the CoNLL and Prodigy exports (documented in the README).

A token is a run of letters, digits and marks (harakat, tatweel, ZWJ/ZWNJ stay inside their word; a point or
comma between digits stays inside its number); every
other non-space character (punctuation, brackets, quotes, symbols) is a token of its own; spaces separate
tokens and belong to none; a bidi control (LRM, RLM) that leads a word belongs to that word. Clitics stay attached to their word (وواشنطن is one token)
unless a span boundary falls inside a word: then the word is split there, so every span covers whole tokens.
Sentences end after . ! ? ؟ … and at line breaks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

SENTENCE_END = set(".!?؟…")
_JOINERS = set("\u200c\u200d\u0640")
_NUMBER_SEPARATORS = set(".,\u066b\u066c")  # 12.5, 1,000, ١٢٫٥


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def _is_word(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM" or ch in _JOINERS


def _is_gap(ch: str) -> bool:
    return ch.isspace()


def tokenize(text: str, boundaries: Iterable[int] = ()) -> list[Token]:
    """Tokens of `text` in order; words are also cut at each offset in `boundaries`."""
    cuts = set(boundaries)
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _is_gap(ch):
            i += 1
            continue
        start = i
        while (
            i + 1 < n
            and i + 1 not in cuts
            and unicodedata.category(text[i]) == "Cf"
            and (unicodedata.category(text[i + 1]) == "Cf" or _is_word(text[i + 1]))
        ):
            i += (
                1  # format controls (LRM, RLM) that lead a word belong to it, unless a span starts after them
            )
        ch = text[i]
        if _is_word(ch):
            i += 1
            while (
                i < n
                and i not in cuts
                and (
                    _is_word(text[i])
                    or (
                        text[i] in _NUMBER_SEPARATORS
                        and text[i - 1].isdigit()
                        and i + 1 < n
                        and text[i + 1].isdigit()
                    )
                )
            ):
                i += 1
        else:
            i += 1
        tokens.append(Token(start, i, text[start:i]))
    return tokens


def is_invisible(token: Token) -> bool:
    """A token of format controls only (an LRM cut off its word by a span boundary): nothing to see."""
    return all(unicodedata.category(ch) == "Cf" for ch in token.text)


def sentences(text: str, tokens: list[Token], keep: Iterable[tuple[int, int]] = ()) -> list[list[Token]]:
    """Group tokens into sentences: after sentence-final punctuation, and wherever the text has a line break,
    but never inside one of the `keep` ranges (an entity like «U.S. Army» stays in one sentence)."""
    inside = sorted(keep)

    def kept_together(offset: int) -> bool:
        return any(start < offset < end for start, end in inside)

    groups: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        if current and "\n" in text[current[-1].end : token.start] and not kept_together(token.start):
            groups.append(current)
            current = []
        current.append(token)
        if token.text in SENTENCE_END and not kept_together(token.end):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups
