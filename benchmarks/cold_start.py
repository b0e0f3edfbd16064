"""Cold start: from `python` to the first frame drawn, hamish on the sample corpus against a bare Textual app
showing one Static, in the same run (both headless, each in a new process, interleaved).

    python benchmarks/cold_start.py [RUNS]

Prints the median wall time of each and the ratio hamish / bare Textual (the target is 1.5x).

Both run with bytecode caches, as an installed program does: Textual's are written when pip installs it,
hamish's on its first run. Where PYTHONDONTWRITEBYTECODE is set (as on this machine) hamish alone would
compile its sources on every start (~55 ms), so both use a bytecode folder of their own (PYTHONPYCACHEPREFIX),
filled by the warm-up runs. `--no-bytecode` measures both compiling every module on every start instead.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import installed_env  # benchmarks/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True, size=(120, 40))
"""

HAMISH = """
import sys
from tui.collector import make_collections_rare
make_collections_rare(freeze=False)  # as `hamish` does first (tui/cli/__init__.py)
from annotations.store.store import Store
from tui.app import HamishApp

class FirstFrame(HamishApp):
    def on_mount(self):
        self.set_interval(0.002, self.drawn)

    def drawn(self):
        # The main screen opens its article after its first refresh: once it is open, the next frame is the
        # article on screen.
        main = getattr(self, "main", None)
        if main is not None and main.is_mounted and main.view.article is not None:
            main.call_after_refresh(self.exit)

# argv[2] "article": exit on the frame that first shows the article (its suggestions, computed a frame later,
# are left out: pre-annotation off); "suggestions": exit once the gazetteer and lexicon suggestions are drawn.
app = FirstFrame(Store(sys.argv[1]), recommend=False, pre_annotate=sys.argv[2] == "suggestions")
make_collections_rare()  # and as tui/run.py does before the app runs: what start-up made is frozen
app.run(headless=True, size=(120, 40))
"""


ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def seconds(code: str, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT, capture_output=True, env=ENV)
    return time.perf_counter() - started


def main() -> int:
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(arguments[0]) if arguments else 9
    with tempfile.TemporaryDirectory() as folder:
        if "--no-bytecode" in sys.argv:
            ENV["PYTHONDONTWRITEBYTECODE"] = "1"
            ENV["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "empty")  # no cache is found, none is written
        else:
            ENV.clear()
            ENV.update(installed_env(folder, PYTHONPATH=str(ROOT)))
        store_path = Path(folder) / "store.json"
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys\nfrom annotations.store.store import Store\n"
                "from annotations.formats.ingest import read_articles\n"
                "from annotations.store.resources import sample_corpus_dir\n"
                "Store(sys.argv[1]).import_articles(read_articles([sample_corpus_dir()]))",
                str(store_path),
            ],
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        env_home = {"XDG_STATE_HOME": folder}
        os.environ.update(env_home)
        bare, ours, full = [], [], []
        for _ in range(2):  # warm the file cache (and write the bytecode) for both before measuring
            seconds(BARE)
            seconds(HAMISH, str(store_path), "article")
        for _ in range(runs):
            bare.append(seconds(BARE))
            ours.append(seconds(HAMISH, str(store_path), "article"))
            full.append(seconds(HAMISH, str(store_path), "suggestions"))
    b, h, f = statistics.median(bare), statistics.median(ours), statistics.median(full)
    print(f"bare Textual app (one Static), python to first frame: median {b * 1000:.0f} ms of {runs}")
    print(f"hamish on the sample corpus, python to the article drawn: median {h * 1000:.0f} ms of {runs}")
    print(f"hamish, python to the article's suggestions drawn too (a frame later): median {f * 1000:.0f} ms")
    print(
        f"ratio hamish / bare Textual: {h / b:.2f} (target 1.5); with suggestions {f / b:.2f}"
        + ("  [without bytecode caches]" if "--no-bytecode" in sys.argv else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
