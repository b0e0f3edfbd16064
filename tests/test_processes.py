"""Several real hamish processes on one store, in both quit orders: nothing any of them saved is lost.

Each "app" here is the real `hamish` program in a pseudo-terminal, typed at like a user would; the other side
is the real command line (`hamish import`, `suggest`, `merge`) in its own process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from annotations.store.store import Store
from tests.pty_app import ROOT, PtyApp, hamish, wait_until

TAGS = 17


def spans_by(path: Path, annotator: str | None = None) -> set[tuple[str, int, int, str]]:
    store = Store(path, create=False, writable=False)
    return {
        (s.article_id, s.start, s.end, s.annotator)
        for a in store.articles()
        for s in store.spans(a.id)
        if annotator is None or s.annotator == annotator
    }


def article_ids(path: Path) -> set[str]:
    return {a.id for a in Store(path, create=False, writable=False).articles()}


def suggestion_count(path: Path) -> int:
    store = Store(path, create=False, writable=False)
    return sum(len(store.table(f"suggestions/{a.id}")) for a in store.articles())


@pytest.fixture
def shared_store(sample_store: Store) -> Path:
    sample_store.close()
    return sample_store.path


def open_app(path: Path, annotator: str) -> PtyApp:
    return PtyApp("--store", str(path), "--annotator", annotator).ready()


def tag_words(app: PtyApp, count: int) -> None:
    for _ in range(count):
        app.press("w", "1")


def corpus_file(folder: Path, name: str, count: int) -> Path:
    path = folder / f"{name}.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(
                json.dumps(
                    {
                        "id": f"{name}-{i}",
                        "title": f"{name} article {i}",
                        "text": f"خبر رقم {i} عن {name} في بغداد\n",
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return path


@pytest.mark.parametrize("second_tags", [False, True], ids=["other-idle", "both-tagging"])
@pytest.mark.parametrize("tagger_quits_first", [True, False], ids=["tagger-quits-first", "other-quits-first"])
def test_two_apps_on_one_store_lose_nothing(
    shared_store: Path, second_tags: bool, tagger_quits_first: bool
) -> None:
    mona, sami = open_app(shared_store, "mona"), open_app(shared_store, "sami")
    try:
        tag_words(mona, TAGS)
        if second_tags:
            sami.press("]")
            tag_words(sami, 5)
        wait_until(lambda: len(spans_by(shared_store, "mona")) == TAGS, what="mona's 17 tags on disk")
        if second_tags:
            wait_until(lambda: len(spans_by(shared_store, "sami")) == 5, what="sami's 5 tags on disk")
        first, second = (mona, sami) if tagger_quits_first else (sami, mona)
        assert first.quit() == 0
        assert second.quit() == 0
    finally:
        mona.close()
        sami.close()
    assert len(spans_by(shared_store, "mona")) == TAGS
    assert len(spans_by(shared_store, "sami")) == (5 if second_tags else 0)


@pytest.mark.parametrize("app_quits_first", [True, False], ids=["app-quits-first", "import-ends-first"])
def test_app_and_import_lose_nothing(shared_store: Path, tmp_path: Path, app_quits_first: bool) -> None:
    source = corpus_file(tmp_path, "wire", 1500 if app_quits_first else 3)
    app = open_app(shared_store, "mona")
    try:
        importer = subprocess.Popen(
            hamish("--store", str(shared_store), "import", str(source)),
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        tag_words(app, 3)
        if app_quits_first:
            assert app.quit() == 0
            assert importer.wait(timeout=120) == 0, importer.stderr.read()
        else:
            assert importer.wait(timeout=120) == 0, importer.stderr.read()
            app.wait_for("wire article 2", timeout=5)  # the open app shows the import within about a second
            tag_words(app, 1)
            wait_until(lambda: len(spans_by(shared_store, "mona")) == 4, what="4 tags on disk")
            assert app.quit() == 0
    finally:
        app.close()
    assert {f"wire-{i}" for i in range(1500 if app_quits_first else 3)} <= article_ids(shared_store)
    assert len(spans_by(shared_store, "mona")) == (3 if app_quits_first else 4)


@pytest.mark.parametrize("app_quits_first", [True, False], ids=["app-quits-first", "suggest-ends-first"])
def test_app_and_suggest_lose_nothing(shared_store: Path, app_quits_first: bool) -> None:
    app = open_app(shared_store, "mona")
    try:
        tag_words(app, 4)
        suggest = subprocess.Popen(
            hamish("--store", str(shared_store), "--annotator", "mona", "suggest"),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        tag_words(app, 4)
        wait_until(lambda: len(spans_by(shared_store, "mona")) == 8, what="8 tags on disk")
        if app_quits_first:
            assert app.quit() == 0
            assert suggest.wait(timeout=60) == 0, suggest.stderr.read()
        else:
            assert suggest.wait(timeout=60) == 0, suggest.stderr.read()
            assert app.quit() == 0
    finally:
        app.close()
    assert len(spans_by(shared_store, "mona")) == 8
    assert suggestion_count(shared_store) > 0


@pytest.mark.parametrize("app_quits_first", [True, False], ids=["app-quits-first", "merge-ends-first"])
def test_app_and_merge_lose_nothing(shared_store: Path, tmp_path: Path, app_quits_first: bool) -> None:
    other = tmp_path / "sami.json"
    subprocess.run(
        hamish("--store", str(other), "import", str(ROOT / "data" / "sample")),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    team = tmp_path / "out" / "team.json"
    app = open_app(shared_store, "mona")
    try:
        tag_words(app, 3)
        merge = subprocess.Popen(
            hamish("merge", str(shared_store), str(other), "--out", str(team)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        tag_words(app, 3)
        if app_quits_first:
            wait_until(lambda: len(spans_by(shared_store, "mona")) == 6, what="6 tags on disk")
            assert app.quit() == 0
            assert merge.wait(timeout=60) == 0, merge.stderr.read()
        else:
            assert merge.wait(timeout=60) == 0, merge.stderr.read()
            wait_until(lambda: len(spans_by(shared_store, "mona")) == 6, what="6 tags on disk")
            assert app.quit() == 0
    finally:
        app.close()
    assert len(spans_by(shared_store, "mona")) == 6
    checked = subprocess.run(hamish("--store", str(team), "check"), cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert len(spans_by(team)) >= 3  # what mona had saved when merge read her store, taken whole


def test_two_imports_at_once_lose_nothing(shared_store: Path, tmp_path: Path) -> None:
    first, second = corpus_file(tmp_path, "east", 800), corpus_file(tmp_path, "west", 800)
    runs = [
        subprocess.Popen(
            hamish("--store", str(shared_store), "import", str(p)),
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in (first, second)
    ]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read()
    ids = article_ids(shared_store)
    assert {f"east-{i}" for i in range(800)} | {f"west-{i}" for i in range(800)} <= ids
