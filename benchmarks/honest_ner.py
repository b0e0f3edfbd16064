"""The recommender's entity figures on NewsFANE, honest, with the baselines beside them, in one run:

- Split by document group: NewsFANE's sentences carry no document ids, so contiguous blocks of the file's
  order; the last 20% is the test set, read into a store of its own (as `hamish evaluate` does), so no test
  span, text or count is ever in the store, gazetteer or statistics a model sees.
- hamish's CRF, trained as the app trains it (`Recommender.train` on the training store, every article done):
  its in-app held-out estimate (the last fifth of the training articles) and its true test score, and the
  training time.
- A textbook CRF on the same sentences and tokens: the features of sklearn-crfsuite's tutorial (the lowered
  word, its last 2 and 3 characters, upper/title/digit flags, the same of each neighbour, BOS/EOS),
  c1 = c2 = 0.1, 100 iterations, all possible transitions; its test score and training time.
- The gazetteer baseline: the training entities found again by the search (hamish's gazetteer suggestions).
- The learning curve of hamish's CRF at 100, 250, 500, 1,000, 2,000 and every training sentence.

Ratios are of this one run (the machine is shared and noisy). Reads ../shared/external (not shipped).

    python benchmarks/honest_ner.py [--no-curve]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.formats.importers import read  # noqa: E402
from annotations.formats.importing import import_records  # noqa: E402
from annotations.learn.features import visible  # noqa: E402
from annotations.learn.recommender import Recommender  # noqa: E402
from annotations.learn.sequences import Example, spans_from_tags, tagged_sentences  # noqa: E402
from annotations.store.schema import load_schema  # noqa: E402
from annotations.store.store import Store  # noqa: E402
from annotations.text.tokenize import Token, is_invisible, sentences, tokenize  # noqa: E402
from benchmarks.learning_curve import gazetteer_baseline  # noqa: E402
from benchmarks.learning_curve import scores_by_label as micro  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"
SOURCE = EXTERNAL / "newsfane" / "NewsFANE_Gold_2014_170K.txt"


def textbook_features(tokens: list[Token]) -> list[list[str]]:
    """sklearn-crfsuite's tutorial features (without its POS tags, which NewsFANE has not)."""

    def of(word: str, prefix: str) -> list[str]:
        return [
            f"{prefix}word.lower={word.lower()}",
            f"{prefix}word.istitle={word.istitle()}",
            f"{prefix}word.isupper={word.isupper()}",
        ]

    words = [visible(t.text) for t in tokens]
    out = []
    for i, word in enumerate(words):
        features = ["bias", *of(word, ""), f"word[-3:]={word[-3:]}", f"word[-2:]={word[-2:]}"]
        features.append(f"word.isdigit={word.isdigit()}")
        features += of(words[i - 1], "-1:") if i > 0 else ["BOS"]
        features += of(words[i + 1], "+1:") if i + 1 < len(words) else ["EOS"]
        out.append(features)
    return out


def textbook_crf(train: list[Example], test: list[Example], folder: Path) -> tuple[set[tuple], float]:
    import pycrfsuite

    started = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params({"c1": 0.1, "c2": 0.1, "max_iterations": 100, "feature.possible_transitions": True})
    for example in train:
        for tokens, tags in tagged_sentences(example):
            trainer.append(textbook_features(tokens), tags)
    path = folder / "textbook.crfsuite"
    trainer.train(str(path))
    seconds = time.perf_counter() - started
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    predicted = set()
    for example in test:
        text = example.article.text
        tokens = [t for t in tokenize(text) if not is_invisible(t)]
        for sentence in sentences(text, tokens):
            tags = tagger.tag(textbook_features(sentence))
            predicted |= {
                (example.article.id, a, b, label) for a, b, label, _ in spans_from_tags(sentence, tags)
            }
    return predicted, seconds


def stores(folder: Path) -> tuple[Store, Store]:
    """The training store (every article done) and the test store, each with only its own articles."""
    label_map = tomllib.loads((ROOT / "data" / "label-maps" / "newsfane.toml").read_text(encoding="utf-8"))[
        "map"
    ]
    records = list(read([SOURCE], "conll"))
    cut = int(len(records) * 0.8)
    train = Store(folder / "train.json", annotator="gold")
    import_records(train, records[:cut], load_schema(), label_map)
    for article in train.articles():
        train.set_done(article.id)
    test = Store(folder / "test.json", annotator="gold")
    import_records(test, records[cut:], load_schema(), label_map)
    return train, test


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-curve", action="store_true")
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is not here (../shared/external)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        train_store, test_store = stores(folder)
        examples = [Example(a, train_store.spans(a.id)) for a in train_store.articles()]
        test = [Example(a, test_store.spans(a.id)) for a in test_store.articles()]
        reference = {(e.article.id, s.start, s.end, s.label) for e in test for s in e.spans}
        print(
            f"NewsFANE, entity layer: {len(examples)} training sentences, {len(test)} test sentences "
            f"(the file's last 20%, a store of their own), {len(reference)} test spans"
        )
        recommender = Recommender(train_store, "entity", folder=folder / "models")
        info = recommender.train()
        predicted = {
            (e.article.id, a, b, label)
            for e in test
            for a, b, label, _ in recommender.predict(e.article, True)
        }
        ours, per = micro(reference, predicted)
        book, book_seconds = textbook_crf(examples, test, folder)
        theirs, _ = micro(reference, book)
        base, _ = micro(reference, gazetteer_baseline(examples, test, "entity"))
        print(f"{'':28} {'F1':>6} {'P':>6} {'R':>6} {'train s':>8}")
        print(
            f"{'hamish CRF (as the app)':28} {ours.f1:6.3f} {ours.precision:6.3f} {ours.recall:6.3f} "
            f"{info.seconds:8.1f}   trained on {info.articles} sentences, {info.held_out_articles} held out"
        )
        print(
            f"{'textbook CRF (all training)':28} {theirs.f1:6.3f} {theirs.precision:6.3f} {theirs.recall:6.3f} {book_seconds:8.1f}"
        )
        print(f"{'gazetteer baseline':28} {base.f1:6.3f} {base.precision:6.3f} {base.recall:6.3f}")
        print("per label (hamish): " + ", ".join(f"{k} {v.f1:.2f}" for k, v in per.items() if v.reference))
        estimate = info.f1 if info.f1 is not None else float("nan")
        print(
            f"in-app held-out estimate {estimate:.3f}; true test {ours.f1:.3f}; off by {abs(estimate - ours.f1):.3f}"
        )
        print(f"training time, hamish / textbook: {info.seconds / book_seconds:.2f}x")
        if args.no_curve:
            return
        print("\nlearning curve (hamish CRF, trained on the first N training sentences, no hold-out):")
        for size in [n for n in (100, 250, 500, 1000, 2000) if n < len(examples)] + [len(examples)]:
            curve = Recommender(train_store, "entity", folder=Path(tempfile.mkdtemp(dir=folder)))
            started = time.perf_counter()
            curve.train(examples[:size], hold_out=False)
            seconds = time.perf_counter() - started
            found = {
                (e.article.id, a, b, label) for e in test for a, b, label, _ in curve.predict(e.article, True)
            }
            scores, _ = micro(reference, found)
            print(
                f"{size:>6} F1 {scores.f1:.3f}  P {scores.precision:.3f}  R {scores.recall:.3f}  {seconds:6.1f} s"
            )


if __name__ == "__main__":
    main()
