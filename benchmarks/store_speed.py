"""Store speed: saving one annotation and opening the store with 50,000 annotations stored.

    python benchmarks/store_speed.py [--annotations 50000] [--articles 1000]

Builds a store of N annotations over M articles (sample-corpus texts), then measures in the same run:
- hamish: Store.add_span (journal append + fsync, the call a keypress makes) — median and p95 of 50 saves;
- hamish: opening the store (snapshot + journal replay) — median of 5 opens, before and after compaction;
- plain TinyDB with its default JSONStorage holding the same records in one table: one insert, median of 10;
and prints the ratio. Targets at 200,000 annotations (`--annotations 200000`): save median <= 2 ms and p95 <= 5 ms,
open <= 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tinydb import TinyDB  # noqa: E402

from annotations.formats.ingest import Sourced, make_article  # noqa: E402
from annotations.store.resources import sample_corpus_dir  # noqa: E402
from annotations.store.store import Store  # noqa: E402


def build(path: Path, annotations: int, articles: int) -> list:
    texts = [p.read_text(encoding="utf-8") for p in sorted(sample_corpus_dir().glob("*.txt"))]
    store = Store(path, annotator="bench")
    made = [make_article(texts[i % len(texts)] + f"\n\n#{i}", id=f"a{i:05d}") for i in range(articles)]
    store.import_articles([Sourced(a, "bench", i) for i, a in enumerate(made)])
    per_article = annotations // articles
    with store.storage.batch():
        for article in made:
            spans = []
            for k in range(per_article):
                start = (k * 37) % (len(article.text) - 10)
                spans.append(store.new_span(article, start, start + 5 + k % 4, "entity", "PER"))
            store.table(f"spans/{article.id}").insert_multiple(s.to_record() for s in spans)
    store.close()
    return made


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=50_000)
    parser.add_argument("--articles", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.json"
        t0 = time.perf_counter()
        made = build(path, args.annotations, args.articles)
        print(
            f"built {args.annotations} annotations over {args.articles} articles in "
            f"{time.perf_counter() - t0:.1f} s; store file {path.stat().st_size / 1e6:.1f} MB"
        )

        opens = []
        for _ in range(5):
            t0 = time.perf_counter()
            store = Store(path, annotator="bench")
            opens.append(time.perf_counter() - t0)
        saves = []
        for i in range(50):
            article = made[(i * 17) % len(made)]
            t0 = time.perf_counter()
            store.add_span(article, 3, 9 + i % 7, "bias", "Loaded_Language")
            saves.append((time.perf_counter() - t0) * 1000)
        saves.sort()
        journal = store.storage.journal_path.stat().st_size
        t0 = time.perf_counter()
        Store(path, annotator="bench")
        open_with_journal = time.perf_counter() - t0
        total = sum(store.span_counts().values())

        # Plain TinyDB, default JSONStorage, the same records in one table.
        plain_path = Path(folder) / "plain.json"
        records = [
            doc
            for name, table in json.loads(path.read_text(encoding="utf-8")).items()
            if name.startswith("spans/")
            for doc in table.values()
        ]
        plain_path.write_text(
            json.dumps({"annotations": {str(i + 1): r for i, r in enumerate(records)}}, ensure_ascii=False),
            encoding="utf-8",
        )
        plain = TinyDB(plain_path).table("annotations")
        plain_saves = []
        for _ in range(10):
            record = dict(records[0], id=uuid.uuid4().hex)
            t0 = time.perf_counter()
            plain.insert(record)
            plain_saves.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        len(TinyDB(plain_path).table("annotations"))
        plain_open = time.perf_counter() - t0

    ours = statistics.median(saves)
    theirs = statistics.median(plain_saves)
    print(f"annotations stored: {total}")
    print(
        f"hamish save one annotation: median {ours:.2f} ms, p95 {saves[int(len(saves) * 0.95) - 1]:.2f} ms "
        f"(targets at 200,000 annotations: median <= 2 ms, p95 <= 5 ms)"
    )
    print(
        f"hamish open: median {statistics.median(opens) * 1000:.0f} ms after compaction, "
        f"{open_with_journal * 1000:.0f} ms with a {journal / 1e3:.0f} kB journal to replay (target at 200,000: <= 0.5 s)"
    )
    print(
        f"plain TinyDB (default JSONStorage) save one: median {theirs:.1f} ms; open {plain_open * 1000:.0f} ms"
    )
    print(f"ratio hamish/plain TinyDB for one save: {ours / theirs:.3f} ({theirs / ours:.0f}x faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
