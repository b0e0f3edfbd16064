"""What keeps the store's promise when more than one process uses it: a journal cut before its newline, undo
that is per annotator and refused when another process got there first, the lock held by someone else, and
an open app that shows what others saved."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotations.store.store import Store, StoreBusy, UndoRefused
from tests.pty_app import ROOT, pilot_until, wait_until
from tui.app import HamishApp


def other_process(store_path: Path, annotator: str, code: str) -> None:
    """Run `code` (with `store` and `article` bound) in a separate Python process."""
    script = textwrap.dedent(f"""
        from annotations.store.store import Store
        store = Store({str(store_path)!r}, annotator={annotator!r})
        article = store.articles()[0]
    """) + textwrap.dedent(code)
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)


def hold_lock(store_path: Path) -> subprocess.Popen:
    """Another process that takes the store's lock and keeps it (it prints "locked" once it holds it)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import time
        from annotations.store.store import Store
        store = Store({str(store_path)!r})
        with store._locked():
            print("locked", flush=True)
            time.sleep(30)
    """),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_journal_without_its_last_newline_takes_the_next_write_cleanly(
    sample_store: Store, store_path: Path
) -> None:
    article = sample_store.articles()[0]
    first = sample_store.add_span(article, 0, 3, "entity", "PER")
    second = sample_store.add_span(article, 4, 8, "entity", "ORG")
    journal = store_path.with_name(store_path.name + ".journal")
    journal.write_bytes(journal.read_bytes()[:-1])  # a copy or a crash cut the final newline
    reopened = Store(store_path, annotator="tester")
    third = reopened.add_span(article, 10, 14, "entity", "GPE")
    assert b"\x00" not in journal.read_bytes()
    again = Store(store_path, annotator="tester")
    assert {s.id for s in again.spans(article.id)} == {first.id, second.id, third.id}


def test_undo_is_per_annotator(sample_store: Store, store_path: Path) -> None:
    article = sample_store.articles()[0]
    mine = sample_store.add_span(article, 0, 3, "entity", "PER")
    other_process(store_path, "sami", "store.add_span(article, 4, 8, 'entity', 'ORG')")
    assert sample_store.undo(article.id) == "tag PER"  # mine, not sami's later change
    remaining = Store(store_path, writable=False).spans(article.id)
    assert [(s.annotator, s.label) for s in remaining] == [("sami", "ORG")]
    assert sample_store.undo(article.id) is None  # nothing more of mine to undo
    assert sample_store.redo(article.id) == "tag PER"
    assert {s.id for s in Store(store_path, writable=False).spans(article.id)} >= {mine.id}


def test_an_undo_whose_target_another_process_changed_is_refused(
    sample_store: Store, store_path: Path
) -> None:
    article = sample_store.articles()[0]
    span = sample_store.add_span(article, 0, 3, "entity", "PER")
    # Another annotator, in another process, adds a note to it...
    other_process(store_path, "sami", f"store.set_note(article.id, {span.id!r}, 'checked')")
    # ...so undoing the tag here would throw their note away: refused, nothing changed.
    before = store_path.with_name(store_path.name + ".journal").read_bytes()
    with pytest.raises(UndoRefused, match="changed since by another process"):
        sample_store.undo(article.id)
    assert store_path.with_name(store_path.name + ".journal").read_bytes() == before


def test_a_store_locked_by_another_process_names_the_holder_and_saves_nothing(
    sample_store: Store, store_path: Path, monkeypatch
) -> None:
    holder = hold_lock(store_path)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr("annotations.store.store.LOCK_TIMEOUT_S", 0.5)
        article = sample_store.articles()[0]
        with pytest.raises(StoreBusy, match=f"holds the store lock for over 0.5 s \\(pid {holder.pid}"):
            sample_store.add_span(article, 0, 3, "entity", "PER")
    finally:
        holder.kill()
        holder.wait()
    assert Store(store_path, writable=False).spans(sample_store.articles()[0].id) == []


async def test_the_app_says_who_holds_the_lock_and_keeps_running(
    sample_store: Store, store_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr("annotations.store.store.LOCK_TIMEOUT_S", 0.3)
    app = HamishApp(sample_store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        holder = hold_lock(store_path)
        try:
            assert holder.stdout.readline().strip() == "locked"
            await pilot.press("w", "w", "w", "1")
            await pilot.pause()
            status = app.main.status.message
            assert status.startswith("not saved:") and f"pid {holder.pid}" in status
        finally:
            holder.kill()
            holder.wait()
        await pilot.press("1")
        await pilot.pause()
        assert app.main.status.message.startswith("saved ✓ PER")
    assert len(Store(store_path, writable=False).spans(sample_store.articles()[0].id)) == 1


async def test_the_open_app_shows_what_another_process_saved(sample_store: Store, store_path: Path) -> None:
    app = HamishApp(sample_store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = app.session.articles[0]
        other_process(
            store_path,
            "sami",
            f"""
            store.add_span(article, 0, 3, 'entity', 'ORG')
            store.set_done({first.id!r}, True)
            store.set_stance({first.id!r}, '(article)', 'against')
        """,
        )
        started = time.monotonic()
        await pilot_until(
            pilot, lambda: len(app.main.view.spans) == 1, 3, "the app to show the other process's save"
        )
        assert time.monotonic() - started < 2
        assert app.sub_title.startswith("1/5 done")
        panel = app.main.panel
        assert any("against" in str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))


def test_wait_until_gives_up(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="timed out"):
        wait_until(lambda: False, timeout=0.2, what="nothing")
