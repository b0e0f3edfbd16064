"""A CRF that learns each span layer from the store's own annotations and suggests spans with a score.

- Training data: the layer's spans in done articles (or every annotated article), tokenized with the
  tokenizer of the CoNLL export, sentence by sentence, BIO tags. A rejected suggestion is negative evidence:
  its sentence is trained on with O where nobody tagged, and the suggestion table keeps it, so the same
  text is never suggested again.
- One model per layer when the layer's spans never overlap (entities); when they do (bias techniques
  overlap), one model per label, each with its own BIO tags, so overlapping spans of two labels are both
  learned.
- The gazetteer feature (the layer's own tagged texts) is built out of fold while training: the sentences
  of one fifth of the articles see a gazetteer made from the other four fifths, so the model does not learn
  to trust a feature that is always right on its training data. At prediction it holds every tagged text.
- A fifth of the training articles is held out to measure entity-level precision, recall and F1 (exact
  span and label, as seqeval counts them); the model kept is then trained on all of them. Below a threshold
  its suggestions are switched off.
- Files: `<store>.models/<layer>.json` (what was trained on, the scores) and `<layer>[.<label>].crfsuite`,
  crfsuite's own format (no pickle). A model whose training data changed is stale; a missing or unreadable
  one is rebuilt.

python-crfsuite over sklearn-crfsuite: the same CRFsuite underneath, without scikit-learn (a large
dependency) and without pickling models (sklearn-crfsuite's way of saving them).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotations.errors import HamishError
from annotations.find.suggestions import propose, suggestions
from annotations.learn.features import gazetteer_entries, sentence_features
from annotations.store.config import Config
from annotations.store.files import atomic_output, atomic_write
from annotations.store.model import Article, Span
from annotations.store.store import Store
from annotations.text.tokenize import Token, is_invisible, sentences, tokenize

if TYPE_CHECKING:  # CRFsuite is loaded when a model is first read or trained (14 ms off every start)
    import pycrfsuite

MODEL_VERSION = 1
FOLDS = 5
MIN_SPANS = 3
"""A label with fewer spans than this gets no model of its own."""
DEFAULT_MIN_F1 = Config().recommender_min_f1
TRAINER = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}


class NoTrainingData(HamishError, ValueError):
    """Too few annotations of the layer to train on."""


@dataclass
class Scores:
    true_positives: int = 0
    predicted: int = 0
    reference: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Scores) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.reference += other.reference


def span_scores(reference: set[tuple[Any, ...]], predicted: set[tuple[Any, ...]]) -> Scores:
    """Entity-level, exact: a predicted (article, start, end, label) counts only when the reference has it."""
    return Scores(len(reference & predicted), len(predicted), len(reference))


@dataclass
class ModelInfo:
    layer: str
    kind: str
    """"single" (one model for the layer) or "per-label"."""
    labels: list[str]
    fingerprint: str
    sentences: int
    articles: int
    held_out_articles: int
    precision: float | None
    recall: float | None
    f1: float | None
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: float = 0.0
    trained_at: float = 0.0
    version: int = MODEL_VERSION


@dataclass
class Example:
    article: Article
    spans: list[Span]
    only: list[tuple[int, int]] | None = None
    """Train only on the sentences that hold these ranges (rejected suggestions in an article not done)."""


def _chosen(spans: list[Span]) -> list[Span]:
    """Longest first, no overlaps (what one BIO sequence can hold)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return kept


def tagged_sentences(example: Example, label: str | None = None) -> list[tuple[list[Token], list[str]]]:
    spans = _chosen([s for s in example.spans if label is None or s.label == label])
    text = example.article.text
    tokens = [t for t in tokenize(text, [b for s in spans for b in (s.start, s.end)]) if not is_invisible(t)]
    out = []
    for sentence in sentences(text, tokens, [(s.start, s.end) for s in spans]):
        if example.only is not None and not any(
            a < sentence[-1].end and sentence[0].start < b for a, b in example.only
        ):
            continue
        tags, previous = [], None
        for token in sentence:
            span = next((s for s in spans if s.start < token.end and token.start < s.end), None)
            tags.append("O" if span is None else ("I-" if span is previous else "B-") + span.label)
            previous = span
        out.append((sentence, tags))
    return out


