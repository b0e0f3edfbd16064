"""Keystroke to repaint for cursor moves on a 5,000-word article, headless (Textual's test driver).

    python benchmarks/keystroke.py

Builds a 5,000-word article from the sample corpus in a temporary store, opens the app at 120x40 and presses
cursor keys (Left, Right, Down, Up, w, b, PageDown). For each key it records the time from the key event
reaching the app to the next frame being ready to write, rendered to terminal bytes (the benchmark hooks
the app's `_display` for this; the app itself does not). Textual paints at most TEXTUAL_FPS frames a second (60 by default),
so a key waits up to one frame period for its paint: the script runs twice, at the default 60 fps and at
1000 fps, whose figures are close to our own work per key (handling it plus drawing the changed lines).
Prints p50 and p95 in ms; the target is p95 <= 16 ms.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEYS = ["left"] * 60 + ["right"] * 30 + ["down"] * 40 + ["up"] * 20 + ["w"] * 40 + ["b"] * 20 + ["pagedown"] * 10


def long_article(words: int = 5000) -> str:
    from annotations.store.resources import sample_corpus_dir

    paragraphs: list[str] = []
    seeds = [p.read_text(encoding="utf-8") for p in sorted(sample_corpus_dir().glob("*.txt"))]
    count = 0
    while count < words:
        for seed in seeds:
            for paragraph in seed.split("\n\n"):
                paragraphs.append(paragraph)
                count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def timed_app(latencies: list[float]):
    """HamishApp that appends, for each key, the ms from the key event to its frame rendered to bytes."""
    from textual import events

    from tui.app import HamishApp

    class TimedApp(HamishApp):
        key_at: float | None = None

        async def on_event(self, event: events.Event) -> None:
            if isinstance(event, events.Key):
                self.key_at = time.perf_counter()
            await super().on_event(event)

        def _display(self, screen, renderable) -> None:  # instrumentation only: a frame is ready
            if self.key_at is not None and renderable is not None:
                renderable.render_segments(self.console)  # the bytes a real terminal would be sent
                latencies.append((time.perf_counter() - self.key_at) * 1000)
                self.key_at = None
            super()._display(screen, renderable)

    return TimedApp


async def measure() -> tuple[list[float], str]:
    from annotations.formats.ingest import Sourced, make_article
    from annotations.store.store import Store
    from tui.widgets.article_view import ArticleView

    latencies: list[float] = []
    TimedApp = timed_app(latencies)  # noqa: N806  (a class)

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.json", annotator="bench")
        text = long_article()
        store.import_articles([Sourced(make_article(text, id="long", title="long"), "bench", 1)])
        app = TimedApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            view = app.screen.query_one(ArticleView)
            info = (f"article: {len(text.split())} words, {len(text)} code points, "
                    f"{len(view.text_layout.lines)} visual lines at width {view.text_layout.width}")
            for key in KEYS:
                await pilot.press(key)
                await pilot.pause()
        return latencies, info


def report() -> None:
    latencies, info = asyncio.run(measure())
    times = sorted(latencies)
    p50 = statistics.median(times)
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    fps = os.environ.get("TEXTUAL_FPS", "60")
    print(info)
    print(f"TEXTUAL_FPS={fps}: {len(times)} cursor keys, key -> frame written: p50 {p50:.2f} ms, "
          f"p95 {p95:.2f} ms, max {times[-1]:.2f} ms (target p95 <= 16 ms)")
    by_key: dict[str, list[float]] = {}
    for key, latency in zip(KEYS, latencies, strict=False):
        by_key.setdefault(key, []).append(latency)
    print("  median by key: " + ", ".join(f"{k} {statistics.median(v):.2f}" for k, v in by_key.items()))


def main() -> int:
    if os.environ.get("TEXTUAL_FPS"):
        report()
        return 0
    for fps in ("60", "1000"):
        subprocess.run([sys.executable, __file__], env={**os.environ, "TEXTUAL_FPS": fps}, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
