"""Faults under a running hamish: a write the disk refuses, a store deleted while open, keys typed while it
quits, a terminal closed under it. What was acknowledged stays; what was not is said ("not saved"); the app
keeps running or ends cleanly, never with a traceback, never left running."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations.formats.ingest import read_articles
from annotations.store import storage as storage_module
from annotations.store.resources import sample_corpus_dir
from annotations.store.store import NotSaved, Store
from tests.conftest import snapshot_of_store
from tests.pty_app import ROOT, PtyApp, hamish, pilot_until, wait_until
from tui.app import HamishApp
from tui.widgets.article_view import ArticleView
from tui.widgets.status_bar import StatusBar


# -- a disk that refuses (injected at the write layer) ----------------------------------------------------------
class Refusing:
    """os.fsync that fails with `code` while `on` is set: what a full disk, a quota or an I/O error does."""

    def __init__(self, code: int = errno.ENOSPC) -> None:
        self.code, self.on, self.fsync = code, False, os.fsync

    def __call__(self, fd: int) -> None:
        if self.on:
            raise OSError(self.code, os.strerror(self.code))
        self.fsync(fd)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EROFS, errno.EDQUOT])
async def test_a_refused_write_is_not_saved_on_screen_and_the_next_change_saves(
    code: int, sample_store: Store, store_path: Path, monkeypatch
) -> None:
    refusing = Refusing(code)
    monkeypatch.setattr(storage_module.os, "fsync", refusing)
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        status = app.screen.query_one(StatusBar)
        await pilot.press("1")  # the first word, saved
        await pilot_until(pilot, lambda: len(view.spans) == 1, what="the first tag")
        before = snapshot_of_store(store_path)
        refusing.on = True
        await pilot.press("w", "2")
        await pilot_until(pilot, lambda: status.message.startswith("not saved"), what="not saved")
        assert os.strerror(code) in status.message
        assert len(view.spans) == 1  # the screen shows what is stored, not the refused tag
        assert snapshot_of_store(store_path) == before
        refusing.on = False
        await pilot.press("2")  # the next change tries again, and is saved
        await pilot_until(pilot, lambda: len(view.spans) == 2, what="the retried tag")
        await pilot.press("q")
    assert app.return_code == 0
    assert len(Store(store_path, create=False, writable=False).spans(view.article.id)) == 2


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 384 KiB file system (tmpfs), when this machine lets the tests mount one (as root it does)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root; the injected-error tests above cover the same path")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=384k", "tmpfs", str(mount)], capture_output=True
    )
    if result.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.decode().strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    """Every free block taken (unbuffered writes: nothing is left to flush when the disk says no)."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        return
    finally:
        os.close(fd)


