"""kill -9 at random moments of `hamish import`, `suggest`, `merge` and the app (real processes): the store
always opens, passes `hamish check`, and holds everything that was acknowledged. `HAMISH_LONG=1` (set by
.ci/run) runs the long loops; by default a short version runs."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from annotations.store.store import Store
from tests.conftest import snapshot_of_store
from tests.pty_app import ROOT, PtyApp, hamish, wait_until
from tests.test_processes import corpus_file

LONG = os.environ.get("HAMISH_LONG") == "1"
ROUNDS = 12 if LONG else 3


def check_passes(path: Path) -> None:
    checked = subprocess.run(hamish("--store", str(path), "check"), cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def kill_at_random(command: list[str], rng: random.Random, most: float) -> int | None:
    """Start the command, SIGKILL it at a random moment (None if it finished first: its exit code then)."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.05, most))
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return None
    return process.returncode


def spans(path: Path) -> set[tuple[str, int, int, str]]:
    store = Store(path, create=False, writable=False)
    return {(a.id, s.start, s.end, s.label) for a in store.articles() for s in store.spans(a.id)}


def test_kill_9_during_import_is_all_or_nothing(
    sample_store: Store, store_path: Path, tmp_path: Path
) -> None:
    sample_store.close()
    rng = random.Random(13)
    for round_ in range(ROUNDS):
        source = corpus_file(tmp_path, f"batch{round_}", 600)
        code = kill_at_random(hamish("import", str(source)), rng, 2.0)
        ids = {a.id for a in Store(store_path, create=False, writable=False).articles()}
        batch = {f"batch{round_}-{i}" for i in range(600)}
        assert batch <= ids if code == 0 else (batch <= ids or not batch & ids), (
            f"round {round_}: half an import"
        )
        check_passes(store_path)


def test_kill_9_during_suggest_keeps_every_span(sample_store: Store, store_path: Path) -> None:
    article = sample_store.articles()[1]
    for start in range(0, 400, 40):
        end = start + 5
        sample_store.add_span(article, start, end, "entity", "ORG")
    kept = spans(store_path)
    sample_store.close()
    rng = random.Random(5)
    for _ in range(ROUNDS):
        kill_at_random(hamish("suggest"), rng, 1.5)
        assert spans(store_path) == kept
        check_passes(store_path)


def test_kill_9_during_merge_never_touches_the_sources(
    sample_store: Store, store_path: Path, tmp_path: Path
) -> None:
    sample_store.add_span(sample_store.articles()[0], 0, 3, "entity", "PER")
    sample_store.close()
    before = snapshot_of_store(store_path)
    rng = random.Random(3)
    for round_ in range(ROUNDS):
        out = tmp_path / f"team{round_}.json"
        code = kill_at_random(hamish("merge", str(store_path), "--out", str(out)), rng, 1.5)
        assert snapshot_of_store(store_path) == before
        if out.exists():  # a merge killed early leaves no store or an empty one, never half a merge
            merged = Store(out, create=False, writable=False)
            assert len(merged.articles()) in ((5,) if code == 0 else (0, 5))
            check_passes(out)


SAVED = re.compile(r"saved ✓ PER «[^»]*» (\d+)–(\d+)")


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_kill_9_of_the_app_keeps_every_tag_it_said_was_saved(
    round_: int, sample_store: Store, store_path: Path
) -> None:
    sample_store.close()
    rng = random.Random(round_)
    app = PtyApp("--store", str(store_path)).ready()
    try:
        app.press("w", "1")
        wait_until(lambda: "saved ✓" in app.text(), what="a first tag saved")
        for _ in range(rng.randint(2, 12)):  # then more tags, and the kill lands while some are in flight
            app.press("w", "1", pause=rng.uniform(0.01, 0.1))
        time.sleep(rng.uniform(0, 0.3))
        os.kill(app.process.pid, signal.SIGKILL)
        app.wait_exit()
    finally:
        app.close()
    acknowledged = {(int(a), int(b)) for a, b in SAVED.findall(app.text())}
    stored = {(start, end) for _, start, end, _ in spans(store_path)}
    assert acknowledged, "the app acknowledged no tag before the kill"
    assert acknowledged <= stored
    check_passes(store_path)
