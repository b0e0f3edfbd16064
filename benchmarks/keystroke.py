"""Keystroke to its frame, headless (Textual's test driver), for every kind of key, on three article sizes.

    python benchmarks/keystroke.py [--sizes 5000w,50000w,2MB]

Builds each article from the sample corpus's paragraphs (numbered, so no two are alike) in a temporary
store, opens the app at 120x40 and presses: the navigation keys (Left, Right, Up, Down, w, b, PageDown,
PageUp, g, G), a selection (v then w), a tag (1, the save included), undo, opening `/`, each typed character
of a search, and closing it (escape). For each key it records the time from the key event reaching the app to
the next frame being ready to write, rendered to terminal bytes (the benchmark hooks the app's `_display`;
the app itself does not). It runs at TEXTUAL_FPS=1000, so frame pacing (up to 16.7 ms at Textual's default
60 fps) is not counted. Also prints the time to open each article (show_article to its first frame). Prints
p50 and p95 in ms per key; the target is p95 <= 16 ms for every key and size.
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

from tui.collector import make_collections_rare  # noqa: E402


def long_article(words: int = 5000, numbered: bool = False) -> str:
    from annotations.store.resources import sample_corpus_dir

    paragraphs: list[str] = []
    seeds = [p.read_text(encoding="utf-8") for p in sorted(sample_corpus_dir().glob("*.txt"))]
    count = 0
    while count < words:
        for seed in seeds:
            for paragraph in seed.split("\n\n"):
                paragraphs.append(f"{paragraph} ({len(paragraphs)})" if numbered else paragraph)
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


ROUND = (
    [("left", "left")] * 6
    + [("right", "right")] * 4
    + [("down", "down")] * 6
    + [("up", "up")] * 3
    + [("w", "w")] * 5
    + [("b", "b")] * 3
    + [("pagedown", "pagedown")] * 3
    + [("pageup", "pageup")] * 2
    + [
        ("G", "G"),
        ("g", "g"),
        ("w", "w"),
        ("v", "v"),
        ("v+w", "w"),
        ("tag", "1"),
        ("undo", "ctrl+z"),
        ("/ open", "slash"),
    ]
    + [("search char", c) for c in "بغداد"]
    + [("/ close", "escape"), ("w", "w")]
)
ROUNDS = 4


def article_of(size: str) -> str:
    if size.endswith("w"):
        return long_article(int(size[:-1]), numbered=True)
    wanted = int(float(size[:-2]) * 1_000_000)
    text = long_article(max(wanted // 10, 5000), numbered=True)
    while len(text.encode()) < wanted:
        text += "\n\n" + text
    return text


async def measure(size: str) -> tuple[dict[str, list[float]], str]:
    from annotations.formats.ingest import Sourced, make_article
    from annotations.store.store import Store
    from tui.widgets.article_view import ArticleView

    latencies: list[float] = []
    TimedApp = timed_app(latencies)  # noqa: N806  (a class)
    by_key: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.json", annotator="bench")
        text = article_of(size)
        store.import_articles(
            [
                Sourced(make_article(text, id="long", title="long"), "bench", 1),
                Sourced(make_article("قصير", id="short", title="short"), "bench", 2),
            ]
        )
        app = TimedApp(store, recommend=False)
        make_collections_rare()  # what exists before the app runs is frozen, as tui/run.py does
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("right_square_bracket")  # the short article
            await pilot.pause()
            del latencies[:]
            await pilot.press("left_square_bracket")  # the long one: key -> its first frame
            await pilot.pause()
            by_key["open article"] = list(latencies)
            view = app.screen.query_one(ArticleView)
            for _ in range(ROUNDS):
                for name, key in ROUND:
                    del latencies[:]
                    await pilot.press(key)
                    await pilot.pause()
                    by_key.setdefault(name, []).extend(latencies[-1:])  # to the last frame it caused
            info = (
                f"{size}: {len(text.split()):,} words, {len(text):,} code points, "
                f"{len(view.text_layout.lines):,} visual lines at width {view.text_layout.width}"
            )
        return by_key, info


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(round(fraction * len(ordered)) - 1, 0)]


def report(size: str) -> None:
    by_key, info = asyncio.run(measure(size))
    print(info)
    everything = [v for name, values in by_key.items() if name != "open article" for v in values]
    print(
        f"  all keys: p50 {statistics.median(everything):.1f} ms, p95 {percentile(everything, 0.95):.1f} ms "
        f"(target p95 <= 16 ms); open {by_key['open article'][0]:.0f} ms"
    )
    print(
        "  p50/p95 ms by key: "
        + ", ".join(
            f"{name} {statistics.median(v):.1f}/{percentile(v, 0.95):.1f}"
            for name, v in by_key.items()
            if v and name != "open article"
        ),
        flush=True,
    )


def main() -> int:
    sizes = sys.argv[sys.argv.index("--sizes") + 1] if "--sizes" in sys.argv else "5000w,50000w,2MB"
    if "--one" in sys.argv:
        make_collections_rare(freeze=False)  # the collector's pace the app runs at (tui/cli, tui/run.py)
        report(sys.argv[sys.argv.index("--one") + 1])
        return 0
    for size in sizes.split(","):
        subprocess.run(
            [sys.executable, __file__, "--one", size],
            check=True,
            env={**os.environ, "TEXTUAL_FPS": os.environ.get("TEXTUAL_FPS", "1000")},
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
