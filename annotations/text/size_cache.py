"""A cache of per-paragraph results bounded by the code points of the paragraphs it holds, not by their number:
4,096 entries are nothing for news paragraphs and gigabytes for a scrape that is one 10 MB paragraph."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from annotations.text.bounded import BoundedCache

Result = TypeVar("Result")

PARAGRAPH_CACHE_CODE_POINTS = 1_000_000
"""What each per-paragraph cache of the layout (levels, shapes, lam-alefs) holds at most: a screenful of any
article many times over, and a re-layout of a large article's visible part is warm."""


def cached_by_size(limit: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Memoise a function whose first argument is a paragraph (a str) in the one BoundedCache: the least
    recently used results go once the paragraphs held pass `limit` code points (the last one is kept, however
    long). The wrapper has `cache_clear()` and `cache_info()` (hits, misses, entries, code points held), like
    functools' caches. The function never returns None (None would read as a miss)."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        entries: BoundedCache[str | tuple[Any, ...], Result] = BoundedCache(limit)

        @functools.wraps(function)
        def cached(text: str, *args: Any) -> Result:
            key: str | tuple[Any, ...] = (text, *args) if args else text
            found = entries.get(key)
            if found is not None:
                return found
            return entries.put(key, function(text, *args), size=len(text))

        def cache_clear() -> None:
            entries.clear()
            entries.hits = entries.misses = 0

        def cache_info() -> dict[str, int]:
            return {
                "hits": entries.hits,
                "misses": entries.misses,
                "entries": len(entries),
                "code_points": entries.held,
            }

        cached.cache_clear = cache_clear  # type: ignore[attr-defined]
        cached.cache_info = cache_info  # type: ignore[attr-defined]
        return cached

    return decorate
