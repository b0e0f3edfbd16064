"""Memory and first paint of one long article open in the app: 2 MB and 10 MB.

    python benchmarks/article_memory.py [--sizes 2MB,10MB]

Each size in a new process: a store holding the article and a short one, the app headless at 120x40 on the
short one; then `[` opens the long one (the ms from the key to its first frame, as keystroke.py measures), the
app is left until the whole article is wrapped and folded, `G` goes to its end and a search runs. The memory
the open article costs is the process's resident memory then minus before `[` (the store already held the
text). Targets: first paint <= 150 ms, memory <= 4x the text's UTF-8 size plus a constant: the growth from the
smaller article to the larger, per MB of text, is printed as that factor.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.collector import make_collections_rare  # noqa: E402


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


async def measure(size: str) -> str:
    from annotations.formats.ingest import Sourced, make_article
    from annotations.store.store import Store
    from benchmarks.keystroke import article_of, timed_app
    from tui.widgets.article_view import ArticleView

    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.json", annotator="bench")
        text = article_of(size)
        store.import_articles([Sourced(make_article(text, id="long", title="long"), "bench", 1),
                               Sourced(make_article("قصير", id="short", title="short"), "bench", 2)])
        app = timed_app(latencies)(store, recommend=False)
        make_collections_rare()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("right_square_bracket")  # the short article
            await pilot.pause()
            before = resident_mb()
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
            after = resident_mb()
    utf8 = len(text.encode()) / 1e6
    grown = after - before
    return (f"{size}: {len(text):,} code points, {utf8:.1f} MB of UTF-8; first paint {first_paint:.0f} ms "
            f"(target <= 150); wrapped and folded {settled:.1f} s after the key; the open article costs {grown:.0f} MB "
            f"resident\nRESULT {utf8} {grown}")


def main() -> int:
    sizes = sys.argv[sys.argv.index("--sizes") + 1] if "--sizes" in sys.argv else "2MB,10MB"
    if "--one" in sys.argv:
        make_collections_rare(freeze=False)
        print(asyncio.run(measure(sys.argv[sys.argv.index("--one") + 1])), flush=True)
        return 0
    results = []
    for size in sizes.split(","):
        out = subprocess.run([sys.executable, __file__, "--one", size], check=True, capture_output=True, text=True,
                             env={**os.environ, "TEXTUAL_FPS": "1000", "XDG_STATE_HOME": tempfile.gettempdir()})
        for line in out.stdout.splitlines():
            if line.startswith("RESULT "):
                results.append(tuple(float(x) for x in line.split()[1:]))
            else:
                print(line, flush=True)
    if len(results) >= 2:
        (small, small_mb), (large, large_mb) = results[0], results[-1]
        slope = (large_mb - small_mb) / (large - small)
        print(f"memory per MB of text, from the smaller article to the larger: {slope:.1f}x (target <= 4x); "
              f"the constant: {small_mb - slope * small:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
