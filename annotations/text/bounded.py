"""The one bounded cache of hamish: least recently used entries go once the sizes of what it holds pass a limit
(code points for texts and layouts, 1 for entries counted). Safe to share between the app's thread and its
workers: a lookup is one dict operation, insertion and eviction hold a lock."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """key -> value, dropping the least recently used once `size(value)` summed over the entries passes
    `limit` (the newest entry is kept however large). `hits` and `misses` count lookups by `get`."""

    def __init__(self, limit: int, size: Callable[[V], int] = lambda _value: 1) -> None:
        self.limit = limit
        self._size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._sizes: dict[K, int] = {}
        self._held = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[K]:
        """The keys, least recently used first (a copy: safe while another thread puts)."""
        return iter(list(self._entries))

    def keys(self) -> list[K]:
        return list(self._entries)

    def items(self) -> list[tuple[K, V]]:
        return list(self._entries.items())

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __getitem__(self, key: K) -> V:
        return self._entries[key]

    def get(self, key: K, default: V | None = None) -> V | None:
        """The value (now the most recently used), or `default`."""
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return default
        self.hits += 1
        try:
            self._entries.move_to_end(key)
        except KeyError:
            pass  # another thread dropped it meanwhile: the value is still good
        return found

    def put(self, key: K, value: V, size: int | None = None) -> V:
        """Keep `value`, of `size` (else `size(value)`); a value already kept under `key` stays and is returned
        instead."""
        with self._lock:
            known = self._entries.get(key)
            if known is not None:
                return known
            self._entries[key] = value
            self._sizes[key] = weight = self._size(value) if size is None else size
            self._held += weight
            while self._held > self.limit and len(self._entries) > 1:
                dropped, _ = self._entries.popitem(last=False)
                self._held -= self._sizes.pop(dropped)
            return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._sizes.clear()
            self._held = 0

    @property
    def held(self) -> int:
        """The sizes of what is held, summed."""
        return self._held
