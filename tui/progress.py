"""A progress bar on stderr for long imports and exports — only on a terminal, only past 1,000 records."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import track

T = TypeVar("T")
THRESHOLD = 1000


def progress(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    if total <= THRESHOLD or not sys.stderr.isatty():
        yield from items
        return
    yield from track(
        items, total=total, description=description, console=Console(stderr=True), transient=True
    )
