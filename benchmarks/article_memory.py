"""Memory and first paint of one long article open in the app: 2 MB, 10 MB, and 10 MB on one line.

    python benchmarks/article_memory.py [--sizes 2MB,10MB,10MB:one-line]

Each size in a new process (`:one-line`: the same text with every line break a space, as some scrapes are): a
store holding the article and a short one, the app headless at 120x40 on the short one; then `[` opens the long
one (the ms from the key to its first frame, as keystroke.py measures), the app is left until the whole article
is wrapped and folded (its search index), `G` goes to its end and a search runs. What the open article costs:
- held: the Python memory allocated then and still held (tracemalloc, in a second process of its own, as it
  slows everything down), which is what the article keeps;
- resident: the process's resident memory then minus before `[` (with the allocator's free-but-kept pages).
Targets: first paint <= 150 ms, memory <= 4x the text's UTF-8 size plus a constant.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.collector import make_collections_rare  # noqa: E402


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def used_mb(traced: bool) -> float:
    return tracemalloc.get_traced_memory()[0] / 1e6 if traced else resident_mb()


async def measure(size: str, traced: bool) -> tuple[float, float, float, float]:
    """(MB of UTF-8, MB the open article costs, first paint ms, seconds to wrapped and folded)."""
    from annotations.formats.ingest import Sourced, make_article
    from annotations.store.store import Store
    from benchmarks.keystroke import article_of, timed_app
    from tui.widgets.article_view import ArticleView

    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.json", annotator="bench")
        text = article_of(size.removesuffix(":one-line"))
        if size.endswith(":one-line"):
            text = text.replace("\n", " ")
        store.import_articles(
            [
                Sourced(make_article(text, id="long", title="long"), "bench", 1),
                Sourced(make_article("قصير", id="short", title="short"), "bench", 2),
            ]
        )
        app = timed_app(latencies)(store, recommend=False)
        make_collections_rare()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("right_square_bracket")  # the short article
            await pilot.pause()
            if traced:
                tracemalloc.start()
            before = used_mb(traced)
            del latencies[:]
            began = time.perf_counter()
            await pilot.press("left_square_bracket")
            await pilot.pause()
            first_paint = latencies[0]
            view = app.screen.query_one(ArticleView)
            while not (view.text_layout.wrapped_to >= len(text) and "long" in app.folded):
                await pilot.pause(0.05)
            settled = time.perf_counter() - began
            await pilot.press("G", "slash", *"بغداد", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            grown = used_mb(traced) - before
    return len(text.encode()) / 1e6, grown, first_paint, settled


def main() -> int:
    sizes = sys.argv[sys.argv.index("--sizes") + 1] if "--sizes" in sys.argv else "2MB,10MB,10MB:one-line"
    if "--one" in sys.argv:
        make_collections_rare(freeze=False)
        print(
            *asyncio.run(measure(sys.argv[sys.argv.index("--one") + 1], "--traced" in sys.argv)), flush=True
        )
        return 0
    env = {**os.environ, "TEXTUAL_FPS": "1000", "XDG_STATE_HOME": tempfile.gettempdir()}
    held_by_size = {}
    for size in sizes.split(","):
        figures = {}
        for kind in ("resident", "traced"):
            out = subprocess.run(
                [sys.executable, __file__, "--one", size, f"--{kind}"],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            )
            figures[kind] = [float(x) for x in out.stdout.split()]
        utf8, resident, first_paint, settled = figures["resident"]
        held = figures["traced"][1]
        held_by_size[size] = (utf8, held)
        print(
            f"{size}: {utf8:.1f} MB of UTF-8; first paint {first_paint:.0f} ms (target <= 150); wrapped and "
            f"folded {settled:.1f} s after the key; the open article holds {held:.0f} MB = {held / utf8:.1f}x its "
            f"text (resident: {resident:.0f} MB)",
            flush=True,
        )
    normal = [figures for size, figures in held_by_size.items() if not size.endswith(":one-line")]
    if len(normal) >= 2:
        (small, small_mb), (large, large_mb) = normal[0], normal[-1]
        slope = (large_mb - small_mb) / (large - small)
        print(
            f"held per MB of text, from the smaller article to the larger: {slope:.1f}x (target <= 4x); the "
            f"constant: {small_mb - slope * small:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
