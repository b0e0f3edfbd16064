"""The garbage collector's pace for a hamish process. Laying out a long article makes hundreds of thousands of
short-lived tuples and lists, none in a reference cycle (reference counting frees them); the collector's
passes over them free nothing and cost 10% of a layout, and were the ~190 ms pauses seen at scale. So what
exists at start is moved out of its view (`gc.freeze`) and young collections happen every 100,000 new
containers instead of every 700: cycles (Textual's widgets make some) are still collected, less often."""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 100_000


def make_collections_rare(freeze: bool = True) -> None:
    """`freeze`: also take what exists now out of the collector's view (once start-up is done; not while
    modules are still being imported by a process that inspects references, such as a test run)."""
    if freeze:
        gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 50, 100)
