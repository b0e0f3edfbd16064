"""The recommenders' training while the app runs: each span layer's model trained in a process of its own (the
keys never wait), one training at a time per layer and the layers independently of each other; a request
while the layer trains is kept, and that layer trains once more when it is done (so `d d d` trains twice,
never three at once, and no layer's training cancels another's).

What is training is a fact of the sitting (`Session.training`); the status line shows it for the active
layer, with the model's held-out F1 and whether it suggests (`model_state`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.app import App

from annotations.learn.process import train_in_process
from annotations.learn.recommender import ModelInfo, Recommender
from tui.session import Session

RETRAIN_EVERY = 5
"""New tags in a layer after which its model is trained again, in the background."""


def model_state(recommender: Recommender | None, training: bool) -> str:
    """What the status line says of a layer's model: training, its held-out F1, off below the threshold."""
    if recommender is None:
        return ""
    if training:
        return "training…"
    info = recommender.info
    if info is None:
        return "none yet"
    measured = "F1 not measured" if info.f1 is None else f"held-out F1 {info.f1:.2f}"
    if recommender.enabled:
        return f"{measured}, suggesting"
    return f"{measured}, off (< {recommender.min_f1:.2f})"


class Trainings:
    """Starts and follows the trainings of one app. `app` is used for Textual's own API only (workers, calls
    from their threads); `on_change(layer, message, failed)` is told when a training starts or ends (message:
    what to say, "" when a training starts; failed: the training or its model file went wrong)."""

    def __init__(self, app: App[Any], session: Session, on_change: Callable[[str, str, bool], None]) -> None:
        self.app = app
        self.session = session
        self.on_change = on_change
        self.tags_since: dict[str, int] = {}
        """New tags per layer since its model last trained."""
        self._again: set[str] = set()

    def tagged(self, layer: str, count: int) -> None:
        """After new annotations: every few of them, the layer's model learns again."""
        if layer not in self.session.recommenders:
            return
        self.tags_since[layer] = self.tags_since.get(layer, 0) + count
        if self.tags_since[layer] >= RETRAIN_EVERY:
            self.train(layer)

    def done(self, article_id: str) -> None:
        """An article marked done is training data: each layer it has spans of learns again, and a layer with
        no model yet learns for the first time."""
        layers = {s.layer for s in self.session.store.spans(article_id)}
        for layer, recommender in self.session.recommenders.items():
            if layer in layers or recommender.info is None:
                self.train(layer)

    def check(self) -> None:
        """At start, off the keys' thread: load each model; one missing, unreadable, from another version or
        older than the annotations is trained again."""
        self.app.run_worker(self._check, thread=True, group="models")

    def _check(self) -> None:
        for layer, recommender in self.session.recommenders.items():
            problem = recommender.load()
            if self.session.store.done_ids() and (problem is not None or recommender.stale()):
                self.app.call_from_thread(self.train, layer)

    def train(self, layer: str) -> None:
        if layer in self.session.training:
            self._again.add(layer)
            return
        self.tags_since[layer] = 0
        self.session.training.add(layer)
        self.on_change(layer, "", False)
        self.app.run_worker(partial(self._train, layer), thread=True, group=f"training:{layer}")

    def _train(self, layer: str) -> None:
        recommender = self.session.recommenders[layer]
        labels = recommender.labels
        problem = train_in_process(self.session.store.path, layer, recommender.done_only, labels)
        problem = problem or recommender.load()
        self.app.call_from_thread(self._trained, layer, problem, recommender.info)

    def _trained(self, layer: str, problem: str | None, info: ModelInfo | None) -> None:
        self.session.training.discard(layer)
        message, failed = "", False  # no training data yet: the status line's "none yet" says it
        if problem is None and info is not None:
            recommender = self.session.recommenders[layer]
            message = f"{layer} model trained on {info.articles} articles: {model_state(recommender, False)}"
        elif problem is not None and "no training data" not in problem:
            message, failed = f"{layer} model: {problem}", True
        if layer in self._again:
            self._again.discard(layer)
            self.train(layer)
        self.on_change(layer, message, failed)
