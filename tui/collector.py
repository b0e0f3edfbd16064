"""The garbage collector's pace for a hamish process. Laying out a long article makes hundreds of thousands of
short-lived tuples and lists, none in a reference cycle (reference counting frees them); the collector's
passes over them free nothing, and the full ones (every 100 young passes by default) walk everything the
app holds: the ~190 ms pauses seen at scale. So what exists at start is moved out of its view (`gc.freeze`),
young passes come every 10,000 new containers instead of every 700 (each stays ~1 ms: a key is never held up
by one) and the older generations are passed over 5 and 10 times less often. Cycles (Textual's widgets make
some) are still collected."""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 10_000


def make_collections_rare(freeze: bool = True) -> None:
    """`freeze`: also take what exists now out of the collector's view (once start-up is done; not while
    modules are still being imported by a process that inspects references, such as a test run)."""
    if freeze:
        gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 50, 100)
