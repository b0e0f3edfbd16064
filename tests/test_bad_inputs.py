"""Every bad input: one line naming the file (and line), a non-zero exit, no traceback, and nothing already
stored lost or changed. The inputs are files in tests/bad_inputs/ (a few are made here: a 50 MB line, links,
odd names, permissions); each has one expected message."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from annotations.store.store import Store
from tests.conftest import snapshot_of_store
from tests.pty_app import hamish
from tui.cli import main

BAD = Path(__file__).parent / "bad_inputs"
ROOT = Path(__file__).resolve().parent.parent


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code or 0, out, err


def assert_one_line(err: str, path: Path | str, message: str, line: int | None = None) -> None:
    assert "Traceback" not in err
    naming = [row for row in err.splitlines() if message in row]
    assert len(naming) == 1, err
    prefix = f"{path}:{line}:" if line else str(path)
    assert prefix in naming[0], err


# -- import: name -> (line, message); the record or span is left out, the rest of the store is untouched ------
IMPORTS = {
    "spans-not-a-list.jsonl": (2, "'spans' is text, not a list"),
    "stances-an-object.jsonl": (2, "'stances' is an object, not a list"),
    "text-a-number.jsonl": (1, "'text' is a number (5), not text"),
    "lone-surrogate.jsonl": (2, "lone surrogate (\\ud800)"),
    "labelstudio-object.json": (1, "the top level is an object, not a list of Label Studio tasks"),
    "empty.conll": (None, "empty file: no sentences"),
    "offsets-start-after-end.jsonl": (1, "span 0: it ends (4) before it starts (9)"),
    "offsets-negative.jsonl": (1, "span 0: its start offset -1 is negative"),
    "offsets-float.jsonl": (1, "span 0: its start offset is a number (1.5), not a whole number"),
    "offsets-bool.jsonl": (1, "span 0: its start offset is a true/false value (true), not a whole number"),
    "doccano-cats-text.jsonl": (1, "'cats' is text, not a list"),
    "doccano-same-span-twice.jsonl": (1, "span 1: the same PER span 4:11 again; stored once"),
}


@pytest.mark.parametrize("name", IMPORTS)
def test_a_bad_import_is_one_line_and_changes_nothing_stored(
    name: str, sample_store: Store, store_path: Path, capsys
) -> None:
    line, message = IMPORTS[name]
    stored = {a.id: (a.text, sample_store.spans(a.id)) for a in sample_store.articles()}
    sample_store.close()
    code, _, err = run(["import", str(BAD / name)], capsys)
    assert code == 1
    assert_one_line(err, BAD / name, message, line)
    after = Store(store_path, create=False, writable=False)
    assert {a.id: (a.text, after.spans(a.id)) for a in after.articles() if a.id in stored} == stored
    check = subprocess.run(hamish("check"), cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout  # whatever was imported passes the store's own check


def test_the_same_span_twice_is_stored_once(store_path: Path, capsys) -> None:
    run(["import", str(BAD / "doccano-same-span-twice.jsonl")], capsys)
    store = Store(store_path, create=False, writable=False)
    (article,) = store.articles()
    assert [(s.start, s.end, s.label) for s in store.spans(article.id)] == [(4, 11, "PER")]


def test_a_surrogate_line_is_skipped_and_the_rest_imported(store_path: Path, capsys) -> None:
    run(["import", str(BAD / "lone-surrogate.jsonl")], capsys)
    texts = sorted(a.text for a in Store(store_path, create=False, writable=False).articles())
    assert texts == ["خبر أول", "خبر ثالث"]


def test_a_line_of_50_mb_is_refused_in_one_line(
    tmp_path: Path, sample_store: Store, store_path: Path, capsys
) -> None:
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps({"text": "ا" * 25_000_000}, ensure_ascii=False) + "\n", encoding="utf-8")
    sample_store.close()
    before = snapshot_of_store(store_path)
    code, _, err = run(["import", str(path)], capsys)
    assert code == 1
    assert_one_line(err, path, "25.0 million characters, more than one article may hold", 1)
    assert snapshot_of_store(store_path) == before


def test_a_broken_link_in_a_folder_is_named(tmp_path: Path, store_path: Path, capsys) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("خبر\n", encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    code, _, err = run(["import", str(folder)], capsys)
    assert code == 1
    assert_one_line(err, folder / "gone.txt", f"broken symbolic link (to {tmp_path / 'deleted.txt'})")
    assert len(Store(store_path, create=False, writable=False).articles()) == 1


def test_a_file_name_with_a_newline_is_quoted(tmp_path: Path, capsys) -> None:
    path = tmp_path / "two\nlines.jsonl"
    path.write_text('{"title": "no text"}\n', encoding="utf-8")
    code, _, err = run(["import", str(path)], capsys)
    assert code == 1
    assert json.dumps(str(path), ensure_ascii=False) + ":1: no 'text'" in err
    assert err.count("\n") == 2  # the problem and the summary: the name did not break the line


def test_native_records_without_their_header_keep_their_spans(
    tmp_path: Path, store_path: Path, capsys
) -> None:
    path = tmp_path / "no-header.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "n1",
                "text": "قال الكاظمي اليوم",
                "spans": [{"start": 4, "end": 11, "layer": "entity", "label": "PER"}],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    code, _, _ = run(["import", str(path)], capsys)
    assert code == 0
    assert [s.text for s in Store(store_path, create=False, writable=False).spans("n1")] == ["الكاظمي"]


# -- stores: name -> message; every command refuses with one line and leaves the file byte for byte ----------
STORES = {
    "store-cut-in-utf8.json": "not UTF-8 at byte",
    "store-utf16.json": "UTF-16 text; a hamish store is UTF-8 JSON",
    "store-tables-wrong-type.json": "table 'articles' is list, not a table of documents",
    "store-article-without-text.json": "'text' is missing, not text",
    "store-empty.json": "the file is empty (0 bytes)",
}


@pytest.mark.parametrize(
    "command",
    [["check"], ["import", "data/sample"], ["export"], ["stats"], []],
    ids=["check", "import", "export", "stats", "app"],
)
@pytest.mark.parametrize("name", STORES)
def test_a_damaged_store_is_one_line_for_every_command_and_left_as_it_is(
    name: str, command: list[str], tmp_path: Path, capsys
) -> None:
    (tmp_path / "s").mkdir()
    store = tmp_path / "s" / "store.json"
    shutil.copy(BAD / name, store)
    before = store.read_bytes()
    code, out, err = run(
        ["--store", str(store), *[str(ROOT / c) if "/" in c else c for c in command]], capsys
    )
    assert code == 1
    assert_one_line(err, store, STORES[name])
    assert store.read_bytes() == before  # and no journal or snapshot was written beside it:
    assert {p.name for p in store.parent.iterdir()} <= {"store.json", "store.json.lock", "store.json.holder"}


def test_an_empty_store_says_how_to_recover(tmp_path: Path, capsys) -> None:
    store = tmp_path / "store.json"
    store.write_bytes(b"")
    (tmp_path / "store.json.journal").write_bytes(b"")
    _, _, err = run(["--store", str(store), "check"], capsys)
    assert "Restore it from a backup" in err and "delete it to start a new store" in err


def test_a_folder_where_the_store_should_be(tmp_path: Path, monkeypatch, capsys) -> None:
    code, _, err = run(["--store", str(tmp_path), "check"], capsys)
    assert code == 2 and "is a directory" in err and "Traceback" not in err
    monkeypatch.setenv("HAMISH_STORE", str(tmp_path))
    code, _, err = run(["check"], capsys)
    assert code == 1 and f"{tmp_path}: is a folder, not a store file" in err


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_store_is_refused_by_writers_and_read_by_readers(
    what: str, sample_store: Store, store_path: Path, capsys
) -> None:
    sample_store.close()
    target = store_path if what == "file" else store_path.parent
    before = snapshot_of_store(store_path)
    os.chmod(target, 0o555 if what == "folder" else 0o444)
    try:
        for command in (["import", str(ROOT / "data" / "sample")], ["suggest"], []):  # [] opens the app
            code, _, err = run(command, capsys)
            assert code == 1
            assert_one_line(err, store_path, "read-only (no write permission on the file or its folder)")
        code, out, _ = run(["check"], capsys)
        assert code == 0 and "5 articles" in out
        code, out, _ = run(["export"], capsys)
        assert code == 0 and out.count("\n") == 6
    finally:
        os.chmod(target, 0o755 if what == "folder" else 0o644)
    assert snapshot_of_store(store_path) == before


def test_a_command_that_reads_never_creates_a_store(tmp_path: Path, capsys) -> None:
    typo = tmp_path / "typo" / "typo.json"
    for command in (["check"], ["export"], ["stats"]):
        code, _, err = run(["--store", str(typo), *command], capsys)
        assert code == 1 and f"no such store: {typo}" in err
    assert not typo.parent.exists()


# -- options and settings ------------------------------------------------------------------------------------
def test_config_keys_that_are_not_a_table(tmp_path: Path, monkeypatch, capsys) -> None:
    config = tmp_path / "config.toml"
    shutil.copy(BAD / "config-keys-text.toml", config)
    monkeypatch.setenv("HAMISH_CONFIG", str(config))
    code, _, err = run(["check"], capsys)
    assert code == 1
    assert_one_line(err, config, "'keys' must be a table of binding id", 2)


def test_a_schema_with_an_unknown_colour_is_refused_before_the_app_starts(sample_store, capsys) -> None:
    code, _, err = run(["--schema", str(BAD / "schema-unknown-colour.toml")], capsys)
    assert code == 1
    assert_one_line(
        err, BAD / "schema-unknown-colour.toml", "label 'PER' has colour 'blurple', which is no colour"
    )


def test_an_unknown_layer_is_an_error(sample_store, capsys) -> None:
    for command in (["export", "--layer", "nosuch"], ["suggest", "--layer", "nosuch"]):
        code, out, err = run(command, capsys)
        assert (
            code == 2
            and "unknown layer 'nosuch' (the layers are attribution, bias, entity)" in err
            and not out
        )


def test_a_command_option_before_the_command_is_read_as_the_commands(store_path: Path, capsys) -> None:
    code, _, err = run(
        ["--schema", str(ROOT / "data" / "schema.toml"), "import", str(ROOT / "data" / "sample")], capsys
    )
    assert code == 0 and "imported 5 new articles" in err
