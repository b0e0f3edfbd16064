"""Detect scrape noise (comment boxes, "back to top", language pickers, ...) as logical ranges. Nothing is removed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from annotations.store.files import InputError, read_text
from annotations.store.resources import data_dir


@dataclass(frozen=True)
class NoiseRules:
    whole_line: tuple[re.Pattern[str], ...]
    tail: tuple[re.Pattern[str], ...]


def parse_rules(text: str, source: str = "<rules>") -> NoiseRules:
    lines: list[re.Pattern[str]] = []
    tails: list[re.Pattern[str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        kind, sep, pattern = entry.partition(":")
        if not sep or kind.strip() not in ("line", "tail"):
            raise ValueError(f"{source}:{number}: expected 'line: REGEX' or 'tail: REGEX'")
        try:
            compiled = re.compile(pattern.strip(), re.IGNORECASE)
        except re.error as error:
            raise ValueError(f"{source}:{number}: bad regular expression: {error}") from None
        (lines if kind.strip() == "line" else tails).append(compiled)
    return NoiseRules(tuple(lines), tuple(tails))


@lru_cache(maxsize=4)
def _load_rules(extra_path: str | None) -> NoiseRules:
    """The bundled patterns and the user's (HAMISH_NOISE_PATTERNS), each parsed on its own so that a bad line
    is reported with its own file and line. Raises ValueError naming the file."""
    bundled = data_dir() / "noise-patterns.txt"
    rules = parse_rules(bundled.read_text(encoding="utf-8"), str(bundled))
    if extra_path:
        try:
            text = read_text(Path(extra_path), what="pattern file")
        except InputError as error:
            raise ValueError(f"{error} (HAMISH_NOISE_PATTERNS)") from None
        extra = parse_rules(text, extra_path)
        rules = NoiseRules(rules.whole_line + extra.whole_line, rules.tail + extra.tail)
    return rules


def default_rules() -> NoiseRules:
    return _load_rules(os.environ.get("HAMISH_NOISE_PATTERNS") or None)


def detect_noise(text: str, title: str = "", rules: NoiseRules | None = None) -> tuple[tuple[int, int], ...]:
    """Return the logical [start, end) ranges of noise lines (each range ends at its line's end, before the LF).

    A line is noise when it matches a whole-line rule, when a tail rule matched at or above it (a comment
    section runs to the end), or when it repeats the title after the body has started (a "related" link).
    """
    rules = rules or default_rules()
    ranges: list[tuple[int, int]] = []
    offset = 0
    in_tail = False
    seen_body = False
    title_met = False
    title_key = title.strip()
    for line in text.split("\n"):
        stripped = line.strip()
        start, end = offset, offset + len(line)
        offset = end + 1
        if not stripped:
            continue
        if not in_tail and any(p.fullmatch(stripped) for p in rules.tail):
            in_tail = True
        is_title = bool(title_key) and stripped == title_key
        # The title's first line is the headline itself, even under a section name or a menu.
        repeated_title = is_title and title_met and seen_body
        title_met = title_met or is_title
        if in_tail or repeated_title or any(p.fullmatch(stripped) for p in rules.whole_line):
            ranges.append((start, end))
        elif stripped != title_key:
            seen_body = True
    return tuple(ranges)
