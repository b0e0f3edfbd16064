"""Choosing the recommender's settings without touching a test set: NewsFANE's training part (the file's first
80%) is cut again, its first 80% to train on and its last 20% to score (contiguous blocks, as the held-out
split). Each trial swaps one setting in this process only (the features, the trainer, the suggestions'
threshold) and prints dev F1 and training time, in one run:

    python benchmarks/dev_split.py [TRIAL ...]     (default: every trial)

Trials: current, iterations150, folded-neighbours, raw-word, frequency, context, context-rare, threshold.
benchmarks/honest_ner.py reports the test figures of the settings kept. Reads ../shared/external.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import annotations.learn.features as features  # noqa: E402
import annotations.learn.recommender as recommender  # noqa: E402
from annotations.find.search import fold  # noqa: E402
from annotations.learn.sequences import Example  # noqa: E402
from benchmarks.honest_ner import SOURCE, stores  # noqa: E402
from benchmarks.learning_curve import scores_by_label  # noqa: E402


@contextmanager
def swapped(module: Any, name: str, value: Any) -> Iterator[None]:
    kept = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, kept)


def main() -> None:
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is not here (../shared/external)")
    folder = Path(tempfile.mkdtemp())
    train_store, _ = stores(folder)  # the test part stays in its own store, unread here
    examples = [Example(a, train_store.spans(a.id)) for a in train_store.articles()]
    cut = int(len(examples) * 0.8)
    fit, dev = examples[:cut], examples[cut:]
    reference = {(e.article.id, s.start, s.end, s.label) for e in dev for s in e.spans}
    counts: Counter[str] = Counter()
    left: defaultdict[str, Counter[str]] = defaultdict(Counter)
    right: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for example in fit:  # corpus statistics of the texts trained on only
        words = [fold(features.visible(w)).text for w in example.article.text.split()]
        counts.update(words)
        for i, word in enumerate(words):
            if i:
                left[word][words[i - 1]] += 1
            if i + 1 < len(words):
                right[word][words[i + 1]] += 1
    plain = features.token_facts

    def frequency(token: Any, gazetteer: dict[str, str]) -> dict[str, str]:
        facts = plain(token, gazetteer)
        facts["freq"] = str(min(counts.get(facts["f"], 0).bit_length(), 8))
        return facts

    def context(most: int | None) -> Callable[[Any, dict[str, str]], dict[str, str]]:
        def facts_of(token: Any, gazetteer: dict[str, str]) -> dict[str, str]:
            facts = plain(token, gazetteer)
            word = facts["f"]
            if most is None or counts.get(word, 0) <= most:
                if left.get(word):
                    facts["cl"] = left[word].most_common(1)[0][0]
                if right.get(word):
                    facts["cr"] = right[word].most_common(1)[0][0]
            return facts

        return facts_of

    def trial(name: str, thresholds: tuple[float, ...] = (1.0,)) -> None:
        model = recommender.Recommender(train_store, "entity", folder=Path(tempfile.mkdtemp(dir=folder)))
        started = time.perf_counter()
        model.train(fit, hold_out=False)
        seconds = time.perf_counter() - started
        for threshold in thresholds:
            model.threshold = threshold
            found = {
                (e.article.id, a, b, label)
                for e in dev
                for a, b, label, _ in model.predict(e.article, best_only=threshold >= 1)
            }
            m, _ = scores_by_label(reference, found)
            shown = name if len(thresholds) == 1 else f"{name} >= {threshold:.1f}"
            print(
                f"{shown:34} F1 {m.f1:.3f}  P {m.precision:.3f}  R {m.recall:.3f}  {seconds:6.1f} s",
                flush=True,
            )

    trials: dict[str, Callable[[], None]] = {
        "current": lambda: trial("current settings"),
        "iterations150": lambda: _with(
            recommender,
            "TRAINER",
            {**recommender.TRAINER, "max_iterations": 150},
            lambda: trial("150 iterations"),
        ),
        "folded-neighbours": lambda: _with(
            features,
            "NEIGHBOUR_FACTS",
            ("w", "f", "stem", "shape", "gaz"),
            lambda: trial("neighbours' folded form too"),
        ),
        "raw-word": lambda: _with(
            features, "OWN_FACTS_LEFT_OUT", (), lambda: trial("the token's raw word too")
        ),
        "frequency": lambda: _with(
            features, "token_facts", frequency, lambda: trial("corpus frequency band")
        ),
        "context": lambda: _with(
            features, "token_facts", context(None), lambda: trial("neighbours in the corpus")
        ),
        "context-rare": lambda: _with(
            features, "token_facts", context(5), lambda: trial("the same, words seen <= 5")
        ),
        "threshold": lambda: trial("suggestions' threshold", (1.0, 0.5, 0.4, 0.3, 0.2, 0.1)),
    }
    print(
        f"NewsFANE training part: {len(fit)} sentences to train on, {len(dev)} to score ({len(reference)} spans)"
    )
    for name in sys.argv[1:] or list(trials):
        trials[name]()


def _with(module: Any, name: str, value: Any, run: Callable[[], None]) -> None:
    with swapped(module, name, value):
        run()


if __name__ == "__main__":
    main()
