"""Export speed: 50,000 annotations to native JSONL (target: at most 1 s).

    python benchmarks/export_speed.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

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
    spans = 50_000
    print(f"{spans} annotations over 1000 articles: native JSONL {times['native']:.2f} s (target <= 1 s), "
          f"doccano {times['doccano']:.2f} s, CoNLL {times['conll']:.2f} s (median of 3; CoNLL output "
          f"{size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
