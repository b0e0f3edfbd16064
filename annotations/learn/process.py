"""A model trained in a process of its own, for the app: CRFsuite holds Python's lock while it trains, so a
thread would stall the keys; a process does not. `python -m annotations.learn.process STORE LAYER done|all
LABELS` is that process; the processes this one started are stopped when it quits (`stop_training`)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path

from annotations.learn.recommender import NoTrainingData, Recommender
from annotations.store.store import Store


def train_in_process(
    store_path: Path, layer: str, done_only: bool = True, labels: Collection[str] | None = None
) -> str | None:
    """Train in a process of its own, which reads the store from disk (every change is there already).
    CRFsuite holds Python's lock while it trains, so a thread would stall the keys; a process does not.
    Returns None, or the one line saying why it failed."""
    argv = [sys.executable, "-m", "annotations.learn.process", str(store_path), layer]
    argv += ["done" if done_only else "all", json.dumps(sorted(labels) if labels is not None else None)]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
    store_path, layer, which, *rest = sys.argv[1:]
    labels = json.loads(rest[0]) if rest else None
    store = Store(store_path, create=False, writable=False)
    try:
        info = Recommender(store, layer, done_only=which == "done", labels=labels).train()
    except NoTrainingData as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"layer": info.layer, "f1": info.f1, "seconds": info.seconds}))


if __name__ == "__main__":
    main()
