"""A cache of per-paragraph results bounded by the code points of the paragraphs it holds, not by their number:
4,096 entries are nothing for news paragraphs and gigabytes for a scrape that is one 10 MB paragraph."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

Result = TypeVar("Result")

PARAGRAPH_CACHE_CODE_POINTS = 1_000_000
"""What each per-paragraph cache of the layout (levels, shapes, lam-alefs) holds at most: a screenful of any
article many times over, and a re-layout of a large article's visible part is warm."""


def cached_by_size(limit: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Memoise a function whose first argument is a paragraph (a str): the least recently used results go
    once the paragraphs held pass `limit` code points (the last one is kept, however long). The wrapper has
    `cache_clear()` and `cache_info()` (hits, misses, entries, code points held), like functools' caches."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        entries: OrderedDict[str | tuple[Any, ...], Result] = OrderedDict()
        lock = threading.Lock()
        held = hits = misses = 0

        @functools.wraps(function)
        def cached(text: str, *args: Any) -> Result:
            nonlocal held, hits, misses
            key: str | tuple[Any, ...] = (text, *args) if args else text
            found = entries.get(key, _MISSING)
            if found is not _MISSING:  # the hit needs no lock: each of these calls is atomic
                hits += 1
                try:
                    entries.move_to_end(key)
                except KeyError:
                    pass  # another thread dropped it meanwhile: the result is still good
                return found  # type: ignore[return-value]  # not the sentinel, so a Result
            result = function(text, *args)
            with lock:
                misses += 1
                if key not in entries:
                    entries[key] = result
                    held += len(text)
                    while held > limit and len(entries) > 1:
                        old, _ = entries.popitem(last=False)
                        held -= len(old if isinstance(old, str) else old[0])
            return result

        def cache_clear() -> None:
            nonlocal held, hits, misses
            with lock:
                entries.clear()
                held = hits = misses = 0

        def cache_info() -> dict[str, int]:
            return {"hits": hits, "misses": misses, "entries": len(entries), "code_points": held}

        cached.cache_clear = cache_clear  # type: ignore[attr-defined]
        cached.cache_info = cache_info  # type: ignore[attr-defined]
        return cached

    return decorate


_MISSING = object()
