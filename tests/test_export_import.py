"""Export and import: golden files for every format, round trips, and mismatches reported, never skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.formats.exporters import ExportError, ExportOptions, export
from annotations.formats.importers import read, sniff
from annotations.formats.importing import import_records
from annotations.store.schema import load_schema
from annotations.store.store import Store
from tests.conftest import FIXED_TIME, exported  # noqa: F401  (annotated is a conftest fixture)
from tests.test_cli import run

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("fmt", "name", "options"),
    [
        ("native", "native.jsonl", {}),
        ("doccano", "doccano.jsonl", {}),
        ("prodigy", "prodigy.jsonl", {}),
        ("labelstudio", "labelstudio.json", {}),
        ("conll", "entity.conll", {"layers": ("entity",)}),
    ],
)
def test_golden_file_for_every_format(
    annotated: Store, fmt: str, name: str, options: dict, request: pytest.FixtureRequest
) -> None:
    out = exported(annotated, fmt, **options)
    golden = GOLDEN / name
    if request.config.getoption("--snapshot-update") and not golden.exists():
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_native_store_native_is_byte_identical(annotated: Store, tmp_path: Path) -> None:
    first = "".join(export(annotated, ExportOptions("native")))
    path = tmp_path / "export.jsonl"
    path.write_text(first, encoding="utf-8")
    fresh = Store(tmp_path / "fresh.json", annotator="someone-else")
    report = import_records(fresh, read([path]), load_schema())
    assert report.problems == [] and report.articles_added == 5 and report.spans_added == 6
    assert "".join(export(fresh, ExportOptions("native"))) == first
    again = import_records(fresh, read([path]), load_schema())  # importing twice adds nothing
    assert again.spans_added == 0 and again.spans_known == 6


@pytest.mark.parametrize(("fmt", "suffix"), [("doccano", ".jsonl"), ("labelstudio", ".json")])
def test_doccano_and_label_studio_import_then_export_reproduce_the_spans(
    annotated: Store, tmp_path: Path, fmt: str, suffix: str
) -> None:
    path = tmp_path / f"{fmt}{suffix}"
    path.write_text(exported(annotated, fmt), encoding="utf-8")
    assert sniff(path) == fmt
    fresh = Store(tmp_path / "fresh.json", annotator="tester")
    report = import_records(fresh, read([path]), load_schema())
    assert report.problems == []
    article = annotated.articles()[0]

    def spans(store: Store) -> set:
        return {(s.start, s.end, s.layer, s.label, s.text) for s in store.spans(article.id)}

    assert spans(fresh) == spans(annotated)
    assert exported_spans(exported(fresh, fmt, done_only=False), fmt) == exported_spans(
        exported(annotated, fmt), fmt
    )
    theirs = {(s.target, s.value) for s in fresh.stances(article.id)}
    assert ("(article)", "against") in theirs


def exported_spans(output: str, fmt: str) -> set[tuple[int, int, str]]:
    if fmt == "doccano":
        record = json.loads(output.splitlines()[0])
        return {tuple(entry) for entry in record.get("label", record.get("entities"))}
    task = json.loads(output)[0]
    return {
        (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
        for a in task["annotations"]
        for r in a["result"]
        if r["type"] == "labels"
    }


def test_prodigy_token_end_is_inclusive_and_spans_cover_whole_tokens(annotated: Store) -> None:
    task = json.loads(exported(annotated, "prodigy").splitlines()[0])
    tokens = task["tokens"]
    for span in task["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]  # inclusive: the last token's own end
    washington = next(s for s in task["spans"] if task["text"][s["start"] : s["end"]] == "واشنطن")
    assert tokens[washington["token_start"] - 1]["text"] == "و"  # the clitic was split off at the boundary


def test_conll_keeps_one_layer_and_reports_overlaps(annotated: Store) -> None:
    options = ExportOptions("conll", layers=("entity",), done_only=True)
    lines = "".join(export(annotated, options)).splitlines()
    assert "الكاظمي\tB-PER" in lines and "بغداد\tB-GPE" in lines
    assert "و\tO" in lines and "واشنطن\tB-GPE" in lines
    assert lines[0] == "-DOCSTART-\tO"
    with pytest.raises(ExportError):
        "".join(export(annotated, ExportOptions("conll", layers=("entity", "bias"))))


def test_skip_noise_leaves_noise_out_and_moves_offsets(annotated: Store) -> None:
    record = json.loads(exported(annotated, "native", skip_noise=True).splitlines()[1])
    assert "اترك تعليقاً" not in record["text"] and record["noise"] == []
    for span in record["spans"]:
        assert record["text"][span["start"] : span["end"]] == span["text"]


def test_export_refuses_a_span_whose_text_no_longer_matches_and_writes_nothing(
    annotated: Store, tmp_path: Path, capsys
) -> None:
    article = annotated.articles()[0]
    span = annotated.spans(article.id)[0]
    annotated.table(f"spans/{article.id}").update({"text": "شيء آخر"}, lambda doc: doc["id"] == span.id)
    out = tmp_path / "out.jsonl"
    code, _, err = run(["export", "--out", str(out)], capsys)
    assert code == 1 and f"article {article.id}, span {span.id}" in err and "nothing was written" in err
    assert not out.exists() and not list(tmp_path.glob("out.jsonl*"))


def test_a_span_whose_text_does_not_match_is_reported_with_file_and_line(
    tmp_path: Path, store_path: Path
) -> None:
    """Real releases of such data have spans that do not match their offsets: report, never fix or crash."""
    path = tmp_path / "armpro-like.jsonl"
    good = {
        "paragraph_id": "p1",
        "paragraph": "قالت الحكومة إن الاحتلال انتهى",
        "labels": [{"technique": "Loaded_Language", "start": 16, "end": 24, "text": "الاحتلال"}],
    }
    shifted = {
        "paragraph_id": "p2",
        "paragraph": "هذا نص آخر تماما",
        "labels": [{"technique": "Doubt", "start": 2, "end": 6, "text": "نص آخر"}],
    }
    unknown = {
        "paragraph_id": "p3",
        "paragraph": "نص ثالث",
        "labels": [{"technique": "Nope", "start": 0, "end": 2, "text": "نص"}],
    }
    outside = {
        "paragraph_id": "p4",
        "paragraph": "قصير",
        "labels": [{"technique": "Doubt", "start": 2, "end": 40}],
    }
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (good, shifted, unknown, outside)) + "\n",
        encoding="utf-8",
    )
    store = Store(store_path)
    report = import_records(store, read([path]), load_schema())
    messages = [str(p) for p in report.warnings]
    assert messages[0].startswith(f"{path}:2: span 0: 2:6 says «نص آخر» but the text there is")
    assert messages[1].startswith(f"{path}:3: span 0: unknown label 'Nope'")
    assert messages[2].startswith(f"{path}:4: span 0: it ends at 40, past the end of the text (length 4)")
    assert report.skipped == 3 and not report.problems
    # The articles are kept, their bad spans left out (real data: one bad span among six good ones).
    assert [a.id for a in store.articles()] == ["p1", "p2", "p3", "p4"]
    assert [store.spans(p) for p in ("p2", "p3", "p4")] == [[], [], []]
    (span,) = store.spans("p1")
    assert (span.layer, span.label, span.text) == ("bias", "Loaded_Language", "الاحتلال")


def test_conll_import_rebuilds_text_and_reports_an_i_tag_after_o(tmp_path: Path, store_path: Path) -> None:
    path = tmp_path / "gold.txt"
    path.write_bytes(
        "\ufeff\u200eزار\tO\r\n\u200eالرئيس\tO\r\n\u200eبايدن\tB-Politician\r\n\u200eبغداد\tI-Nation\r\n"
        "\r\n\u200eفي\tO\r\n\u200eالعراق\tB-Nation\r\n".encode()
    )
    assert sniff(path) == "conll"
    label_map = {"Politician": "PER", "Nation": "GPE"}
    store = Store(store_path)
    report = import_records(store, read([path]), load_schema(), label_map)
    assert [str(w) for w in report.warnings] == [
        f"{path}:4: I-Nation follows a Politician span: started a new Nation span there"
    ]
    first, second = store.articles()
    assert first.text == "\u200eزار \u200eالرئيس \u200eبايدن \u200eبغداد"
    assert [(s.label, s.text) for s in store.spans(first.id)] == [
        ("PER", "\u200eبايدن"),
        ("GPE", "\u200eبغداد"),
    ]
    assert [(s.label, s.text) for s in store.spans(second.id)] == [("GPE", "\u200eالعراق")]
    no_map = import_records(Store(tmp_path / "other.json"), read([path]), load_schema())
    unknown = [str(w) for w in no_map.warnings if "unknown label" in str(w)]
    assert "unknown label 'Politician'" in unknown[0] and no_map.skipped == 3


def test_cli_export_to_file_and_import_back(
    annotated: Store, tmp_path: Path, store_path: Path, capsys
) -> None:
    out = tmp_path / "all.jsonl"
    code, _, _ = run(["export", "--out", str(out), "--layer", "bias"], capsys)
    assert code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0]["meta"]["offsets"] == "unicode code points" and records[0]["meta"]["end"] == "exclusive"
    assert {s["layer"] for r in records[1:] for s in r["spans"]} == {"bias"}
    code, _, err = run(["--store", str(tmp_path / "b.json"), "import", str(out)], capsys)
    assert code == 0 and "2 spans" in err


class FakeTerminal(__import__("io").StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "total", "shows"), [(True, 1500, True), (False, 1500, False), (True, 50, False)]
)
def test_progress_bar_only_on_a_terminal_and_only_past_1000_records(monkeypatch, tty, total, shows) -> None:
    from tui.progress import progress

    stream = FakeTerminal() if tty else __import__("io").StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    assert list(progress(range(total), total, "exporting")) == list(range(total))
    assert bool(stream.getvalue()) == shows
