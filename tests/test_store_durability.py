"""The store never loses an acknowledged annotation: kill -9 at random moments, two writers, bad files."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from annotations.formats.ingest import Sourced, make_article
from annotations.store.store import SCHEMA_VERSION, Store, StoreError
from tests.conftest import SEEDS, snapshot_of_store

ROOT = Path(__file__).resolve().parent.parent
KILLS = 60


def small_corpus(path: Path, articles: int = 40) -> None:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    store = Store(path, annotator="setup")
    store.import_articles(
        Sourced(make_article(texts[i % 5][:600] + f" #{i}", id=f"a{i}"), "setup", i) for i in range(articles)
    )


def start_writer(path: Path, seed: int, count: int = 0, delete_share: float = 0.3) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store_writer", str(path), str(seed), str(count), str(delete_share)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def stored_ids(path: Path) -> set[str]:
    store = Store(path, annotator="checker")
    return {span.id for article in store.articles() for span in store.spans(article.id)}


def test_kill_9_at_random_moments_never_loses_an_acknowledged_save(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    small_corpus(path)
    present: set[str] = set()  # acknowledged as saved and not acknowledged as deleted
    absent: set[str] = set()
    rng = random.Random(7)
    compaction_seen = 0
    for run in range(KILLS):
        writer = start_writer(path, seed=run)
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.25))
        os.kill(writer.pid, signal.SIGKILL)
        out, _ = writer.communicate()
        in_flight: set[str] = set()
        for line in out.splitlines():
            verb, _, span_id = line.partition(" ")
            if verb in ("adding", "deleting"):
                in_flight = {span_id}
            elif verb == "added":
                present.add(span_id)
                in_flight = set()
            elif verb == "deleted":
                present.discard(span_id)
                absent.add(span_id)
                in_flight = set()
            elif verb == "refused":
                in_flight = set()
        ids = stored_ids(path)  # opens: must not raise
        lost = present - in_flight - ids
        assert not lost, f"run {run}: lost {len(lost)} acknowledged annotation(s)"
        assert not (absent & ids), f"run {run}: a deleted annotation came back"
        unexplained = ids - present - in_flight
        assert not unexplained, f"run {run}: annotations nobody saved: {unexplained}"
        # The change in flight at the kill is either fully there or not at all; settle it by looking.
        for span_id in in_flight:
            (present if span_id in ids else absent).add(span_id)
            (absent if span_id in ids else present).discard(span_id)
        compaction_seen += path.exists()
    assert len(present) > 100, "the writers should have saved plenty"
    assert compaction_seen, "compaction never ran: the kills did not exercise it"
    Store(path)  # opening cleans a temp snapshot left by a kill mid-compaction
    assert not list(tmp_path.glob("*.tmp-hamish"))


def test_two_processes_writing_one_store_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    small_corpus(path, articles=3)  # few articles: both write the same tables
    writers = [start_writer(path, seed, count=80, delete_share=0.0) for seed in (1, 2)]
    outputs = [w.communicate(timeout=120)[0] for w in writers]
    assert all(w.returncode == 0 for w in writers)
    added = {line.split()[1] for out in outputs for line in out.splitlines() if line.startswith("added ")}
    assert len(added) >= 150
    assert stored_ids(path) == added


def test_a_writer_that_opened_first_does_not_erase_the_other_writers_change(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    small_corpus(path, articles=2)
    first = Store(path, annotator="first")  # e.g. the TUI, open all along
    second = Store(path, annotator="second")
    article = first.articles()[0]
    theirs = second.add_span(article, 0, 3, "entity", "PER")
    mine = first.add_span(article, 5, 9, "entity", "ORG")
    assert stored_ids(path) == {theirs.id, mine.id}


@pytest.mark.parametrize("damage", ["corrupt", "truncated", "newer", "bad journal line"])
def test_a_damaged_store_gives_a_clear_error_and_is_left_untouched(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "store.json"
    small_corpus(path, articles=2)
    store = Store(path, annotator="t")
    store.add_span(store.articles()[0], 0, 3, "entity", "PER")
    store.close()
    raw = path.read_text(encoding="utf-8")
    if damage == "corrupt":
        path.write_text("{not json" + raw, encoding="utf-8")
    elif damage == "truncated":
        path.write_text(raw[: len(raw) // 2], encoding="utf-8")
    elif damage == "newer":
        data = json.loads(raw)
        data["meta"]["1"]["schema_version"] = 99
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        journal = path.with_name(path.name + ".journal")
        journal.write_text('00000000 {"spans/a0": {}}\n' + '12345678 {"x": {}}\n', encoding="utf-8")
    before = snapshot_of_store(path)
    with pytest.raises(StoreError) as error:
        Store(path, annotator="t")
    message = str(error.value)
    assert str(path) in message and "\n" not in message
    assert snapshot_of_store(path) == before


def test_a_torn_last_journal_line_is_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    small_corpus(path, articles=2)
    store = Store(path, annotator="t")
    kept = store.add_span(store.articles()[0], 0, 3, "entity", "PER")
    journal = path.with_name(path.name + ".journal")
    with open(journal, "ab") as handle:
        handle.write(b'1a2b3c4d {"spans/a0": {"1": {"id": "half')  # a kill mid-append
    assert stored_ids(path) == {kept.id}
    again = Store(path, annotator="t")
    later = again.add_span(again.articles()[0], 4, 8, "entity", "ORG")  # the torn bytes are cut first
    assert stored_ids(path) == {kept.id, later.id}


def test_an_older_store_is_migrated_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    small_corpus(path, articles=1)
    Store(path).close()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema_version"] = 0
    path.write_text(json.dumps(data), encoding="utf-8")
    original = path.read_bytes()
    Store(path)
    assert (tmp_path / "store.json.schema0.bak").read_bytes() == original
    Store(path).close()
    assert TinyDB(path).table("meta").all()[0]["schema_version"] == SCHEMA_VERSION


def test_a_version_1_store_gains_its_identity_and_keeps_everything(annotated, store_path: Path) -> None:
    """A store of the first format (no store_id, its journal lines naming no store): opened, it is backed up,
    migrated, and every article, span, stance, link, note and history entry is there; its journal then names it."""
    article = annotated.articles()[0]
    spans = annotated.spans(article.id)
    per = [span for span in spans if span.label in ("PER", "GPE")]
    annotated.add_relation(article.id, "same_as", per[0].id, per[1].id, symmetric=True)
    annotated.set_note(article.id, spans[0].id, "ملاحظة")
    annotated.close()
    data = json.loads(store_path.read_text(encoding="utf-8"))
    del data["meta"]["1"]["store_id"]
    data["meta"]["1"]["schema_version"] = 1
    store_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tables = {name: table for name, table in data.items() if name != "meta"}
    original = store_path.read_bytes()
    store = Store(store_path, annotator="tester")
    assert (store_path.parent / "store.json.schema1.bak").read_bytes() == original
    after = store.storage.read()
    assert {name: table for name, table in after.items() if name != "meta"} == tables
    meta = after["meta"]["1"]
    assert (
        meta["schema_version"] == SCHEMA_VERSION
        and meta["migrated_from"] == 1
        and len(meta["store_id"]) == 32
    )
    store.add_span(article, 0, 3, "entity", "MISC")
    journal = store_path.with_name("store.json.journal").read_text(encoding="utf-8")
    assert journal.count(f'"#store":"{meta["store_id"]}"') == journal.count("\n") >= 1


def test_a_change_that_journals_only_its_tables_keeps_every_table_it_touched(
    sample_store, store_path
) -> None:
    """History.apply names the tables it replaced; an undo also rewrites the history table through TinyDB in
    the same journal line. A fresh process must see both (the span gone, the step marked undone)."""
    from annotations.store.store import Store

    article = sample_store.articles()[0]
    sample_store.add_span(article, 26, 33, "entity", "PER")
    assert sample_store.undo(article.id)
    again = Store(store_path, annotator="tester")
    assert again.spans(article.id) == []
    assert again.redo(article.id)  # the undone flag reached the disk: redo finds the step
    assert [(s.start, s.end) for s in Store(store_path, annotator="tester").spans(article.id)] == [(26, 33)]
