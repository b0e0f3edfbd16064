"""The `hamish` command as a user types it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from annotations.store.store import Store
from tests.conftest import SEEDS, snapshot_of_store
from tui.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return exit_info.value.code or 0, out, err


def test_version(capsys) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == "hamish, version 0.1.0"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["import"],
        ["show"],
        ["locate"],
        ["open"],
        ["export"],
        ["check"],
        ["suggest"],
        ["agree"],
        ["merge"],
        ["stats"],
    ],
)
def test_every_command_has_help_with_examples(argv: list[str], capsys) -> None:
    code, out, _ = run([*argv, "--help"], capsys)
    assert code == 0 and "Usage:" in out and "Examples:" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus"],
        ["import", "--nope", "x"],
        ["/no/such/path"],
        ["import", "/no/such/file.txt"],
        ["show", "/no/such.txt"],
    ],
)
def test_usage_errors_are_one_line_with_exit_status_2(argv: list[str], capsys) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("hamish: error:")


def test_import_then_reimport(capsys, store_path: Path) -> None:
    code, _, err = run(["--store", str(store_path), "import", str(SEEDS[0].parent)], capsys)
    assert code == 0 and "imported 5 new" in err
    code, _, err = run(["--store", str(store_path), "import", str(SEEDS[0])], capsys)
    assert code == 0 and "imported 0 new articles (1 already stored)" in err
    assert len(Store(store_path).articles()) == 5


def test_import_with_a_bad_line_exits_1_names_it_and_keeps_the_rest(
    capsys, tmp_path: Path, store_path: Path
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "نص صالح"}\n{"oops"\n', encoding="utf-8")
    code, _, err = run(["import", str(path)], capsys)
    assert code == 1
    assert f"hamish: {path}:2: not JSON" in err
    assert [a.text for a in Store(store_path).articles()] == ["نص صالح"]


def test_a_store_from_a_newer_hamish_is_refused_and_left_alone(capsys, store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_text(json.dumps({"meta": {"1": {"schema_version": 99}}}), encoding="utf-8")
    before = snapshot_of_store(store_path)
    code, _, err = run(["import", str(SEEDS[0])], capsys)
    assert code == 1 and "newer hamish" in err and str(store_path) in err
    assert snapshot_of_store(store_path) == before


def test_locate_prints_where_things_live(capsys, store_path: Path) -> None:
    code, out, _ = run(["locate"], capsys)
    assert code == 0
    assert f"store         {store_path}" in out and "config" in out and "sample corpus" in out


def test_store_flag_and_env_var_choose_the_store(capsys, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    code, out, _ = run(["--store", str(other), "locate"], capsys)
    assert f"store         {other}" in out


def test_show_prints_one_line_per_visual_line_with_blank_lines_where_the_text_has_them(capsys) -> None:
    code, out, _ = run(["show", str(SEEDS[0]), "--width", "60"], capsys)
    lines = out.splitlines()
    assert code == 0
    assert lines[0].endswith("ﻲﺑﺮﻌﻟﺍ ﻢﻟﺎﻌﻟﺍﺭﺎﺒﺧﻷﺍ ﻢﻫﺃ") and len(lines[0]) <= 60
    assert lines[1] == ""
    assert all(cell_len(line) <= 60 for line in lines)
    code, term, _ = run(["show", str(SEEDS[0]), "--width", "60", "--bidi", "terminal"], capsys)
    assert len(term.splitlines()) == len(lines)
    assert term.splitlines()[0] == "أهم الأخبارالعالم العربي"


def test_show_picks_an_article_of_a_jsonl_by_id(capsys, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "أول"}\n{"id": "b", "text": "ثان"}\n', encoding="utf-8")
    code, out, _ = run(["show", str(path), "--id", "b", "--width", "20"], capsys)
    assert code == 0 and out.strip() == "ﻥﺎﺛ"
    code, _, err = run(["show", str(path), "--id", "zz"], capsys)
    assert code == 1 and "no article with id 'zz'" in err


def test_a_bad_schema_stops_before_the_app_with_one_line(capsys, tmp_path: Path) -> None:
    path = tmp_path / "schema.toml"
    path.write_text(
        '[layers.entity]\nkind = "span"\nlabels = [{name = "PER", key = "q"}]\n', encoding="utf-8"
    )
    code, _, err = run(["--schema", str(path)], capsys)
    assert code == 1
    assert (
        err.strip()
        == f"hamish: error: {path}: layer 'entity': label 'PER' uses key 'q', which is bound to 'Quit'"
    )


def test_check_on_a_clean_store(capsys, sample_store) -> None:
    code, out, _ = run(["check"], capsys)
    assert code == 0 and "5 articles, 0 spans, 0 stances, 0 links; 0 problem(s)" in out


def test_every_config_example_in_the_readme_starts_the_app(tmp_path, monkeypatch, capsys) -> None:
    """Each ```toml block of the README, as a config file: read, and its keys accepted by the check the app
    makes before it starts (the old example remapped to `n`, which is Next hit, and the app refused to start)."""
    import re

    from annotations.store.config import load_config
    from tui.keymap import keymap_clash

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)\n```", readme, flags=re.S)
    assert blocks
    for block in blocks:
        config = tmp_path / "config.toml"
        config.write_text(block + "\n", encoding="utf-8")
        monkeypatch.setenv("HAMISH_CONFIG", str(config))
        loaded = load_config()
        assert keymap_clash(dict(loaded.keys)) is None, block


@pytest.mark.parametrize(
    "name",
    [
        "native.jsonl",
        "doccano.jsonl",
        "doccano-classification.jsonl",
        "prodigy.jsonl",
        "labelstudio.json",
        "labelstudio-min.json",
        "entity.conll",
        "conll2003.txt",
        "labelstudio-conll2003.conll",
        "relations/native.jsonl",
    ],
)
def test_show_reads_every_format_import_reads(name: str, capsys) -> None:
    from tests.test_bad_inputs import run

    code, out, err = run(["show", "--width", "60", str(Path(__file__).parent / "golden" / name)], capsys)
    assert code == 0 and not err, err
    assert len(out.splitlines()) >= 1 and any(line.strip() for line in out.splitlines())
