"""Run hamish's reordering over Unicode's BidiCharacterTest.txt (Debian package unicode-data).

Each test gives code points, a paragraph direction (0 LTR, 1 RTL, 2 auto) and the expected visual order of
the characters that survive rule X9. We resolve levels (annotations.text.bidi_levels), apply L1 and L2 exactly as
the layout does, drop X9-removed characters, and compare the order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotations.text.bidi_levels import first_strong_level, line_levels, paragraph_levels, visual_order

DEFAULT_PATH = Path("/usr/share/unicode/BidiCharacterTest.txt")
X9_REMOVED = {"BN", "LRE", "RLE", "LRO", "RLO", "PDF"}


@dataclass(frozen=True)
class Case:
    line: int
    text: str
    direction: int
    expected: tuple[int, ...]


def read_cases(path: Path = DEFAULT_PATH) -> Iterator[Case]:
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            raw = raw.strip()
            if not raw or raw.startswith("#"):
                continue
            fields = raw.split(";")
            text = "".join(chr(int(cp, 16)) for cp in fields[0].split())
            order = tuple(int(i) for i in fields[4].split())
            yield Case(number, text, int(fields[1]), order)


def our_order(text: str, direction: int) -> tuple[int, ...]:
    if direction == 2:
        strong = first_strong_level(text)
        base = strong if strong is not None else 0
    else:
        base = direction
    info = paragraph_levels(text, base)
    levels = line_levels(info.levels, info.classes, base)
    order = visual_order(levels)
    return tuple(i for i in order if info.classes[i] not in X9_REMOVED)


def run(path: Path = DEFAULT_PATH) -> tuple[int, int, list[Case]]:
    """(passed, total, first failures)."""
    passed = total = 0
    failures: list[Case] = []
    for case in read_cases(path):
        total += 1
        if "\u2029" in case.text or "\n" in case.text:
            failures.append(case)  # several paragraphs in one test: not a layout input (we split at LF)
            continue
        if our_order(case.text, case.direction) == case.expected:
            passed += 1
        elif len(failures) < 20:
            failures.append(case)
    return passed, total, failures