def test_a_full_disk_is_one_line_for_every_writer_and_nothing_changes(
    small_disk: Path, tmp_path: Path
) -> None:
    store_path = small_disk / "store.json"
    store = Store(store_path, annotator="tester")
    store.import_articles(read_articles([sample_corpus_dir()]))
    store.close()
    fill(small_disk)
    before = snapshot_of_store(store_path)
    big = tmp_path / "big.jsonl"
    big.write_text(
        "".join(f'{{"id": "b{i}", "text": "{"خبر طويل " * 400}{i}"}}\n' for i in range(20)), encoding="utf-8"
    )
    env = {**os.environ, "HAMISH_STORE": str(store_path)}
    for command in (
        ["import", str(big)],
        ["suggest"],
        ["name", "a name"],
        ["merge", str(store_path), "--out", str(small_disk / "merged.json")],
    ):
        result = subprocess.run(
            hamish(*command), cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{store_path}: No space left on device" in result.stderr or "No space left" in result.stderr
        assert snapshot_of_store(store_path) == before
    assert not [p for p in small_disk.iterdir() if "tmp" in p.name]  # no temporary file left behind


def test_quitting_on_a_full_disk_says_so_and_loses_nothing(small_disk: Path) -> None:
    store_path = small_disk / "store.json"
    store = Store(store_path, annotator="tester")
    store.import_articles(read_articles([sample_corpus_dir()]))
    store.close()
    app = PtyApp("--store", str(store_path), cols=120, rows=40).ready()
    try:
        app.press("1")
        app.wait_for("saved ✓")
        fill(small_disk)  # the tag is in the journal; folding it into a new snapshot needs room there is not
        code = app.quit()
    finally:
        app.close()
    assert code == 1 and "Traceback" not in app.text()
    assert "could not be folded into the snapshot (No space left on device)" in app.text()
    (small_disk / "filler").unlink()
    assert len(Store(store_path, create=False, writable=False).spans("000_bd41f7afd87b55b5")) == 1


# -- the store file deleted or replaced under the app ----------------------------------------------------------
@pytest.mark.parametrize("how", ["deleted", "replaced"])
async def test_a_store_deleted_under_the_app_is_said_and_what_it_holds_is_kept(
    how: str, sample_store: Store, store_path: Path
) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        status = app.screen.query_one(StatusBar)
        await pilot.press("1")
        await pilot_until(pilot, lambda: len(view.spans) == 1, what="a tag")
        if how == "replaced":  # another store's file copied over this one (its journal stays)
            other = Store(store_path.with_name("other.json"), annotator="someone")
            other.close()
            os.replace(other.path, store_path)
        else:
            store_path.unlink()
        app.poll_store()
        await pilot_until(pilot, lambda: status.message.startswith("not saved"), what="the store problem")
        assert f"the store file was {how}" in status.message
        await pilot.press("w", "2")
        await pilot_until(pilot, lambda: "was not saved" in status.message, what="the refused tag")
        assert len(view.spans) == 1  # still on screen: what the app held
        await pilot.press("q")
    with pytest.raises(Exception, match="is kept in") as kept:
        sample_store.close()
    kept_path = Path(str(kept.value).split("is kept in ")[1].split(" (")[0])
    held = Store(kept_path, create=False, writable=False)
    assert len(held.articles()) == 5 and len(held.spans(view.article.id)) == 1
    if how == "replaced":  # the other store, untouched
        assert json.loads(store_path.read_text(encoding="utf-8")).get("articles", {}) == {}


def test_a_journal_deleted_while_open_is_noticed(sample_store: Store, store_path: Path) -> None:
    article = sample_store.articles()[0]
    sample_store.add_span(article, 0, 3, "entity", "PER")
    store_path.with_name(store_path.name + ".journal").unlink()
    sample_store.refresh()
    assert sample_store.gone and "journal was deleted" in sample_store.gone
    with pytest.raises(NotSaved):
        sample_store.add_span(article, 4, 8, "entity", "PER")


# -- keys while quitting, a terminal that goes away ---------------------------------------------------------------
@pytest.mark.parametrize(
    "after",
    [b"s", b"e", b"\r", b"?", b"\x06", b"E", b"/"],
    ids=["s", "e", "enter", "help", "ctrl+f", "E", "slash"],
)
def test_a_key_typed_with_q_never_crashes(after: bytes, sample_store: Store, store_path: Path) -> None:
    """q and the next key in one write, as a fast typist or a pasted line sends them: the key reaches the app
    while it is closing down (q s crashed with NoMatches on the stance dialog)."""
    sample_store.close()
    app = PtyApp("--store", str(store_path)).ready()
    try:
        os.write(app.master, b"vwq" + after + after)
        code = app.wait_exit()
    finally:
        app.close()
    assert code == 0 and "NoMatches" not in app.text() and "error" not in app.text()


def test_a_terminal_closed_right_after_q_leaves_no_process(sample_store: Store, store_path: Path) -> None:
    sample_store.close()
    app = PtyApp("--store", str(store_path)).ready()
    app.press("1")
    app.wait_for("saved ✓")
    os.write(app.master, b"q")
    os.close(app.master)  # the terminal goes away at once (tmux kill-session)
    try:
        app.process.wait(timeout=10)
    finally:
        if app.process.poll() is None:
            app.process.kill()
    assert len(Store(store_path, create=False, writable=False).spans("000_bd41f7afd87b55b5")) == 1


def test_a_thread_left_running_after_the_app_ends_does_not_keep_the_process(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import sys, threading, time
        from tui.run import end_lingering_threads
        threading.Thread(target=lambda: time.sleep(3600)).start()  # not a daemon: it would hold the exit
        print("ending", flush=True)
        end_lingering_threads(3)
        print("never", flush=True)
    """)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 3 and result.stdout == "ending\n"
    assert time.monotonic() - started < 20


def test_training_processes_end_with_the_app(annotated: Store, store_path: Path) -> None:
    from annotations.learn import process

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    process.TRAINING.add(child)
    process.stop_training()
    wait_until(lambda: child.poll() is not None, 10, "the training process to end")
    process.TRAINING.discard(child)