def spans_from_tags(
    tokens: list[Token], tags: list[str], scores: list[float] | None = None
) -> list[tuple[int, int, str, float]]:
    """(start, end, label, mean marginal) of each B-/I- run."""
    found: list[list[Any]] = []
    for index, (token, tag) in enumerate(zip(tokens, tags, strict=True)):
        prefix, _, label = tag.partition("-")
        score = scores[index] if scores else 1.0
        if prefix == "B" or (
            prefix == "I" and (not found or found[-1][2] != label or found[-1][4] != index - 1)
        ):
            found.append([token.start, token.end, label, [score], index])
        elif prefix == "I":
            found[-1][1] = token.end
            found[-1][3].append(score)
            found[-1][4] = index
    return [(a, b, label, sum(s) / len(s)) for a, b, label, s, _ in found]


class Recommender:
    """One span layer's learned model: train, load, predict, suggest."""

    def __init__(
        self,
        store: Store,
        layer: str,
        *,
        folder: Path | None = None,
        done_only: bool = True,
        min_f1: float = DEFAULT_MIN_F1,
    ) -> None:
        self.store = store
        self.layer = layer
        self.folder = folder or store.path.with_name(store.path.name + ".models")
        self.done_only = done_only
        self.min_f1 = min_f1
        self.info: ModelInfo | None = None
        self._taggers: dict[str | None, pycrfsuite.Tagger] = {}
        self.gazetteer: dict[str, str] = {}

    # -- data ------------------------------------------------------------------------------------------------
    def examples(self) -> list[Example]:
        done = self.store.done_ids()
        out = []
        for article in self.store.articles():
            spans = [s for s in self.store.spans(article.id) if s.layer == self.layer]
            rejected = [
                (s.span.start, s.span.end)
                for s in suggestions(self.store, article.id, "rejected")
                if s.span.layer == self.layer
            ]
            if article.id in done or (not self.done_only and spans):
                out.append(Example(article, spans))
            elif rejected:
                out.append(Example(article, spans, only=rejected))
        return out

    def fingerprint(self, examples: list[Example]) -> str:
        digest = hashlib.sha1(f"{MODEL_VERSION}/{self.layer}/{self.done_only}".encode())
        for example in sorted(examples, key=lambda e: e.article.id):
            digest.update(f"{example.article.id}/{example.only}".encode())
            for s in sorted(example.spans, key=lambda s: (s.start, s.end, s.label)):
                digest.update(f"{s.start}/{s.end}/{s.label};".encode())
        return digest.hexdigest()

    # -- files -----------------------------------------------------------------------------------------------
    def _info_path(self) -> Path:
        return self.folder / f"{self.layer}.json"

    def _model_path(self, label: str | None) -> Path:
        return self.folder / (f"{self.layer}.crfsuite" if label is None else f"{self.layer}.{label}.crfsuite")

    def load(self) -> str | None:
        """Open the model files; returns why they cannot be used (missing, unreadable, other version), or
        None when loaded."""
        path = self._info_path()
        if not path.exists():
            return f"no {self.layer} model yet"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            source = raw.pop("gazetteer_source", [])
            info = ModelInfo(**raw)
            if info.version != MODEL_VERSION:
                return f"{path}: made by another version of hamish's recommender"
            taggers = {}
            for label in [None] if info.kind == "single" else info.labels:
                import pycrfsuite

                tagger = pycrfsuite.Tagger()
                tagger.open(str(self._model_path(label)))
                taggers[label] = tagger
            self.gazetteer = gazetteer_entries([tuple(pair) for pair in source])
        except (OSError, ValueError, TypeError) as error:
            return f"{path}: the {self.layer} model cannot be read ({error}); it will be rebuilt"
        self.info, self._taggers = info, taggers
        return None

    def stale(self) -> bool:
        return self.info is None or self.info.fingerprint != self.fingerprint(self.examples())

    @property
    def enabled(self) -> bool:
        """Suggest unless the held-out F1 was measured below the threshold (INCEpTION switches off bad
        recommenders); with too few articles to hold any out, it suggests while it cannot be judged."""
        return (
            self.info is not None
            and bool(self._taggers)
            and (self.info.f1 is None or self.info.f1 >= self.min_f1)
        )

    # -- training --------------------------------------------------------------------------------------------
    def train(self, examples: list[Example] | None = None, hold_out: bool = True) -> ModelInfo:
        """Train (and, with hold_out, first measure on a fifth of the articles); save; load."""
        started = time.perf_counter()
        examples = self.examples() if examples is None else examples
        spans = [s for e in examples for s in e.spans]
        overlapping = any(len(_chosen(e.spans)) < len(e.spans) for e in examples)
        counts: dict[str, int] = {}
        for s in spans:
            counts[s.label] = counts.get(s.label, 0) + 1
        labels = sorted(label for label, n in counts.items() if n >= MIN_SPANS)
        if not labels:
            raise NoTrainingData(
                f"no training data for the {self.layer} model yet (a label needs {MIN_SPANS} "
                f"spans in articles marked done)"
            )
        groups: list[str | None] = [None] if not overlapping else list(labels)
        held = [
            e
            for i, e in enumerate(sorted(examples, key=lambda e: e.article.id))
            if hold_out and i % FOLDS == FOLDS - 1
        ]
        held_ids = {id(e) for e in held}
        train = [e for e in examples if id(e) not in held_ids]
        self.folder.mkdir(parents=True, exist_ok=True)
        total, per_label = Scores(), {}
        if held and train and labels:
            for group in groups:
                # a name of its own (two trainings of one store never share it), removed once measured
                handle, name = tempfile.mkstemp(dir=self.folder, prefix=".heldout-", suffix=".crfsuite")
                os.close(handle)
                temp = Path(name)
                self._train_one(train, group, temp)
                import pycrfsuite

                tagger = pycrfsuite.Tagger()
                tagger.open(str(temp))
                gazetteer = self._gazetteer(train)
                predicted = {
                    (e.article.id, a, b, label)
                    for e in held
                    for a, b, label, _ in self._predict_with(tagger, e.article, gazetteer)
                }
                reference = {
                    (e.article.id, s.start, s.end, s.label)
                    for e in held
                    for s in e.spans
                    if group is None or s.label == group
                }
                if group is None:
                    reference = {r for r in reference if r[3] in labels}
                tagger.close()
                temp.unlink()
                for label in labels if group is None else [group]:
                    scores = span_scores(
                        {r for r in reference if r[3] == label}, {p for p in predicted if p[3] == label}
                    )
                    per_label[label] = {
                        "precision": scores.precision,
                        "recall": scores.recall,
                        "f1": scores.f1,
                        "support": scores.reference,
                    }
                    total.add(scores)
        for group in groups if labels else []:
            self._train_one(examples, group, self._model_path(group))
        measured = bool(held and train and labels)
        info = ModelInfo(
            self.layer,
            "single" if not overlapping else "per-label",
            labels,
            self.fingerprint(examples),
            sum(len(tagged_sentences(e)) for e in examples),
            len(examples),
            len(held),
            total.precision if measured else None,
            total.recall if measured else None,
            total.f1 if measured else None,
            per_label,
            time.perf_counter() - started,
            time.time(),
        )
        source = sorted({(s.text, s.label) for s in spans})
        atomic_write(
            self._info_path(), json.dumps({**asdict(info), "gazetteer_source": source}, ensure_ascii=False)
        )
        self.load()
        return info

    def _gazetteer(self, examples: list[Example]) -> dict[str, str]:
        return gazetteer_entries([(s.text, s.label) for e in examples for s in e.spans])

    def _train_one(self, examples: list[Example], label: str | None, path: Path) -> None:
        """Train one CRF; each fold's sentences see a gazetteer built from the other folds only."""
        import pycrfsuite

        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.set_params(TRAINER)
        ordered = sorted(examples, key=lambda e: e.article.id)
        for fold in range(FOLDS):
            inside = [e for i, e in enumerate(ordered) if i % FOLDS == fold]
            gazetteer = self._gazetteer([e for i, e in enumerate(ordered) if i % FOLDS != fold])
            for example in inside:
                for tokens, tags in tagged_sentences(example, label):
                    if label is not None:
                        tags = [t if t == "O" or t.endswith(f"-{label}") else "O" for t in tags]
                    trainer.append(sentence_features(tokens, gazetteer), tags)
        with atomic_output(path) as handle:  # a unique temporary name: two trainings never share one
            trainer.train(handle.name)  # CRFsuite writes the file by its name; it is then fsynced and renamed

    # -- using it --------------------------------------------------------------------------------------------
    def _predict_with(
        self, tagger: pycrfsuite.Tagger, article: Article, gazetteer: dict[str, str]
    ) -> list[tuple[int, int, str, float]]:
        text = article.text
        tokens = [t for t in tokenize(text) if not is_invisible(t)]
        found = []
        for sentence in sentences(text, tokens):
            tags = tagger.tag(sentence_features(sentence, gazetteer))
            marginals = [tagger.marginal(tag, i) for i, tag in enumerate(tags)]
            found += [f for f in spans_from_tags(sentence, tags, marginals)]
        return found

    def predict(self, article: Article) -> list[tuple[int, int, str, float]]:
        """(start, end, label, score) the model finds in an article (its score: the tags' mean marginal)."""
        if not self._taggers:
            return []
        gazetteer = {
            **self.gazetteer,
            **gazetteer_entries(
                [
                    (s.text, s.label)
                    for a in [article]
                    for s in self.store.spans(a.id)
                    if s.layer == self.layer
                ]
            ),
        }
        found = []
        for tagger in self._taggers.values():
            found += self._predict_with(tagger, article, gazetteer)
        return found

    def suggest(self, article: Article) -> int:
        """Add the model's findings in an article to its suggestions (never over a user's annotation, never
        a suggestion rejected before); returns how many are new."""
        if not self.enabled:
            return 0
        found = self.predict(article)
        new = propose(
            self.store,
            article,
            [(a, b, self.layer, label) for a, b, label, _ in found],
            "model",
            scores=[score for *_, score in found],
        )
        return len(new)


