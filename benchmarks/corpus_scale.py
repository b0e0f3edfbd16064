"""Corpus scale: start-up, memory and the cost of each action with 1,000 to 100,000 articles.

    python benchmarks/corpus_scale.py [--sizes 1000,10000,100000]

Each corpus is made of real paragraphs, cycled with unique ids: ArMPro's 672 paragraphs and NewsFANE's
sentences from ../shared/external when present (else the sample corpus's paragraphs). For each size it prints
the time from opening the store to the app's first frame, the process's peak RSS, and for tag (`w 1`), undo,
done (`d`), `]` and `[`: the ms from the key event to its frame written (as benchmarks/keystroke.py measures,
at TEXTUAL_FPS=1000 so frame pacing is not counted). The target: no action grows with the corpus (p95 <= 16 ms
at 100,000) and the first frame within 1 s at 100,000 articles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.collector import make_collections_rare  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"
ROUNDS = 6
ACTIONS = [
    ("tag", ["w", "1"]),
    ("undo", ["ctrl+z"]),
    ("done", ["d"]),
    ("]", ["right_square_bracket"]),
    ("[", ["left_square_bracket"]),
]


def paragraphs() -> list[str]:
    found: list[str] = []
    armpro = EXTERNAL / "armpro" / "ArMPro_span_dev_V2.jsonl"
    if armpro.exists():
        found += [json.loads(line)["paragraph"] for line in armpro.read_text(encoding="utf-8").splitlines()]
    newsfane = EXTERNAL / "newsfane" / "NewsFANE_Gold_2014_170K.txt"
    if newsfane.exists():
        sentence: list[str] = []
        for line in newsfane.read_text(encoding="utf-8-sig").splitlines():
            if line.strip():
                sentence.append(line.split("\t")[0].replace("\u200e", ""))
            elif sentence:
                found.append(" ".join(sentence))
                sentence = []
    if not found:
        from annotations.store.resources import sample_corpus_dir

        found = [
            p for f in sorted(sample_corpus_dir().glob("*.txt")) for p in f.read_text().split("\n\n") if p
        ]
    return found


def make_store(path: Path, size: int) -> None:
    from annotations.formats.ingest import make_article
    from annotations.store.model import Sourced
    from annotations.store.store import Store

    texts = paragraphs()
    store = Store(path, annotator="bench")
    store.import_articles(
        Sourced(make_article(texts[i % len(texts)], id=f"a{i:06d}"), "bench", i) for i in range(size)
    )
    store.close()


async def measure(path: Path) -> dict[str, list[float]]:
    from benchmarks.keystroke import timed_app

    latencies: list[float] = []
    began = time.perf_counter()
    from annotations.store.store import Store

    store = Store(path, annotator="bench")
    app = timed_app(latencies)(store, recommend=False)
    make_collections_rare()  # what exists before the app runs is frozen, as tui/run.py does
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first_frame = time.perf_counter() - began
        results: dict[str, list[float]] = {"first frame (s)": [first_frame]}
        for _ in range(ROUNDS):
            for name, keys in ACTIONS:
                del latencies[:]
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause()
                results.setdefault(name, []).append(latencies[-1] if latencies else float("nan"))
        # Corpus search: from the last typed letter to the first hits shown, and to the whole corpus searched
        # (the times the search screen was handed hits, recorded by wrapping its add_hits).
        from tui.screens.corpus_search import CorpusSearch

        shown: list[tuple[float, int, int]] = []
        add_hits = CorpusSearch.add_hits

        def recorded(screen, rows, total, searched, count, query):
            if query == "بغداد":
                shown.append((time.perf_counter(), len(rows), searched))
            return add_hits(screen, rows, total, searched, count, query)

        CorpusSearch.add_hits = recorded
        await pilot.press("ctrl+f", *"بغدا")
        await pilot.pause(0.5)
        began = time.perf_counter()
        await pilot.press("د")
        while not shown or shown[-1][2] < len(app.articles):
            await pilot.pause(0.01)
        first = next((t for t, rows, _ in shown if rows), shown[-1][0])
        results["corpus search first hits (ms)"] = [(first - began) * 1000]
        results["corpus search whole corpus (ms)"] = [(shown[-1][0] - began) * 1000]
        CorpusSearch.add_hits = add_hits
        await pilot.press("escape")
        results["peak RSS (MB)"] = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
        return results


def report(size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.json"
        made = time.perf_counter()
        make_store(path, size)
        made = time.perf_counter() - made
        results = asyncio.run(measure(path))
    first = results.pop("first frame (s)")[0]
    rss = results.pop("peak RSS (MB)")[0]
    search = (
        results.pop("corpus search first hits (ms)")[0],
        results.pop("corpus search whole corpus (ms)")[0],
    )
    cells = []
    for name, values in results.items():
        values = sorted(values)
        cells.append(f"{name} {statistics.median(values):.1f}/{values[-1]:.1f}")
    print(
        f"{size:>7,} articles (made in {made:.1f} s): first frame {first:.2f} s, peak RSS {rss:.0f} MB; "
        f"key -> frame ms median/max: {', '.join(cells)}; corpus search: first hits {search[0]:.0f} ms, "
        f"whole corpus {search[1]:.0f} ms",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        make_collections_rare(freeze=False)  # the collector's pace the app runs at (tui/cli, tui/run.py)
        report(args.one)
        return 0
    for size in (int(s) for s in args.sizes.split(",")):  # one process each: RSS and caches start clean
        subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            env={**os.environ, "TEXTUAL_FPS": "1000", "HAMISH_STORE": os.devnull},
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
