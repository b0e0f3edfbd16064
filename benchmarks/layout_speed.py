"""Layout speed: the whole sample corpus at width 80, against the `fribidi` command on the same lines.

    python benchmarks/layout_speed.py

Prints our time (cold: levels not cached; warm: a re-layout, as on a resize), fribidi's time for the very same
visual lines (one process per base direction, as a user would pipe them), and the ratios from this one run.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.store.resources import sample_corpus_dir  # noqa: E402
from annotations.text.bidi_levels import paragraph_levels  # noqa: E402
from annotations.text.layout import Layout  # noqa: E402
from annotations.text.shaping import shape  # noqa: E402

WIDTH, RUNS = 80, 15


def main() -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted(sample_corpus_dir().glob("*.txt"))]
    cold, warm = [], []
    for _ in range(RUNS):
        paragraph_levels.cache_clear()
        shape.cache_clear()
        t0 = time.perf_counter()
        layouts = [Layout(text, WIDTH) for text in texts]
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        layouts = [Layout(text, WIDTH) for text in texts]
        warm.append(time.perf_counter() - t0)
    lines = sum(len(layout.lines) for layout in layouts)
    chars = sum(len(text) for text in texts)
    ours_cold, ours_warm = statistics.median(cold), statistics.median(warm)
    print(f"sample corpus: {len(texts)} articles, {chars} code points, {lines} visual lines at width {WIDTH}")
    print(f"hamish layout, cold (levels and shaping computed): median {ours_cold * 1000:.1f} ms of {RUNS}")
    print(f"hamish layout, warm (re-wrap and reorder, as on resize): median {ours_warm * 1000:.1f} ms of {RUNS}")
    if not shutil.which("fribidi"):
        print("fribidi not found (apt-get install libfribidi-bin): no ratio")
        return 0
    batches: dict[bool, list[str]] = {True: [], False: []}
    for text in texts:
        for app, term in zip(Layout(text, WIDTH).lines, Layout(text, WIDTH, mode="terminal").lines, strict=True):
            batches[app.rtl].append(text[term.start:term.end].replace("\n", ""))
    theirs = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        for rtl, batch in batches.items():
            subprocess.run(["fribidi", "--nopad", "--nobreak", "--rtl" if rtl else "--ltr"],
                           input="\n".join(batch) + "\n", capture_output=True, text=True, check=True)
        theirs.append(time.perf_counter() - t0)
    fribidi_time = statistics.median(theirs)
    print(f"fribidi command, same {lines} lines (2 processes): median {fribidi_time * 1000:.1f} ms of {RUNS}")
    print(f"ratio hamish/fribidi: cold {ours_cold / fribidi_time:.2f}, warm {ours_warm / fribidi_time:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
