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
import time
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotations.errors import HamishError
from annotations.find.suggestions import propose, suggestions
from annotations.learn.features import gazetteer_entries, sentence_features
from annotations.learn.sequences import (
    FOLDS,
    Example,
    Scores,
    chosen_spans,
    document_folds,
    span_scores,
    spans_from_tags,
    tagged_sentences,
)
from annotations.store.config import Config
from annotations.store.files import atomic_output, atomic_write
from annotations.store.model import Article
from annotations.store.store import Store
from annotations.text.tokenize import Token, is_invisible, sentences, tokenize

if TYPE_CHECKING:  # CRFsuite is loaded when a model is first read or trained (14 ms off every start)
    import pycrfsuite

MODEL_VERSION = 3
"""2: trained once on the folds outside the held-out one (by document), the schema's labels in the fingerprint;
3: fewer features (features.py), 100 iterations."""
MIN_SPANS = 3
"""A label with fewer spans than this gets no model of its own."""
HELD_OUT_MOST = 500
"""Articles held out at most (the last block): a fifth of a small corpus, fewer of a large one, so the model
kept (which never sees them) learns from more. On NewsFANE the kept model scored 0.617 trained on 80% and
0.643 on all; 500 held-out sentences still hold about 1,000 entities to measure on."""
DEFAULT_MIN_F1 = Config().recommender_min_f1
DEFAULT_THRESHOLD = Config().recommender_threshold
TRAINER = {"c1": 0.05, "c2": 0.05, "max_iterations": 100, "feature.possible_transitions": True}
"""L-BFGS with L1 and L2. 100 iterations score as 150 did on a development split of NewsFANE's training part
(0.647 against 0.642 F1) in 72% of the time; c1 = c2 = 0.1 and a stronger L2 scored lower there."""


class NoTrainingData(HamishError, ValueError):
    """Too few annotations of the layer to train on."""


