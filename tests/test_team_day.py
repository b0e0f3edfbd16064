"""Teams on one machine: the same span by two annotators in a shared store, stance conflicts adjudicated and
withheld from gold exports until decided, label confusion and small-sample warnings, and merging new work
into an adjudicated store without redoing a decision."""

from __future__ import annotations

import json
from pathlib import Path

from annotations.formats.exporters import ExportOptions, export
from annotations.formats.ingest import read_articles
from annotations.store.resources import sample_corpus_dir
from annotations.store.store import Store
from annotations.team.merge import STANCE_LAYER, conflicts, merge_stores
from tests.test_cli import run
from tests.test_team import two_annotator_stores
from tui.app import HamishApp
from tui.screens.adjudication import AdjudicationScreen
from tui.widgets.article_view import ArticleView


async def test_two_annotators_tag_the_same_span_in_a_shared_store_and_agree(tmp_path: Path, capsys) -> None:
    path = tmp_path / "shared.json"
    mona = Store(path, annotator="mona")
    mona.import_articles(read_articles([sample_corpus_dir()]))
    article = mona.articles()[0]
    start = article.text.index("بغداد")
    mona.add_span(article, start, start + 5, "entity", "GPE")
    app = HamishApp(Store(path, annotator="sami"), pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ArticleView).move_to(start)
        await pilot.press("3")  # GPE, as mona did
        assert str(app.screen.status.message).startswith("saved ✓ GPE")
    spans = Store(path).spans(article.id)
    assert sorted(s.annotator for s in spans) == ["mona", "sami"]
    code, out, _ = run(["agree", str(path), "--json"], capsys)
    (pair,) = json.loads(out)["pairs"]
    rows = {(r["layer"], r["label"]): r for r in pair["spans"]}
    assert rows[("entity", "GPE")]["exact_f1"] == 1.0  # counted as agreement, not as two disagreements


def test_agree_shows_label_confusion_and_warns_on_few_items(tmp_path: Path, capsys) -> None:
    mona, sami = two_annotator_stores(tmp_path)
    code, out, err = run(["agree", str(mona), str(sami), "--json"], capsys)
    result = json.loads(out)
    confusion = {
        (c["reference_label"], c["other_label"]): c["spans"] for c in result["pairs"][0]["label_confusion"]
    }
    # «الاحتلال الفارسي»: the same boundaries, PER by mona, ORG by sami.
    assert confusion == {("GPE", "GPE"): 1, ("PER", "ORG"): 1, ("PER", "PER"): 1}
    assert result["stance_alpha_items"] == 2
    assert any("stance kappa mona vs sami rests on 2 items" in w for w in result["warnings"])
    code, out, err = run(["agree", str(mona), str(sami)], capsys)
    assert "warning: stance alpha (all annotators) rests on 2 items" in err
    assert "labels where the boundaries match" in out


def merged(tmp_path: Path) -> tuple[Path, Path, Path]:
    mona, sami = two_annotator_stores(tmp_path)
    out = tmp_path / "team.json"
    merge_stores([Store(mona), Store(sami)], Store(out, annotator="merge"))
    return mona, sami, out


def doccano_cats(store: Store) -> list:
    options = ExportOptions(format="doccano", layers=("entity",))
    lines = [json.loads(line) for line in "".join(export(store, options)).splitlines()]
    return lines[0]["cats"] if "cats" in lines[0] else lines[0].get("label_cats", []), options


async def test_a_stance_conflict_is_adjudicated_on_the_conflict_screen_and_held_back_until_then(
    tmp_path,
) -> None:
    _, _, out = merged(tmp_path)
    team = Store(out, annotator="judge")
    article = team.articles()[0]
    cats, options = doccano_cats(team)
    assert "against" not in cats and "neutral" not in cats  # two contradictory gold labels: neither written
    assert "الكاظمي:favor" in cats  # both said favor: written once
    assert cats.count("الكاظمي:favor") == 1
    assert any("undecided" in what for what in options.left_out)
    app = HamishApp(team, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c", "n")  # the span conflict first, then the stance
        screen = app.screen
        assert isinstance(screen, AdjudicationScreen) and screen.sides == ["mona", "sami"]
        assert "stance" in str(screen.query_one("#conflict-panel").render())
        await pilot.press("b")  # both: refused, a stance takes one value
        assert [c.layer for c in conflicts(Store(out), article.id)].count(STANCE_LAYER) == 1
        await pilot.press("1")  # keep mona's
    stances = Store(out).stances(article.id)
    assert sorted((s.target, s.value) for s in stances) == [
        ("(article)", "against"),
        ("الكاظمي", "favor"),
        ("الكاظمي", "favor"),
    ]
    cats, _ = doccano_cats(Store(out))
    assert "against" in cats


def test_merge_update_adds_new_work_and_keeps_every_decision(tmp_path: Path, capsys) -> None:
    mona, sami, out = merged(tmp_path)
    team = Store(out, annotator="judge")
    article = team.articles()[0]
    span_conflict = next(c for c in conflicts(team, article.id) if c.layer == "entity")
    from annotations.team.merge import resolve

    resolve(team, span_conflict, "sami")  # «الاحتلال الفارسي» is ORG
    team.close()
    store = Store(mona, annotator="mona")  # mona goes on working
    start = article.text.index("واشنطن")
    store.add_span(article, start, start + 6, "entity", "GPE")
    store.close()
    code, text, _ = run(["merge", str(mona), str(sami), "--out", str(out), "--update"], capsys)
    assert code == 0 and "1 conflicts to adjudicate" in text
    team = Store(out)
    labels = sorted((s.label, s.text) for s in team.spans(article.id))
    assert ("PER", "الاحتلال الفارسي") not in labels  # the decision stands
    assert ("ORG", "الاحتلال الفارسي") in labels and ("GPE", "واشنطن") in labels
    open_ones = [c for c in conflicts(team, article.id) if c.layer == "entity"]
    assert len(open_ones) == 1 and team.spans(article.id)  # the new span waits for a decision
    before = {name: len(t) for name, t in team.storage.read().items()}
    code, text, _ = run(["merge", str(mona), str(sami), "--out", str(out), "--update"], capsys)
    assert code == 0 and "0 conflicts to adjudicate" in text
    after = {name: len(t) for name, t in Store(out).storage.read().items()}
    assert before == after  # nothing new: nothing changes
    code, _, err = run(["merge", str(mona), "--out", str(out)], capsys)
    assert code == 1 and "--update" in err
