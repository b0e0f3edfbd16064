"""Layout speed: the whole sample corpus at width 80, and a 2 MB article, against the `fribidi` command on the
same lines.

    python benchmarks/layout_speed.py

Every line is laid out and drawn (its text made), as `hamish show` does. Prints our time (cold: levels not
cached; warm: a re-layout, as on a resize) and microseconds per code point, fribidi's time for the very same
visual lines (one process per base direction, as a user would pipe them), and the ratios from this one run.
For the 2 MB article also `hamish show` as a command: the time to its first line and to its last.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.store.resources import sample_corpus_dir  # noqa: E402
from annotations.text.bidi_levels import paragraph_levels  # noqa: E402
from annotations.text.layout import Layout  # noqa: E402
from annotations.text.shaping import shape  # noqa: E402
from benchmarks.bytecode import installed_env  # noqa: E402

WIDTH, RUNS = 80, 15


def main() -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted(sample_corpus_dir().glob("*.txt"))]
    cold, warm = [], []
    for _ in range(RUNS):
        paragraph_levels.cache_clear()
        shape.cache_clear()
        t0 = time.perf_counter()
        layouts = [drawn(Layout(text, WIDTH)) for text in texts]
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        layouts = [drawn(Layout(text, WIDTH)) for text in texts]
        warm.append(time.perf_counter() - t0)
    lines = sum(len(layout.lines) for layout in layouts)
    chars = sum(len(text) for text in texts)
    ours_cold, ours_warm = statistics.median(cold), statistics.median(warm)
    print(f"sample corpus: {len(texts)} articles, {chars} code points, {lines} visual lines at width {WIDTH}")
    print(f"hamish layout, cold (levels and shaping computed): median {ours_cold * 1000:.1f} ms of {RUNS}")
    print(
        f"hamish layout, warm (re-wrap and reorder, as on resize): median {ours_warm * 1000:.1f} ms of {RUNS}"
    )
    if not shutil.which("fribidi"):
        print("fribidi not found (apt-get install libfribidi-bin): no ratio")
        return 0
    batches: dict[bool, list[str]] = {True: [], False: []}
    for text in texts:
        for app, term in zip(
            Layout(text, WIDTH).lines, Layout(text, WIDTH, mode="terminal").lines, strict=True
        ):
            batches[app.rtl].append(text[term.start : term.end].replace("\n", ""))
    theirs = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        for rtl, batch in batches.items():
            subprocess.run(
                ["fribidi", "--nopad", "--nobreak", "--rtl" if rtl else "--ltr"],
                input="\n".join(batch) + "\n",
                capture_output=True,
                text=True,
                check=True,
            )
        theirs.append(time.perf_counter() - t0)
    fribidi_time = statistics.median(theirs)
    print(f"fribidi command, same {lines} lines (2 processes): median {fribidi_time * 1000:.1f} ms of {RUNS}")
    print(f"ratio hamish/fribidi: cold {ours_cold / fribidi_time:.2f}, warm {ours_warm / fribidi_time:.2f}")
    big_article()
    return 0


def drawn(layout: Layout) -> Layout:
    """Lay out and draw every line (a Layout on its own is lazy)."""
    for line in layout.lines:
        line.text  # noqa: B018  (drawing the line is the work measured)
    return layout


def fribidi_seconds(layout: Layout, text: str) -> float:
    batches: dict[bool, list[str]] = {True: [], False: []}
    terminal = Layout(text, layout.width, mode="terminal")
    for app, term in zip(layout.lines, terminal.lines, strict=True):
        batches[app.rtl].append(text[term.start : term.end].replace("\n", ""))
    t0 = time.perf_counter()
    for rtl, batch in batches.items():
        subprocess.run(
            ["fribidi", "--nopad", "--nobreak", "--rtl" if rtl else "--ltr"],
            input="\n".join(batch) + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
    return time.perf_counter() - t0


def big_article() -> None:
    from benchmarks.keystroke import article_of

    text = article_of("2MB")
    t0 = time.perf_counter()
    layout = drawn(Layout(text, WIDTH))
    ours = time.perf_counter() - t0
    print(
        f"2 MB article: {len(text):,} code points, {len(layout.lines):,} lines: hamish layout {ours:.2f} s = "
        f"{ours / len(text) * 1e6:.2f} us per code point (the collector at Python's default pace)"
    )
    import gc

    from tui.collector import YOUNG_COLLECTION_EVERY

    default = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 50, 100)
    paragraph_levels.cache_clear()
    shape.cache_clear()
    t0 = time.perf_counter()
    drawn(Layout(text, WIDTH))
    paced = time.perf_counter() - t0
    gc.set_threshold(*default)
    print(
        f"  the same with the collector at hamish's pace (tui/collector.py, as the app and hamish show run): "
        f"{paced:.2f} s = {paced / len(text) * 1e6:.2f} us per code point"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        path.write_text(text, encoding="utf-8")
        env = installed_env(folder)  # as an installed hamish runs; the tiny first run writes the bytecode
        command = [
            sys.executable,
            "-c",
            "from tui.cli import main; main()",
            "show",
            str(path),
            "--width",
            str(WIDTH),
        ]
        tiny = Path(folder) / "tiny.txt"
        tiny.write_text("قال الكاظمي (Reuters) 2021", encoding="utf-8")
        subprocess.run([*command[:-3], str(tiny)], cwd=ROOT, env=env, capture_output=True, check=True)
        t0 = time.perf_counter()
        show = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT, env=env)
        show.stdout.readline()
        first = time.perf_counter() - t0
        show.stdout.read()
        show.wait()
        whole = time.perf_counter() - t0
    print(f"hamish show (a process): first line after {first * 1000:.0f} ms, all {whole:.2f} s")
    if shutil.which("fribidi"):
        theirs = fribidi_seconds(layout, text)
        print(
            f"fribidi, same lines: {theirs:.2f} s; ratio hamish show/fribidi {whole / theirs:.1f}, "
            f"in-process layout/fribidi {ours / theirs:.1f}"
        )


if __name__ == "__main__":
    sys.exit(main())