@dataclass
class ModelInfo:
    layer: str
    kind: str
    """"single" (one model for the layer) or "per-label"."""
    labels: list[str]
    fingerprint: str
    sentences: int
    """Sentences the kept model was trained on."""
    articles: int
    """Articles it was trained on (the held-out ones not among them)."""
    held_out_articles: int
    precision: float | None
    """Measured on the held-out articles, by the very model kept (None: too few articles to hold any out)."""
    recall: float | None
    f1: float | None
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: float = 0.0
    trained_at: float = 0.0
    version: int = MODEL_VERSION
    done_only: bool = True
    """Trained on articles marked done (else on every annotated one)."""


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
        labels: Collection[str] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.store = store
        self.layer = layer
        self.folder = folder or store.path.with_name(store.path.name + ".models")
        self.done_only = done_only
        self.min_f1 = min_f1
        self.labels = frozenset(labels) if labels is not None else None
        """The schema's labels of the layer: no other is learned or suggested (None: every label)."""
        self.threshold = threshold
        """A span off the best path is also proposed when its tags' marginal probability reaches this."""
        self.info: ModelInfo | None = None
        self._taggers: dict[str | None, pycrfsuite.Tagger] = {}
        self.gazetteer: dict[str, str] = {}

    # -- data ------------------------------------------------------------------------------------------------
    def examples(self) -> list[Example]:
        """The training articles, in the store's order (the folds follow it)."""
        done = self.store.done_ids()
        out = []
        for article in self.store.articles():
            spans = [
                s
                for s in self.store.spans(article.id)
                if s.layer == self.layer and (self.labels is None or s.label in self.labels)
            ]
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
        labels = ",".join(sorted(self.labels)) if self.labels is not None else "*"
        digest = hashlib.sha1(f"{MODEL_VERSION}/{self.layer}/{self.done_only}/{labels}".encode())
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

    def saved_done_only(self) -> bool | None:
        """What the saved model was trained on (done articles, or every annotated one), if there is one."""
        try:
            raw = json.loads(self._info_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        value = raw.get("done_only") if isinstance(raw, dict) else None
        return value if isinstance(value, bool) else None

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
                return f"{path}: made by another version of hamish's recommender; it will be rebuilt"
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
        """Train once and save: on every article but the held-out ones (the last block of the store's order, a
        fifth or at most HELD_OUT_MOST, split by document), measured there, and kept as it is, so the score is
        the kept model's own. With too few articles for a fold, on all of them, unmeasured."""
        started = time.perf_counter()
        examples = self.examples() if examples is None else examples
        spans = [s for e in examples for s in e.spans]
        overlapping = any(len(chosen_spans(e.spans)) < len(e.spans) for e in examples)
        counts: dict[str, int] = {}
        for s in spans:
            counts[s.label] = counts.get(s.label, 0) + 1
        labels = sorted(label for label, n in counts.items() if n >= MIN_SPANS)
        if not labels:
            raise NoTrainingData(
                f"no training data for the {self.layer} model yet (a label needs {MIN_SPANS} "
                f"spans in articles {'marked done' if self.done_only else 'annotated'})"
            )
        groups: list[str | None] = [None] if not overlapping else list(labels)
        parts = max(FOLDS, -(-len(examples) // HELD_OUT_MOST))  # a fifth, or fewer past HELD_OUT_MOST each
        folds = document_folds([e.article for e in examples], parts)
        held = [e for e, fold in zip(examples, folds, strict=True) if hold_out and fold == parts - 1]
        if not any(e.spans for e in held) or len(held) == len(examples):
            held = []  # nothing to measure on, or nothing left to learn from: train on all, unmeasured
        held_ids = {id(e) for e in held}
        train = [e for e in examples if id(e) not in held_ids]
        self.folder.mkdir(parents=True, exist_ok=True)
        for group in groups:
            self._train_one(train, group, self._model_path(group))
        total, per_label = Scores(), {}
        if held:
            import pycrfsuite

            gazetteer = self._gazetteer(train)
            for group in groups:
                tagger = pycrfsuite.Tagger()
                tagger.open(str(self._model_path(group)))
                predicted = {
                    (e.article.id, a, b, label)
                    for e in held
                    for a, b, label, _ in self._predict_with(tagger, e.article, gazetteer, best_only=True)
                }
                tagger.close()
                reference = {
                    (e.article.id, s.start, s.end, s.label)
                    for e in held
                    for s in e.spans
                    if (group is None or s.label == group) and s.label in labels
                }
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
        info = ModelInfo(
            self.layer,
            "single" if not overlapping else "per-label",
            labels,
            self.fingerprint(examples),
            sum(len(tagged_sentences(e)) for e in train),
            len(train),
            len(held),
            total.precision if held else None,
            total.recall if held else None,
            total.f1 if held else None,
            per_label,
            time.perf_counter() - started,
            time.time(),
            done_only=self.done_only,
        )
        source = sorted({(s.text, s.label) for e in train for s in e.spans})
        atomic_write(
            self._info_path(), json.dumps({**asdict(info), "gazetteer_source": source}, ensure_ascii=False)
        )
        self.load()
        return info

    def _gazetteer(self, examples: list[Example]) -> dict[str, str]:
        return gazetteer_entries([(s.text, s.label) for e in examples for s in e.spans])

    def _train_one(self, examples: list[Example], label: str | None, path: Path) -> None:
        """Train one CRF; each fold's sentences see a gazetteer built from the other folds only (by document,
        as the held-out split), so the model does not learn to trust a feature always right on its data."""
        import pycrfsuite

        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.set_params(TRAINER)
        folds = document_folds([e.article for e in examples])
        for fold in range(FOLDS):
            gazetteer = self._gazetteer([e for e, f in zip(examples, folds, strict=True) if f != fold])
            for example in (e for e, f in zip(examples, folds, strict=True) if f == fold):
                for tokens, tags in tagged_sentences(example, label):
                    if label is not None:
                        tags = [t if t == "O" or t.endswith(f"-{label}") else "O" for t in tags]
                    trainer.append(sentence_features(tokens, gazetteer), tags)
        with atomic_output(path) as handle:  # a unique temporary name: two trainings never share one
            trainer.train(handle.name)  # CRFsuite writes the file by its name; it is then fsynced and renamed

    # -- using it --------------------------------------------------------------------------------------------
    def _predict_with(
        self, tagger: pycrfsuite.Tagger, article: Article, gazetteer: dict[str, str], best_only: bool = False
    ) -> list[tuple[int, int, str, float]]:
        """The best path's spans, each scored by its tags' mean marginal; and (unless `best_only`) the spans
        off that path whose tags' marginals all reach the threshold: a recommender favours recall, and the
        user judges precision."""
        text = article.text
        tokens = [t for t in tokenize(text) if not is_invisible(t)]
        found = []
        for sentence in sentences(text, tokens):
            tags = tagger.tag(sentence_features(sentence, gazetteer))
            marginals = [tagger.marginal(tag, i) for i, tag in enumerate(tags)]
            best = spans_from_tags(sentence, tags, marginals)
            found += best
            if not best_only and self.threshold < 1:
                found += likely_spans(tagger, sentence, tags, self.threshold, best)
        if self.labels is not None:
            found = [f for f in found if f[2] in self.labels]
        return found

    def predict(self, article: Article, best_only: bool = False) -> list[tuple[int, int, str, float]]:
        """(start, end, label, score) the model finds in an article: its best path, and unless `best_only`
        the likely spans off it. Only what it learned is a feature: the article's own stored spans are not
        (the answers would be among the features when it is measured)."""
        if not self._taggers:
            return []
        found = []
        for tagger in self._taggers.values():
            found += self._predict_with(tagger, article, self.gazetteer, best_only)
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


def likely_spans(
    tagger: pycrfsuite.Tagger,
    sentence: list[Token],
    tags: list[str],
    threshold: float,
    best: list[tuple[int, int, str, float]],
) -> list[tuple[int, int, str, float]]:
    """Spans the best path does not hold whose B- tag and following I- tags each have a marginal probability
    of at least `threshold` (the tagger has just tagged this sentence)."""
    known = set(tagger.labels())
    labels = {tag[2:] for tag in known if tag.startswith("B-")}
    taken = {(a, b, label) for a, b, label, _ in best}
    found = []
    for i in range(len(sentence)):
        for label in labels:
            first = tagger.marginal(f"B-{label}", i)
            if first < threshold:
                continue
            inside = f"I-{label}"
            scores, end = [first], i
            while (
                inside in known and end + 1 < len(sentence) and tagger.marginal(inside, end + 1) >= threshold
            ):
                end += 1
                scores.append(tagger.marginal(inside, end))
            span = (sentence[i].start, sentence[end].end, label)
            if span not in taken:
                taken.add(span)
                found.append((*span, sum(scores) / len(scores)))
    return found
