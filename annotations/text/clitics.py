"""Arabic clitics at the edges of a selection: trim them so "وواشنطن" can be tagged as "واشنطن".

One press of `t` drops, at the front, a conjunction (و ف) and a preposition (ب ك ل; ل + ال is written لل and
goes whole), and at the back an attached pronoun (ه ها هم هما هن كم كما كن نا). A second press on a
selection with nothing else to trim drops the article ال. Single letters are ambiguous ("فرنسا" does not
start with ف the conjunction, "الله" does not end with the pronoun ه), so when the article's vocabulary is
given, a clitic is cut only if what remains occurs in the article as a word of its own (or after another
clitic). Harakat on a clitic go with it; a trim never leaves fewer than two letters.
"""

from __future__ import annotations

import re
import unicodedata

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ك", "ل")
ARTICLE = "ال"
SUFFIXES = sorted(["ه", "ها", "هم", "هما", "هن", "كم", "كما", "كن", "نا"], key=len, reverse=True)
MIN_STEM = 2
ARTICLE_CHAINS = sorted(
    {c + p + ARTICLE for c in ("", *CONJUNCTIONS) for p in ("", "ب", "ك")} | {"لل", "ولل", "فلل"},
    key=len,
    reverse=True,
)
_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")


def _letters(text: str, start: int, end: int) -> list[int]:
    """Offsets of the letters (not marks, not controls) in text[start:end]."""
    return [
        i for i in range(start, end) if unicodedata.category(text[i]).startswith("L") and text[i] != "\u0640"
    ]


def vocabulary(text: str) -> set[str]:
    """The evidence for trimming: every Arabic word of a text (harakat and tatweel removed), and what is left
    of a word after an unambiguous chain ending in the article (وال بال فال كال لل ال ...). Single-letter
    clitics are never stripped here: that is the very guess the evidence has to support."""
    words = set(_WORD.findall(_MARKS.sub("", text)))
    stems = set(words)
    for word in words:
        for chain in ARTICLE_CHAINS:
            if word.startswith(chain) and len(word) - len(chain) >= MIN_STEM + 1:
                stems.add(word[len(chain) :])
                if chain != "لل":
                    stems.add(word[len(chain) - 2 :])  # the word with its article: وال|عراق -> العراق
                break
    return stems


def trim_clitics(text: str, start: int, end: int, known: set[str] | None = None) -> tuple[int, int]:
    """The selection [start, end) with its clitics trimmed (see the module docstring)."""
    letters = _letters(text, start, end)
    word = "".join(text[i] for i in letters)

    def attested(stem: str) -> bool:
        return len(stem) >= MIN_STEM and (known is None or stem in known or stem.startswith(ARTICLE))

    front = 0
    if word[:1] in CONJUNCTIONS and (attested(word[1:]) or word.startswith("وو") and len(word) > 3):
        front = 1
    if word[front:].startswith("لل") and len(word) - front - 2 >= MIN_STEM:
        front += 2
    elif word[front : front + 1] in PREPOSITIONS and attested(word[front + 1 :]):
        front += 1
    back = next(
        (
            len(s)
            for s in SUFFIXES
            if word.endswith(s)
            and len(word) - front - len(s) >= MIN_STEM + 1
            and (known is None or word[front : -len(s)] in known)
        ),
        0,
    )
    if not front and not back and word.startswith(ARTICLE) and len(word) - 2 >= MIN_STEM + 1:
        front = 2
    if not front and not back:
        return start, end
    new_start = letters[front] if front else start
    new_end = letters[len(letters) - back] if back else end
    if back:  # marks on the last kept letter stay with it
        while new_end < end and unicodedata.category(text[new_end]) == "Mn":
            new_end += 1
    return new_start, new_end
