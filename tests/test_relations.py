"""Links between spans: typed ends enforced, stored like spans (undoable, deleted with their span), checked,
and made with keys only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.formats.brat import brat_files
from annotations.formats.exporters import ExportOptions, export, selected
from annotations.formats.importers import read
from annotations.formats.importing import import_records
from annotations.store.check import check_store
from annotations.store.schema import load_schema
from annotations.store.store import Store
from tui.app import HamishApp
from tui.screens.relation_picker import RelationPicker

OCCUPATION = "الاحتلال الفارسي"
TEHRAN = "طهران"


def tagged(store: Store) -> tuple:
    article = store.articles()[0]
    text = article.text
    bias = store.add_span(
        article, text.index(OCCUPATION), text.index(OCCUPATION) + len(OCCUPATION), "bias", "Loaded_Language"
    )
    place = store.add_span(article, text.index(TEHRAN), text.index(TEHRAN) + len(TEHRAN), "entity", "GPE")
    return article, bias, place


def test_deleting_a_span_deletes_its_links_and_undo_brings_both_back(sample_store: Store) -> None:
    article, bias, place = tagged(sample_store)
    link = sample_store.add_relation(article.id, "targets", bias.id, place.id)
    sample_store.delete_span(article.id, place.id)
    assert sample_store.relations(article.id) == []
    assert sample_store.undo(article.id) == "delete GPE"
    assert [r.id for r in sample_store.relations(article.id)] == [link.id]
    assert {s.id for s in sample_store.spans(article.id)} == {bias.id, place.id}


def test_a_link_needs_two_stored_spans_and_is_not_made_twice(sample_store: Store) -> None:
    article, bias, place = tagged(sample_store)
    with pytest.raises(ValueError, match="two different annotations"):
        sample_store.add_relation(article.id, "targets", bias.id, "nosuch")
    sample_store.add_relation(article.id, "same_as", place.id, bias.id, symmetric=True)
    with pytest.raises(ValueError, match="already there"):
        sample_store.add_relation(article.id, "same_as", bias.id, place.id, symmetric=True)


def test_check_names_a_dangling_end_and_a_broken_rule(sample_store: Store) -> None:
    article, bias, place = tagged(sample_store)
    sample_store.add_relation(article.id, "targets", place.id, bias.id)  # entity -> bias: against the rule
    report = check_store(sample_store, load_schema())
    assert report.relations == 1
    assert any("breaks the rule targets: from bias to entity" in p for p in report.problems)
    sample_store.table(f"spans/{article.id}").remove(lambda doc: doc["id"] == place.id)
    assert any("is no stored annotation" in p for p in check_store(sample_store, load_schema()).problems)


async def test_link_with_keys_only_then_undo_and_a_refused_pair(
    sample_store: Store, store_path: Path
) -> None:
    app = HamishApp(sample_store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("w", "w", "w", "w", "w", "v", "w", "l", "1")  # bias: الاحتلال الفارسي
        await pilot.press("slash", *TEHRAN, "enter", "l", "l", "3")  # entity: طهران (GPE)
        await pilot.pause()
        status = app.main.status
        assert "saved ✓ GPE" in status.message
        await pilot.press("comma")  # back to the previous annotation: the bias span
        await pilot.press("k", "full_stop", "k")  # link from it, to the next annotation
        await pilot.pause()
        assert isinstance(app.screen, RelationPicker)
        assert [k.name for k in app.screen.allowed] == ["targets"]  # only what the schema allows for the pair
        await pilot.press("1")
        await pilot.pause()
        assert status.message.startswith("saved ✓ targets")
        article = app.main.article
        spans = {s.text: s for s in Store(store_path, writable=False).spans(article.id)}
        (link,) = Store(store_path, writable=False).relations(article.id)
        assert (link.type, link.source, link.target) == ("targets", spans[OCCUPATION].id, spans[TEHRAN].id)
        # The cursor is on طهران: the wording linked to it is marked, and the status line would say so.
        assert app.main.view.linked == [(spans[OCCUPATION].start, spans[OCCUPATION].end)]
        assert app.main.links.describe_links(spans[TEHRAN]).startswith("targets ← «")
        await pilot.press("o")  # follow the link to the wording, and back
        assert app.main.view.cursor == spans[OCCUPATION].start
        await pilot.press("o")
        assert app.main.view.cursor == spans[TEHRAN].start
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert Store(store_path, writable=False).relations(article.id) == []
        await pilot.press("k", "comma", "k")  # from the place to the wording: targets goes the other way
        await pilot.pause()
        assert status.message.startswith("refused: no link may go from entity:GPE to bias:Loaded_Language")
        assert Store(store_path, writable=False).relations(article.id) == []


# -- every format carries the links --------------------------------------------------------------------------
GOLDEN = Path(__file__).parent / "golden" / "relations"


@pytest.fixture
def linked(annotated: Store) -> Store:
    """The golden article with one link of each type: targets, said_by and the symmetric same_as."""
    article = annotated.articles()[0]
    text = article.text
    spans = {s.text: s for s in annotated.spans(article.id) if s.layer != "bias"}
    bias = next(s for s in annotated.spans(article.id) if s.label == "Loaded_Language")
    start = text.index("رئيس الوزراء")
    premier = annotated.add_span(article, start, start + len("رئيس الوزراء"), "entity", "PER")
    claim_text = "احتواء جماعاتها المسلحة"
    start = text.index(claim_text)
    claim = annotated.add_span(article, start, start + len(claim_text), "attribution", "indirect_claim")
    annotated.add_relation(article.id, "targets", bias.id, spans["الكاظمي"].id)
    annotated.add_relation(article.id, "said_by", claim.id, premier.id)
    annotated.add_relation(article.id, "same_as", premier.id, spans["الكاظمي"].id, symmetric=True)
    return annotated


def link_facts(store: Store, with_annotator: bool = True) -> set[tuple]:
    schema = load_schema()
    out = set()
    for article in store.articles():
        spans = {
            s.id: (s.start, s.end, s.layer, s.label) + ((s.annotator,) if with_annotator else ())
            for s in store.spans(article.id)
        }
        for r in store.relations(article.id):
            ends = (spans[r.source], spans[r.target])
            out.add((r.type, frozenset(ends) if not schema.relation(r.type).directed else ends))
    return out


def export_to(store: Store, fmt: str, folder: Path) -> Path:
    options = ExportOptions(
        fmt, done_only=True, symmetric={r.name: not r.directed for r in load_schema().relations}
    )
    if fmt == "brat":
        out = folder / "brat"
        out.mkdir()
        for name, content in brat_files(selected(store, options), options, load_schema()):
            (out / name).write_text(content, encoding="utf-8")
        return out
    out = (
        folder
        / {"native": "native.jsonl", "labelstudio": "labelstudio.json", "doccano": "doccano.jsonl"}[fmt]
    )
    out.write_text("".join(export(store, options)), encoding="utf-8")
    return out


@pytest.mark.parametrize("fmt", ["native", "labelstudio", "doccano", "brat"])
def test_links_round_trip_exactly_through_every_format(
    linked: Store, fmt: str, tmp_path: Path, request
) -> None:
    path = export_to(linked, fmt, tmp_path)
    golden = GOLDEN / path.name
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    for file in files:
        expected = golden / file.name if path.is_dir() else golden
        if request.config.getoption("--snapshot-update") and not expected.exists():
            expected.parent.mkdir(parents=True, exist_ok=True)
            expected.write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
        assert file.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8"), file.name
    back = Store(tmp_path / "back.json", annotator="tester")
    report = import_records(back, read([path]), load_schema())
    assert not report.problems and not report.skipped, (report.problems, report.warnings)
    keeps_annotators = fmt in ("native", "labelstudio")
    assert link_facts(back, keeps_annotators) == link_facts(linked, keeps_annotators)
    assert len(link_facts(back)) == 3
    assert check_store(back, load_schema()).ok
    if fmt == "native":  # span ids stay the same across export and import
        article = linked.articles()[0]
        assert {s.id for s in back.spans(article.id)} == {s.id for s in linked.spans(article.id)}


def test_a_brat_ann_written_by_hand_imports_exactly(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = "قال رئيس الوزراء مصطفى الكاظمي إن الاحتلال الفارسي انتهى.\nوأكد الكاظمي ذلك.\n"
    (folder / "doc1.txt").write_text(text, encoding="utf-8")
    (folder / "doc1.ann").write_text(
        "T1\tPER 4 16\tرئيس الوزراء\n"
        "T2\tPER 17 30\tمصطفى الكاظمي\n"
        "T3\tLoaded_Language 34 50\tالاحتلال الفارسي\n"
        "T4\tPER 63 70\tالكاظمي\n"
        "R1\ttargets Arg1:T3 Arg2:T2\n"
        "*\tsame_as T1 T2 T4\n"
        "#1\tAnnotatorNotes T3\tوصف عدائي\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "s.json", annotator="mona")
    report = import_records(store, read([folder]), load_schema())
    assert not report.problems and not report.warnings
    spans = {s.text: s for s in store.spans("doc1")}
    assert spans["الاحتلال الفارسي"].layer == "bias" and spans["الاحتلال الفارسي"].note == "وصف عدائي"
    links = {
        (r.type, spans_text(store, r.source), spans_text(store, r.target)) for r in store.relations("doc1")
    }
    assert links == {
        ("targets", "الاحتلال الفارسي", "مصطفى الكاظمي"),
        ("same_as", "رئيس الوزراء", "مصطفى الكاظمي"),
        ("same_as", "مصطفى الكاظمي", "الكاظمي"),
    }


def spans_text(store: Store, span_id: str) -> str:
    return next(s.text for a in store.articles() for s in store.spans(a.id) if s.id == span_id)


def test_a_link_whose_end_is_missing_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "doccano.jsonl"
    path.write_text(
        json.dumps(
            {
                "text": "قال الكاظمي في بغداد",
                "entities": [
                    {"id": 11, "label": "PER", "start_offset": 4, "end_offset": 11},
                    {"id": 12, "label": "GPE", "start_offset": 15, "end_offset": 20},
                ],
                "relations": [
                    {"id": 1, "from_id": 11, "to_id": 12, "type": "same_as"},
                    {"id": 2, "from_id": 11, "to_id": 99, "type": "same_as"},
                ],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "s.json")
    report = import_records(store, read([path]), load_schema())
    assert [str(w) for w in report.warnings] == [
        f"{path}:1: relation 1: its end 99 is no span of this record; relation skipped"
    ]
    (article,) = store.articles()
    assert len(store.relations(article.id)) == 1  # doccano's database ids mapped to the stored spans


def test_conll_says_once_that_it_leaves_the_links_out(linked: Store) -> None:
    options = ExportOptions("conll", layers=("entity",))
    "".join(export(linked, options))
    assert options.left_out["links between spans"] == 1  # the same_as link: both ends in the entity layer


# -- the team ------------------------------------------------------------------------------------------------
def two_annotators(tmp_path: Path) -> tuple[Path, Path]:
    """mona and sami tag the same words; both link the wording to the premier; only mona links him to
    «الكاظمي» as the same person."""
    from annotations.formats.ingest import read_articles
    from annotations.store.resources import sample_corpus_dir

    paths = []
    for name in ("mona", "sami"):
        store = Store(tmp_path / f"{name}.json", annotator=name)
        store.import_articles(read_articles([sample_corpus_dir()]))
        article = store.articles()[0]
        text = article.text

        def tag(word: str, layer: str, label: str, store=store, article=article, text=text):
            start = text.index(word)
            return store.add_span(article, start, start + len(word), layer, label)

        kadhimi, premier = tag("الكاظمي", "entity", "PER"), tag("رئيس الوزراء", "entity", "PER")
        wording = tag(OCCUPATION, "bias", "Loaded_Language")
        store.add_relation(article.id, "targets", wording.id, premier.id)
        if name == "mona":
            store.add_relation(article.id, "same_as", kadhimi.id, premier.id, symmetric=True)
        store.close()
        paths.append(tmp_path / f"{name}.json")
    return paths[0], paths[1]


def test_agree_scores_links_exactly_and_by_overlap(tmp_path: Path, capsys) -> None:
    from tests.test_cli import run

    mona, sami = two_annotators(tmp_path)
    code, out, _ = run(["agree", str(mona), str(sami), "--json"], capsys)
    assert code == 0
    (pair,) = json.loads(out)["pairs"]
    links = {row["type"]: row for row in pair["relations"]}
    assert (links[None]["reference"], links[None]["other"]) == (2, 1)
    assert links[None]["exact_precision"] == 1.0 and links[None]["exact_recall"] == 0.5
    assert abs(links[None]["exact_f1"] - 2 / 3) < 1e-9
    assert links["targets"]["exact_f1"] == 1.0 and links["same_as"]["exact_recall"] == 0.0


async def test_merge_keeps_agreed_links_once_and_adjudication_decides_the_other(
    tmp_path: Path, capsys
) -> None:
    from tests.test_cli import run

    mona, sami = two_annotators(tmp_path)
    team = tmp_path / "team.json"
    code, out, _ = run(["merge", str(mona), str(sami), "--out", str(team)], capsys)
    assert code == 0 and "1 links agreed, 1 link conflicts" in out
    store = Store(team, annotator="judge")
    article = store.articles()[0]
    assert sorted((r.type, r.annotator) for r in store.relations(article.id)) == [
        ("same_as", "mona"),
        ("targets", "mona+sami"),
    ]
    app = HamishApp(store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")  # the adjudication screen: the only open conflict is mona's same_as link
        await pilot.pause()
        assert "a link" in str(app.screen.query_one("#conflict-panel").render())
        await pilot.press("x")  # drop it
        await pilot.pause()
    assert [r.type for r in Store(team, writable=False).relations(article.id)] == ["targets"]
    assert check_store(Store(team, writable=False), load_schema()).ok


def test_link_ends_match_exactly_or_by_overlap_and_symmetric_types_either_way() -> None:
    from annotations.store.model import Relation, Span
    from annotations.team.agreement import relation_scores

    def span(sid: str, start: int, end: int, label: str = "PER", layer: str = "entity") -> Span:
        return Span(sid, "a", start, end, layer, label, "x" * (end - start))

    spans = {
        s.id: s
        for s in (
            span("m1", 0, 5),
            span("m2", 10, 15),
            span("s1", 0, 4),
            span("s2", 10, 15),
            span("mb", 20, 30, "Doubt", "bias"),
            span("sb", 21, 30, "Doubt", "bias"),
        )
    }
    mona = [
        Relation("r1", "a", "same_as", "m1", "m2", "mona"),
        Relation("r2", "a", "targets", "mb", "m2", "mona"),
    ]
    sami = [
        Relation("r3", "a", "same_as", "s2", "s1", "sami"),
        Relation("r4", "a", "targets", "m2", "sb", "sami"),
    ]
    symmetric = {"same_as": True, "targets": False}
    exact = relation_scores(mona, sami, spans, symmetric, overlap=False)
    overlap = relation_scores(mona, sami, spans, symmetric, overlap=True)
    assert exact.true_positives == 0  # s1 is shorter than m1; sami's targets goes the wrong way
    assert overlap.true_positives == 1  # same_as matches reversed (symmetric) once ends may overlap


def test_cli_brat_export_is_a_folder_that_imports_back(linked: Store, tmp_path: Path, capsys) -> None:
    from tests.test_cli import run

    linked.close()
    out = tmp_path / "brat"
    code, _, err = run(["export", "--format", "brat", "--out", str(out), "--done-only"], capsys)
    assert code == 0 and "cannot hold" not in err  # the stances are in the sidecar
    assert sorted(p.name for p in out.iterdir()) == [
        "000_bd41f7afd87b55b5.ann",
        "000_bd41f7afd87b55b5.hamish-meta.json",
        "000_bd41f7afd87b55b5.txt",
        "annotation.conf",
    ]
    code, _, err = run(["export", "--format", "brat", "--out", str(out)], capsys)
    assert code == 2 and "exists: give a new folder" in err
    code, _, err = run(["--store", str(tmp_path / "back.json"), "import", str(out)], capsys)
    assert code == 0 and "3 links" in err and "2 stances" in err
