"""Hostile files given to the command line: FIFOs and devices where files belong, JSON nested past reason,
values of the wrong type, tampered project files, outputs that are links, FIFOs or devices. Each is one line
naming the file, a non-zero exit, no traceback, and the store byte for byte as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.store.store import Store
from tests.conftest import snapshot_of_store
from tests.pty_app import ROOT, hamish
from tests.test_bad_inputs import assert_one_line, run

SAMPLE = ROOT / "data" / "sample"


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """hamish in a process of its own: a hang is a failure (timeout), not a stuck test run."""
    return subprocess.run(
        hamish(*args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def one_line(result: subprocess.CompletedProcess[str], path: Path | str, message: str) -> None:
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    assert_one_line(result.stderr, path, message)


# -- FIFOs and devices where a file is read -----------------------------------------------------------------
@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.jsonl"
    os.mkfifo(path)
    return path


SPECIALS = {"fifo": None, "zero": Path("/dev/zero"), "urandom": Path("/dev/urandom")}


@pytest.mark.parametrize("special", SPECIALS)
@pytest.mark.parametrize(
    "argv",
    [
        ["import", "{f}"],
        ["import", "--format", "native", "{f}"],
        ["import", "--format", "conll", "{f}"],
        ["import", "--format", "labelstudio", "{f}"],
        ["show", "{f}"],
        ["evaluate", "--layer", "entity", "{f}"],
        ["import", "--schema", "{f}", str(SAMPLE)],
        ["import", "--label-map", "{f}", str(SAMPLE)],
        ["--store", "{f}", "check"],
        ["--store", "{f}", "stats"],
        ["--store", "{f}", "export"],
        ["agree", "{f}", "{f}"],
    ],
    ids=lambda a: "-".join(x for x in a if not x.startswith(("{", "/"))),
)
def test_a_fifo_or_a_device_as_an_input_is_one_line(
    special: str, argv: list[str], fifo: Path, sample_store: Store, store_path: Path
) -> None:
    sample_store.close()
    before = snapshot_of_store(store_path)
    path = SPECIALS[special] or fifo
    result = cli(*[a.replace("{f}", str(path)) for a in argv], timeout=30)
    kind = "a FIFO (named pipe)" if special == "fifo" else "a character device"
    one_line(result, path, f"is {kind}, not a regular")
    assert snapshot_of_store(store_path) == before


@pytest.mark.parametrize("variable", ["HAMISH_NOISE_PATTERNS", "HAMISH_BIAS_LEXICON"])
def test_a_device_named_by_an_environment_variable_is_one_line(
    variable: str, sample_store: Store, store_path: Path
) -> None:
    sample_store.close()
    before = snapshot_of_store(store_path)
    result = cli("suggest" if "LEXICON" in variable else "check", env={variable: "/dev/zero"}, timeout=30)
    one_line(result, "/dev/zero", "is a character device, not a regular")
    assert snapshot_of_store(store_path) == before


def test_a_bias_lexicon_in_a_config_file_that_is_a_fifo(
    fifo: Path, sample_store: Store, isolated_home: Path
) -> None:
    config = isolated_home / "config" / "hamish" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"bias_lexicon = {json.dumps(str(fifo))}\n", encoding="utf-8")
    sample_store.close()
    one_line(cli("suggest", timeout=30), fifo, "is a FIFO (named pipe), not a regular bias lexicon")


# -- messages that name the right file and line --------------------------------------------------------------
def test_a_bad_noise_pattern_is_reported_in_its_own_file(tmp_path: Path, sample_store: Store) -> None:
    patterns = tmp_path / "mine.txt"
    patterns.write_text("line: فقط\nline: (\n", encoding="utf-8")
    sample_store.close()
    one_line(
        cli("check", env={"HAMISH_NOISE_PATTERNS": str(patterns)}), f"{patterns}:2:", "bad regular expression"
    )


def test_a_bias_lexicon_that_is_not_utf8_names_the_file(tmp_path: Path, sample_store: Store) -> None:
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_bytes("كلمة\tLoaded_Language\n".encode() + b"\xff\xfe\n")
    sample_store.close()
    one_line(
        cli("suggest", env={"HAMISH_BIAS_LEXICON": str(lexicon)}), f"{lexicon}:2:", "not UTF-8 (byte 0xff"
    )


# -- numbers out of reason -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["show", "--width", "1000000000", str(next(SAMPLE.glob("*.txt")))],
            "is not in the range 10<=x<=2000",
        ),
        (["serve", str(ROOT), "--idle-minutes", "nan"], "'nan' is not a finite number"),
    ],
)
def test_numeric_options_have_bounds(argv: list[str], message: str) -> None:
    result = cli(*argv)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-0.5", "2"])
def test_recommender_min_f1_out_of_range_is_refused(value: str, isolated_home: Path, capsys) -> None:
    config = isolated_home / "config" / "hamish" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"recommender_min_f1 = {value}\n", encoding="utf-8")
    code, _, err = run(["check"], capsys)
    assert code == 1
    assert_one_line(err, f"{config}:1", "'recommender_min_f1' must be a number from 0 to 1")


# -- stores a command must refuse ----------------------------------------------------------------------------
@pytest.mark.parametrize("version", [3, "1", None, 1.5, True])
@pytest.mark.parametrize("command", [["check"], ["export"], ["stats"], ["import", str(SAMPLE)]])
def test_a_store_of_another_schema_version_is_refused_by_every_command(
    version, command: list[str], sample_store: Store, store_path: Path, capsys
) -> None:
    sample_store.close()
    data = json.loads(store_path.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema_version"] = version
    store_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = snapshot_of_store(store_path)
    code, out, err = run(command, capsys)
    assert code == 1 and not out
    message = "made by a newer hamish" if version == 3 else "not a whole number"
    assert_one_line(err, store_path, message)
    assert snapshot_of_store(store_path) == before


def test_a_journal_of_another_store_is_refused_and_nothing_replayed(tmp_path: Path, capsys) -> None:
    stores = []
    for name in ("mona", "sami"):
        path = tmp_path / name / "store.json"
        code, _, _ = run(["--store", str(path), "--annotator", name, "import", str(SAMPLE)], capsys)
        store = Store(path, annotator=name)
        article = store.articles()[0]
        store.add_span(article, 0, 3, "entity", "PER")  # in the journal, not yet in the snapshot
        stores.append(path)
    mona, sami = stores
    journals = [p.with_name(p.name + ".journal") for p in stores]
    held = journals[0].read_bytes()
    journals[0].write_bytes(journals[1].read_bytes())
    journals[1].write_bytes(held)
    before = snapshot_of_store(mona)
    for command in (["check"], ["export"], ["import", str(SAMPLE)], []):
        code, out, err = run(["--store", str(mona), *command], capsys)
        assert code == 1 and not out
        assert_one_line(err, journals[0], "belongs to another store")
    assert snapshot_of_store(mona) == before


# -- outputs -------------------------------------------------------------------------------------------------
def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_export_through_a_link_writes_its_target_and_keeps_the_link(
    tmp_path: Path, sample_store: Store, capsys
) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    code, _, _ = run(["export", "--out", str(link)], capsys)
    assert code == 0 and link.is_symlink() and len(_lines(target)) == 6
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(("partial", "tmp-hamish"))) == []


def test_export_streams_into_a_fifo(fifo: Path, sample_store: Store) -> None:
    sample_store.close()
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    result = cli("export", "--out", str(fifo))
    received = reader.communicate(timeout=30)[0]
    assert result.returncode == 0 and received.count("\n") == 6
    assert fifo.exists() and not fifo.is_file()  # still the FIFO, never replaced by a file


def test_export_to_a_full_device_is_one_line_and_the_device_stays(sample_store: Store) -> None:
    sample_store.close()
    one_line(cli("export", "--out", "/dev/full"), "/dev/full", "No space left on device")
    assert Path("/dev/full").is_char_device()


@pytest.mark.parametrize("where", ["folder", "missing-folder"])
def test_export_to_a_folder_or_into_a_missing_one_is_one_line(
    where: str, tmp_path: Path, sample_store: Store, capsys
) -> None:
    out = tmp_path if where == "folder" else tmp_path / "nope" / "x.jsonl"
    code, _, err = run(["export", "--out", str(out)], capsys)
    assert code == 1 and "Traceback" not in err
    assert_one_line(err, out, "is a folder" if where == "folder" else "does not exist")
    assert not (tmp_path / "nope").exists()


def test_a_failed_export_leaves_the_old_file_and_no_partial(tmp_path: Path, annotated: Store, capsys) -> None:
    out = tmp_path / "ner.conll"
    out.write_text("keep me\n", encoding="utf-8")
    code, _, err = run(["export", "--format", "conll", "--layer", "nosuch", "--out", str(out)], capsys)
    assert code == 2 and out.read_text(encoding="utf-8") == "keep me\n"
    assert [p.name for p in tmp_path.iterdir() if "ner.conll" in p.name] == ["ner.conll"]


def test_brat_never_removes_a_folder_of_the_users(tmp_path: Path, sample_store: Store, capsys) -> None:
    mine = tmp_path / "out.partial"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, _, _ = run(["export", "--format", "brat", "--out", str(tmp_path / "out")], capsys)
    assert code == 0 and (mine / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert len(list((tmp_path / "out").glob("*.ann"))) == 5


def test_a_refused_merge_leaves_nothing_beside_the_users_file(
    tmp_path: Path, sample_store: Store, store_path: Path, capsys
) -> None:
    sample_store.close()
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    code, _, err = run(["merge", str(store_path), "--out", str(notes)], capsys)
    assert code == 1 and "Traceback" not in err
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("notes")) == ["notes.txt"]


# -- readers never wait for a writer -------------------------------------------------------------------------
def test_readers_do_not_wait_on_a_stalled_writers_lock(sample_store: Store, store_path: Path) -> None:
    sample_store.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock; "
            f"FileLock({str(store_path) + '.lock'!r}).acquire(); print('held', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for command in (["check"], ["export"], ["stats"], ["agree", str(store_path), str(store_path)]):
            result = cli(*command, timeout=10)  # the lock's timeout is 15 s: waiting for it would fail here
            assert "nothing was saved" not in result.stderr and "Traceback" not in result.stderr, (
                result.stderr
            )
            assert result.returncode == (1 if command[0] == "agree" else 0), result.stderr
    finally:
        holder.kill()
        holder.wait()


# -- found beyond the list -----------------------------------------------------------------------------------
def test_a_store_nested_past_reason_is_one_line_for_every_command(
    sample_store: Store, store_path: Path, capsys
) -> None:
    sample_store.close()
    data = json.loads(store_path.read_text(encoding="utf-8"))
    store_path.write_text(
        json.dumps(data)[:-1] + ',"deep":{"1":{"x":' + "[" * 3000 + "]" * 3000 + "}}}", encoding="utf-8"
    )
    before = snapshot_of_store(store_path)
    for command in (["check"], ["export"], ["import", str(SAMPLE)], []):
        code, out, err = run(command, capsys)
        assert code == 1 and not out
        assert_one_line(err, store_path, "nested deeper than any hamish store")
    assert snapshot_of_store(store_path) == before


def test_a_store_path_below_a_file_is_one_line(tmp_path: Path, capsys) -> None:
    blocking = tmp_path / "notes.txt"
    blocking.write_text("mine\n", encoding="utf-8")
    code, _, err = run(["--store", str(blocking / "store.json"), "import", str(SAMPLE)], capsys)
    assert code == 1
    assert_one_line(err, blocking / "store.json", f"{blocking} is a file, not a folder")
    assert blocking.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    "line, message",
    [
        ('recommender_train_on = "everything"', "'recommender_train_on' must be \"done\""),
        ("recommender = 1", "'recommender' must be true or false"),
        ('annotator = ["a"]', "'annotator' must be text"),
        ("[keys]\ntag_all = 5", "'keys' must be a table of binding id"),
    ],
)
def test_each_setting_of_the_wrong_type_is_one_line(
    line: str, message: str, isolated_home: Path, capsys
) -> None:
    config = isolated_home / "config" / "hamish" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(line + "\n", encoding="utf-8")
    code, _, err = run(["check"], capsys)
    assert code == 1
    assert_one_line(err, f"{config}:1", message)


def test_the_config_is_one_typed_object_with_its_defaults(isolated_home: Path) -> None:
    from annotations.learn.recommender import DEFAULT_MIN_F1
    from annotations.store.config import Config, load_config

    assert load_config() == Config() and Config().recommender_min_f1 == DEFAULT_MIN_F1
    config = isolated_home / "config" / "hamish" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('annotator = "mona"\nrecommender_min_f1 = 1\n[keys]\ntag_all = "A"\n', encoding="utf-8")
    loaded = load_config()
    assert (loaded.annotator, loaded.recommender_min_f1, loaded.keys) == ("mona", 1.0, {"tag_all": "A"})
