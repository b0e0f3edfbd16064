"""Files from and for other tools, read and written exactly: CoNLL with several columns and documents,
Prodigy, Label Studio (full and JSON_MIN, notes, target stances, annotators), doccano classification; and
what a format cannot hold said once, counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.formats.exporters import ExportOptions, export
from annotations.formats.importers import read, sniff
from annotations.formats.importing import import_records
from annotations.formats.labelstudio_export import labelstudio_config
from annotations.store.check import check_store
from annotations.store.schema import load_schema
from annotations.store.store import Store
from tests.conftest import exported
from tests.test_cli import run

GOLDEN = Path(__file__).parent / "golden"


def imported(path: Path, store_path: Path, label_map: dict[str, str] | None = None) -> Store:
    store = Store(store_path, annotator="importer")
    report = import_records(store, read([path]), load_schema(), label_map or {})
    assert not report.problems, report.problems
    return store


def spans_of(store: Store) -> list[tuple[str, str, str]]:
    return sorted((s.annotator, s.label, s.text) for a in store.articles() for s in store.spans(a.id))


def test_conll_2003_four_columns_token_first_tag_last_and_documents(store_path: Path) -> None:
    path = GOLDEN / "conll2003.txt"
    assert sniff(path) == "conll"
    store = imported(path, store_path, {"LOC": "GPE"})
    first, second = store.articles()
    assert first.text == "زار الرئيس بايدن بغداد .\nوقال الكاظمي"  # no POS or chunk tags in the text
    assert second.text == "في واشنطن"  # -DOCSTART- started a new article
    assert [(s.label, s.text) for s in store.spans(first.id)] == [
        ("PER", "بايدن"),
        ("GPE", "بغداد"),
        ("PER", "الكاظمي"),
    ]


def test_label_studio_conll2003_export_is_read(store_path: Path) -> None:
    store = imported(GOLDEN / "labelstudio-conll2003.conll", store_path)
    (article,) = store.articles()
    assert article.text == "قال مصطفى الكاظمي اليوم"
    assert [s.text for s in store.spans(article.id)] == ["مصطفى الكاظمي"]


def test_label_studio_json_min_keeps_each_annotator(store_path: Path) -> None:
    store = imported(GOLDEN / "labelstudio-min.json", store_path)
    assert spans_of(store) == [
        ("mona@example.org", "GPE", "بغداد"),
        ("mona@example.org", "PER", "مصطفى الكاظمي"),
        ("sami@example.org", "PER", "مصطفى الكاظمي"),
    ]
    assert [(s.annotator, s.value) for s in store.stances("ls-1")] == [("mona@example.org", "favor")]
    assert check_store(store).ok  # one span per annotator is no duplicate


def test_doccano_text_classification_is_the_articles_stance(store_path: Path) -> None:
    store = imported(GOLDEN / "doccano-classification.jsonl", store_path)
    assert [(s.target, s.value) for s in store.stances("c1")] == [("(article)", "against")]
    assert [(s.target, s.value) for s in store.stances("c2")] == [("(article)", "favor")]


def test_hamish_prodigy_export_is_read_as_prodigy_with_every_span(annotated: Store, tmp_path: Path) -> None:
    path = tmp_path / "prodigy.jsonl"
    path.write_text(exported(annotated, "prodigy"), encoding="utf-8")
    assert sniff(path) == "prodigy"
    store = imported(path, tmp_path / "back.json")
    original = sorted((s.label, s.start, s.end) for s in annotated.spans(annotated.articles()[0].id))
    assert sorted((s.label, s.start, s.end) for a in store.articles() for s in store.spans(a.id)) == original


def test_a_jsonl_with_annotations_no_reader_knows_is_refused(
    tmp_path: Path, store_path: Path, capsys
) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        json.dumps({"text": "قال الكاظمي", "ner": [[4, 11, "PER"]]}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    code, _, err = run(["import", str(path)], capsys)
    assert code == 1 and f"{path}:1: carries annotations (ner)" in err
    assert Store(store_path, writable=False).articles() == []


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio", "native", "prodigy"])
def test_every_own_export_imports_into_a_store_that_passes_check(
    annotated: Store, fmt: str, tmp_path: Path
) -> None:
    other = Store(annotated.path, annotator="sami")  # the same span as tester's, by a second annotator
    other.add_span(other.articles()[0], 26, 33, "entity", "PER")
    path = tmp_path / f"out.{'json' if fmt == 'labelstudio' else 'jsonl'}"
    path.write_text(exported(annotated, fmt, done_only=False), encoding="utf-8")
    store = Store(tmp_path / "back.json", annotator="importer")
    report = import_records(store, read([path]), load_schema())
    assert not report.problems and not report.skipped and not report.warnings  # its own export, read cleanly
    assert check_store(store).ok, check_store(store).problems


def test_doccano_export_has_one_record_shape_and_its_stances_come_back(
    annotated: Store, tmp_path: Path
) -> None:
    lines = exported(annotated, "doccano", done_only=False).splitlines()
    assert {tuple(json.loads(line)) for line in lines} == {("text", "label", "cats", "meta")}
    meta = json.loads(lines[0])["meta"]
    assert set(meta) >= {"id", "title", "url", "source_file"}
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = imported(path, tmp_path / "back.json")
    article = annotated.articles()[0]
    assert sorted((s.target, s.value) for s in store.stances(article.id)) == [
        ("(article)", "against"),
        ("الكاظمي", "favor"),
    ]


def test_label_studio_round_trip_keeps_notes_target_stances_and_annotators(
    annotated: Store, tmp_path: Path
) -> None:
    article = annotated.articles()[0]
    span = annotated.spans(article.id)[0]
    annotated.set_note(article.id, span.id, "يحتاج مراجعة")
    options = ExportOptions("labelstudio", done_only=True)
    path = tmp_path / "tasks.json"
    path.write_text("".join(export(annotated, options)), encoding="utf-8")
    store = imported(path, tmp_path / "back.json")
    back = {(s.start, s.end, s.label): s for s in store.spans(article.id)}
    assert back[(span.start, span.end, span.label)].note == "يحتاج مراجعة"
    assert {s.annotator for s in back.values()} == {"tester"}
    assert sorted((s.target, s.value, s.annotator) for s in store.stances(article.id)) == [
        ("(article)", "against", "tester"),
        ("الكاظمي", "favor", "tester"),
    ]
    config = labelstudio_config(load_schema(), options)
    for name in (
        'name="entity"',
        'name="bias"',
        'name="note"',
        'name="stance"',
        'name="stance:الكاظمي"',
        '<Label value="Loaded_Language"',
        '<Choice value="against"/>',
    ):
        assert name in config


def test_prodigy_tokens_cover_exactly_a_span_that_starts_after_an_lrm(store_path: Path) -> None:
    store = Store(store_path, annotator="t")
    from annotations.formats.ingest import Sourced, make_article

    text = "قال \u200eالكاظمي اليوم"
    store.import_articles([Sourced(make_article(text, id="lrm"), "t", 1)])
    store.add_span(store.articles()[0], 5, 12, "entity", "PER")  # الكاظمي without its LRM
    task = json.loads("".join(export(store, ExportOptions("prodigy"))))
    (span,) = task["spans"]
    tokens = task["tokens"][span["token_start"] : span["token_end"] + 1]
    assert (tokens[0]["start"], tokens[-1]["end"]) == (5, 12)
    conll = "".join(export(store, ExportOptions("conll", layers=("entity",))))
    assert "\u200e\t" not in conll and "الكاظمي\tB-PER" in conll  # no token of an LRM alone


def test_what_a_format_cannot_hold_is_said_once_with_a_count(annotated: Store, capsys) -> None:
    article = annotated.articles()[0]
    inner = article.text.index("الفارسي")
    annotated.add_span(article, inner, inner + len("الفارسي"), "entity", "GPE")  # inside the ORG span
    annotated.close()
    code, out, err = run(["export", "--format", "conll", "--layer", "entity"], capsys)
    assert code == 0 and out
    notes = [line for line in err.splitlines() if "cannot hold stances" in line]
    assert notes == ["hamish: note: the conll format cannot hold stances: 2 left out"]
    assert "cannot hold overlapping spans (CoNLL keeps the longer one): 1 left out" in err


def test_export_config_is_written_beside_the_file(annotated: Store, tmp_path: Path, capsys) -> None:
    annotated.close()
    code, _, _ = run(
        [
            "export",
            "--format",
            "labelstudio",
            "--out",
            str(tmp_path / "t.json"),
            "--config",
            str(tmp_path / "c.xml"),
        ],
        capsys,
    )
    assert code == 0 and (tmp_path / "c.xml").read_text(encoding="utf-8").startswith("<View>")
    code, _, err = run(["export", "--format", "doccano", "--config", str(tmp_path / "c.xml")], capsys)
    assert code == 2 and "--config goes with --format labelstudio" in err


def test_the_golden_prodigy_file_is_read_with_every_span(store_path: Path) -> None:
    path = GOLDEN / "prodigy.jsonl"
    task = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    store = imported(path, store_path)
    (article,) = store.articles()
    assert article.id == task["meta"]["id"]
    assert sorted((s.start, s.end, s.label) for s in store.spans(article.id)) == sorted(
        (s["start"], s["end"], s["label"]) for s in task["spans"]
    )


def test_label_studio_json_min_golden_notes_land_on_their_regions(store_path: Path) -> None:
    store = imported(GOLDEN / "labelstudio-min.json", store_path)
    notes = sorted((s.annotator, s.text, s.note) for s in store.spans("ls-1") if s.note)
    assert notes == [
        ("mona@example.org", "مصطفى الكاظمي", "سطر\nوسطر"),
        ("sami@example.org", "مصطفى الكاظمي", "يحتاج مراجعة"),
    ]
    assert [(s.value, s.note) for s in store.stances("ls-1")] == [("favor", "مؤيد بوضوح")]


def test_doccano_golden_stance_note_and_span_come_back(store_path: Path) -> None:
    store = imported(GOLDEN / "doccano-stances.jsonl", store_path)
    spans = {s.id: s.text for s in store.spans("d-1")}
    assert sorted((s.target, s.value, s.note, spans.get(s.span_id, "")) for s in store.stances("d-1")) == [
        ("(article)", "favor", "", ""),
        ("مصطفى الكاظمي", "against", "ينتقد", "مصطفى الكاظمي"),
    ]