def train_in_process(store_path: Path, layer: str, done_only: bool = True) -> str | None:
    """Train in a process of its own, which reads the store from disk (every change is there already).
    CRFsuite holds Python's lock while it trains, so a thread would stall the keys; a process does not.
    Returns None, or the one line saying why it failed."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "annotations.learn.recommender",
            str(store_path),
            layer,
            "done" if done_only else "all",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    TRAINING.add(child)
    try:
        stdout, stderr = child.communicate()
    finally:
        TRAINING.discard(child)
    if child.returncode:
        lines = (stderr or stdout).strip().splitlines()
        return lines[-1] if lines else f"training the {layer} model failed (exit {child.returncode})"
    return None


TRAINING: set[subprocess.Popen[str]] = set()
"""Training processes this process started and waits for (stopped when the app quits: see stop_training)."""


def stop_training() -> None:
    """End every training this process started: on quit nobody waits for the model, and a model file is only
    ever written whole at the end of a training (the next start trains again)."""
    for child in list(TRAINING):
        child.terminate()
    for child in list(TRAINING):
        try:
            child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            child.kill()


def main() -> None:
    store_path, layer, which = sys.argv[1:4]
    store = Store(store_path, create=False, writable=False)
    try:
        info = Recommender(store, layer, done_only=which == "done").train()
    except NoTrainingData as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"layer": info.layer, "f1": info.f1, "seconds": info.seconds}))


if __name__ == "__main__":
    main()
