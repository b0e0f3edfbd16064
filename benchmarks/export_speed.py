"""Export and check speed at 50,000 annotations (targets: at most 1 s each, through the CLI).

    python benchmarks/export_speed.py

In-process: native JSONL, doccano and CoNLL. As a user runs them (a new process, bytecode cached):
`hamish export > file` and `hamish check`, wall time from the command to its exit.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bytecode import installed_env  # noqa: E402
from store_speed import build  # noqa: E402

from annotations.formats.exporters import ExportOptions, export  # noqa: E402
from annotations.store.store import Store  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.json"
        build(path, 50_000, 1_000)
        store = Store(path, annotator="bench")
        out = Path(folder) / "out.jsonl"
        times = {}
        for fmt in ("native", "doccano", "conll"):
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                with open(out, "w", encoding="utf-8") as handle:
                    for piece in export(store, ExportOptions(fmt)):
                        handle.write(piece)
                runs.append(time.perf_counter() - t0)
            times[fmt] = statistics.median(runs)
        size = out.stat().st_size
        cli = {}
        env = installed_env(folder)
        for name, arguments in (("export", ["export", "--out", str(out)]), ("check", ["check"])):
            runs = []
            for _ in range(4):  # the first run writes the bytecode: the median is of the runs after it
                t0 = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "tui.cli", "--store", str(path), *arguments],
                    check=True,
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                )
                runs.append(time.perf_counter() - t0)
            cli[name] = statistics.median(runs[1:])
    spans = 50_000
    print(
        f"{spans} annotations over 1000 articles: native JSONL {times['native']:.2f} s (target <= 1 s), "
        f"doccano {times['doccano']:.2f} s, CoNLL {times['conll']:.2f} s (median of 3; CoNLL output "
        f"{size / 1e6:.1f} MB)"
    )
    print(
        f"through the CLI: hamish export {cli['export']:.2f} s, hamish check {cli['check']:.2f} s (targets <= 1 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
