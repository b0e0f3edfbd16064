"""Learning curves of the recommender on real data, with the baselines beside them, in one run:

- NewsFANE (coarse PER/ORG/GPE/LOC/MISC through data/label-maps/newsfane.toml): train on the first 100, 250,
  500, 1,000, 2,000 and all-but-the-last-20% sentences, test on the last 20%; entity-level micro F1 and per
  label (exact span and label, seqeval's definition), training time; the gazetteer-only baseline (the user's
  entities found again by the search, as hamish's gazetteer suggestions do) from the same training sentences.
- ArMPro dev, bias layer, split by article (page): the same, with the bias-lexicon baseline.
- Keystroke to frame written (p50/p95, TEXTUAL_FPS=1000) on a 5,000-word article with and without a model
  training in the background.

    python benchmarks/learning_curve.py [--skip-keys]

Reads ../shared/external (not shipped). Goal: NewsFANE F1 >= 0.75 at the largest size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TEXTUAL_FPS", "1000")

from annotations.find.search import find, fold  # noqa: E402
from annotations.find.suggestions import load_lexicon  # noqa: E402
from annotations.formats.importers import read  # noqa: E402
from annotations.formats.importing import import_records  # noqa: E402
from annotations.learn.recommender import Recommender  # noqa: E402
from annotations.learn.sequences import Example, Scores, span_scores  # noqa: E402
from annotations.store.schema import load_schema  # noqa: E402
from annotations.store.store import Store  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"


def scores_by_label(reference: set[tuple], predicted: set[tuple]) -> tuple[Scores, dict[str, Scores]]:
    labels = sorted({r[-1] for r in reference} | {p[-1] for p in predicted})
    per = {
        label: span_scores({r for r in reference if r[-1] == label}, {p for p in predicted if p[-1] == label})
        for label in labels
    }
    micro = Scores()
    for s in per.values():
        micro.add(s)
    return micro, per


def gazetteer_baseline(train: list[Example], test: list[Example], layer: str) -> set[tuple]:
    entities: dict[str, str] = {}
    for example in train:
        for span in example.spans:
            if span.layer == layer and len(span.text.strip()) > 1:
                entities.setdefault(span.text.strip(), span.label)
    return lexicon_matches(list(entities.items()), test)


def lexicon_matches(terms: list[tuple[str, str]], test: list[Example]) -> set[tuple]:
    found = set()
    for example in test:
        text = example.article.text
        folded = fold(text)
        for term, label in terms:
            for match in find(text, term, folded):
                start = match.start
                while start > 0 and unicodedata.category(text[start - 1]) == "Cf":
                    start -= 1  # a leading LRM belongs to its word, as in the tokens the gold spans cover
                found.add((example.article.id, start, match.end, label))
    return found


def curve(
    name: str,
    store: Store,
    layer: str,
    examples: list[Example],
    test: list[Example],
    sizes: list[int],
    baseline,
) -> None:
    reference = {(e.article.id, s.start, s.end, s.label) for e in test for s in e.spans if s.layer == layer}
    print(
        f"\n{name}: {len(examples)} training articles available, {len(test)} test articles, "
        f"{len(reference)} test spans"
    )
    print(
        f"{'train':>7} {'model F1':>9} {'P':>6} {'R':>6} {'baseline F1':>12} {'train s':>8}  per label (model F1)"
    )
    for size in sizes:
        train = examples[:size]
        recommender = Recommender(store, layer, folder=Path(tempfile.mkdtemp()))
        started = time.perf_counter()
        recommender.train(train, hold_out=False)
        seconds = time.perf_counter() - started
        predicted = {
            (e.article.id, a, b, label)
            for e in test
            for a, b, label, _ in recommender.predict(e.article, True)
        }
        micro, per = scores_by_label(reference, predicted)
        base, _ = scores_by_label(reference, baseline(train, test))
        labels = ", ".join(f"{label} {s.f1:.2f}" for label, s in per.items() if s.reference)
        print(
            f"{size:>7} {micro.f1:9.3f} {micro.precision:6.3f} {micro.recall:6.3f} {base.f1:12.3f} {seconds:8.1f}"
            f"  {labels}"
        )


def newsfane(folder: Path) -> None:
    source = EXTERNAL / "newsfane" / "NewsFANE_Gold_2014_170K.txt"
    store = Store(folder / "newsfane.json", annotator="gold")
    label_map = tomllib.loads((ROOT / "data" / "label-maps" / "newsfane.toml").read_text(encoding="utf-8"))[
        "map"
    ]
    import_records(store, read([source], "conll"), load_schema(), label_map)
    articles = store.articles()  # one sentence each, in the file's order
    examples = [Example(a, store.spans(a.id)) for a in articles]
    cut = int(len(examples) * 0.8)
    sizes = [n for n in (100, 250, 500, 1000, 2000) if n < cut] + [cut]
    curve(
        "NewsFANE, entity layer",
        store,
        "entity",
        examples[:cut],
        examples[cut:],
        sizes,
        lambda train, test: gazetteer_baseline(train, test, "entity"),
    )


def armpro(folder: Path) -> None:
    source = EXTERNAL / "armpro" / "ArMPro_span_dev_V2.jsonl"
    store = Store(folder / "armpro.json", annotator="gold")
    import_records(store, read([source], "armpro"), load_schema())
    pages: dict[str, list[Example]] = {}
    for article in store.articles():
        pages.setdefault(article.meta.get("page_id") or article.id, []).append(
            Example(article, store.spans(article.id))
        )
    ordered = list(pages.values())
    cut = int(len(ordered) * 0.8)
    train = [e for page in ordered[:cut] for e in page]
    test = [e for page in ordered[cut:] for e in page]
    sizes = [n for n in (50, 100, 200, 400) if n < len(train)] + [len(train)]
    lexicon = load_lexicon()
    curve(
        "ArMPro dev, bias layer (split by page)",
        store,
        "bias",
        train,
        test,
        sizes,
        lambda _train, test_: lexicon_matches(lexicon, test_),
    )


async def keystrokes(training: bool) -> list[float]:
    from annotations.formats.ingest import Sourced, make_article
    from benchmarks.keystroke import long_article, timed_app

    latencies: list[float] = []
    TimedApp = timed_app(latencies)  # noqa: N806  (a class)

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store.json", annotator="bench")
        store.import_articles([Sourced(make_article(long_article(), id="long", title="long"), "bench", 1)])
        trainer = None
        if training:  # a real training run of the same kind the app starts, on NewsFANE, beside the keys
            trainer = subprocess.Popen(
                [sys.executable, __file__, "--train-only", str(Path(folder) / "n")], stdout=subprocess.DEVNULL
            )
            time.sleep(3)
        app = TimedApp(store, pre_annotate=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for key in ["w"] * 60 + ["left"] * 60 + ["down"] * 40 + ["pagedown"] * 10:
                await pilot.press(key)
                await pilot.pause()
        if trainer:
            still = trainer.poll() is None
            trainer.kill()
            trainer.wait()
            print(f"  (training was {'still running' if still else 'over'} when the keys ended)")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-keys", action="store_true")
    parser.add_argument("--train-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.train_only:
        args.train_only.mkdir(parents=True, exist_ok=True)
        newsfane(args.train_only)
        return
    with tempfile.TemporaryDirectory() as folder:
        newsfane(Path(folder))
        armpro(Path(folder))
    if not args.skip_keys:
        print("\nkeystroke -> frame written, 5,000-word article, TEXTUAL_FPS=1000:")
        for training in (False, True):
            times = sorted(asyncio.run(keystrokes(training)))
            p95 = times[max(int(len(times) * 0.95) - 1, 0)]
            print(
                f"  {'with' if training else 'without'} training beside: p50 {statistics.median(times):.2f} ms, "
                f"p95 {p95:.2f} ms over {len(times)} keys"
            )


if __name__ == "__main__":
    main()
