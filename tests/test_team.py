"""Several annotators: agreement with hand-computed values, merge, adjudication keys, statistics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.formats.ingest import read_articles
from annotations.store.model import Span
from annotations.store.resources import sample_corpus_dir
from annotations.store.store import Store
from annotations.team.agreement import cohen_kappa, compare, krippendorff_alpha, span_scores
from annotations.team.merge import STANCE_LAYER, conflicts, merge_stores
from tests.test_cli import run
from tui.app import HamishApp
from tui.screens.adjudication import AdjudicationScreen
from tui.screens.stats_screen import StatsScreen
from tui.widgets.article_view import ArticleView


def test_cohen_kappa_textbook_example() -> None:
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 -> po 0.70, pe 0.50, kappa 0.40
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.40)
    assert cohen_kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    assert cohen_kappa([]) is None


def test_krippendorff_alpha_textbook_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units, nominal: 0.743
    n = None
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3]
    c = [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]
    assert krippendorff_alpha(zip(a, b, c, d, strict=True)) == pytest.approx(0.743, abs=0.0005)


def _span(article: str, start: int, end: int, label: str, who: str, layer: str = "entity") -> Span:
    return Span(f"{who}{start}{label}", article, start, end, layer, label, "x" * (end - start), annotator=who)


def test_span_precision_recall_f1_exact_and_overlap_by_hand() -> None:
    ref = [_span("a", 0, 5, "PER", "m"), _span("a", 10, 20, "ORG", "m"), _span("a", 30, 35, "PER", "m")]
    other = [_span("a", 0, 5, "PER", "s"), _span("a", 12, 20, "ORG", "s"), _span("a", 40, 44, "PER", "s")]
    exact = span_scores(ref, other, overlap=False)
    assert (exact.precision, exact.recall, exact.f1) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    loose = span_scores(ref, other, overlap=True)
    assert (loose.precision, loose.recall, loose.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def two_annotator_stores(tmp_path: Path) -> tuple[Path, Path]:
    paths = []
    for who, extra_label, stance in (("mona", "PER", "against"), ("sami", "ORG", "neutral")):
        path = tmp_path / f"{who}.json"
        store = Store(path, annotator=who)
        store.import_articles(read_articles([sample_corpus_dir()]))
        article = store.articles()[0]
        for word, label in (("الكاظمي", "PER"), ("بغداد", "GPE"), ("الاحتلال الفارسي", extra_label)):
            start = article.text.index(word)
            store.add_span(article, start, start + len(word), "entity", label)
        store.set_stance(article.id, "(article)", stance)
        store.set_stance(article.id, "الكاظمي", "favor")
        store.close()
        paths.append(path)
    return paths[0], paths[1]


def test_agree_on_two_stores_by_hand(tmp_path: Path, capsys) -> None:
    mona, sami = two_annotator_stores(tmp_path)
    code, out, _ = run(["agree", str(mona), str(sami), "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    (pair,) = result["pairs"]
    assert pair["articles_both"] == 1 and pair["stance_items"] == 2
    # stances: (article) against/neutral, الكاظمي favor/favor: po = 1/2, pe = (favor 1 x 1)/4 = 1/4,
    # kappa = (1/2 - 1/4) / (3/4) = 1/3; alpha: Do = 2, De = 10/3 over n = 4 values, alpha = 1 - 0.6 = 0.4
    assert pair["stance_kappa"] == pytest.approx(1 / 3)
    assert result["stance_alpha"] == pytest.approx(0.4)
    rows = {(r["layer"], r["label"]): r for r in pair["spans"]}
    assert rows[("entity", None)]["exact_precision"] == pytest.approx(2 / 3)
    assert rows[("entity", "GPE")]["exact_f1"] == pytest.approx(1.0)
    assert rows[("entity", "PER")]["exact_recall"] == pytest.approx(0.5)
    code, again, _ = run(["agree", str(mona), str(sami), "--annotators", "sami", "mona", "--json"], capsys)
    assert json.loads(again)["annotators"] == ["sami", "mona"]  # several names after one option
    code, _, err = run(["agree", str(mona), "--bogus"], capsys)
    assert code == 2 and "No such option: --bogus" in err
    code, out, _ = run(["agree", str(mona), str(sami)], capsys)
    flat = " ".join(out.split())  # the table wraps to the terminal's width
    assert (
        "mona (reference) vs sami: 1 articles annotated by both; stance: 2 items, Cohen's kappa 0.333" in flat
    )


def test_merge_keeps_agreements_once_and_flags_conflicts(tmp_path: Path, capsys) -> None:
    mona, sami = two_annotator_stores(tmp_path)
    out = tmp_path / "team.json"
    code, text, _ = run(["merge", str(mona), str(sami), "--out", str(out)], capsys)
    assert code == 0 and "2 agreed (kept once), 1 conflicts" in text and "1 stance conflicts" in text
    team = Store(out)
    article = team.articles()[0]
    spans = team.spans(article.id)
    assert sorted((s.label, s.annotator) for s in spans) == [
        ("GPE", "mona+sami"),
        ("ORG", "sami"),
        ("PER", "mona"),
        ("PER", "mona+sami"),
    ]
    conflict, stance = conflicts(team, article.id)
    assert len(conflict.span_ids) == 2
    # (article): against / neutral is a conflict; الكاظمي: favor / favor is not.
    assert stance.layer == STANCE_LAYER and stance.span_ids == ("(article)",)
    code, _, err = run(["merge", str(mona), "--out", str(out)], capsys)
    assert code == 1 and "not empty" in err


def span_conflicts(store: Store, article_id: str) -> list:
    return [c for c in conflicts(store, article_id) if c.layer != STANCE_LAYER]


async def test_adjudication_keys_keep_one_side_and_undo_brings_it_back(tmp_path: Path) -> None:
    mona, sami = two_annotator_stores(tmp_path)
    out = tmp_path / "team.json"
    merge_stores([Store(mona), Store(sami)], Store(out, annotator="merge"))
    team = Store(out, annotator="judge")
    app = HamishApp(team, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        assert isinstance(app.screen, AdjudicationScreen)
        assert app.screen.sides == ["mona", "sami"]
        view = app.screen.query_one(ArticleView)
        assert view.article.text[view.cursor :].startswith("الاحتلال الفارسي")
        await pilot.press("2")  # keep sami's ORG
        article = team.articles()[0]
        labels = sorted(s.label for s in Store(out).spans(article.id))
        assert labels == ["GPE", "ORG", "PER"] and span_conflicts(Store(out), article.id) == []
        await pilot.press("escape", "ctrl+z")  # an ordinary undoable change
        assert len(span_conflicts(Store(out), article.id)) == 1
        await pilot.press("c", "b")  # keep both
        assert sorted(s.label for s in Store(out).spans(article.id)) == ["GPE", "ORG", "PER", "PER"]


async def test_statistics_screen_opens_and_closes(sample_store: Store) -> None:
    app = HamishApp(sample_store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


def test_stats_command_prints_the_tables(sample_store: Store, capsys) -> None:
    article = sample_store.articles()[0]
    sample_store.add_span(article, 0, 3, "bias", "Loaded_Language")
    sample_store.set_stance(article.id, "(article)", "against")
    code, out, _ = run(["stats"], capsys)
    assert code == 0 and "spans per layer and label" in out and "Loaded_Language" in out
    assert "stance values by source" in out and "against" in out


def test_compare_two_annotators_in_one_store(sample_store: Store) -> None:
    article = sample_store.articles()[0]
    spans = [_span(article.id, 0, 3, "PER", "a"), _span(article.id, 0, 3, "PER", "b")]
    reports, alpha = compare(spans, [], ["a", "b"])
    assert reports[0].spans[("*", "entity")]["exact"].f1 == pytest.approx(1.0) and alpha is None


def test_agree_with_one_annotator_says_how_many_it_found(annotated, store_path, capsys) -> None:
    from tests.test_bad_inputs import run

    annotated.close()
    code, _, err = run(["agree", str(store_path)], capsys)
    assert code == 1
    assert "agreement needs two annotators; found 1 (tester) in 1 store(s)" in err


def test_statistics_headers_stay_whole_at_80_columns(store_path) -> None:
    """Long labels and long source domains (ArMPro's) at 80 columns: the bars and the sources give way, the
    counts' headers never do (they were cut to «spa…» and «stan…»)."""
    from rich.console import Console

    from annotations.formats.ingest import Sourced, make_article
    from annotations.team.stats import compute
    from tui.labels import Drawing
    from tui.reports import stats_renderables

    store = Store(store_path, annotator="t")
    store.import_articles(
        [
            Sourced(
                make_article(
                    f"قال وزير الخارجية إن المفاوضات مستمرة رقم {n}",
                    id=f"a{n}",
                    title="وزير الخارجية يعلن استمرار المفاوضات حتى نهاية الأسبوع المقبل",
                    url=f"https://observers.france24-arabic-edition{n}.example.com/ar/page",
                ),
                "t",
                n,
            )
            for n in range(3)
        ]
    )
    for article in store.articles():
        for label in ("Obfuscation-Vagueness-Confusion", "Consequential_Oversimplification"):
            store.add_span(article, 4, 8, "bias", label)
        store.set_stance(article.id, "(article)", "against")
    console = Console(width=76, record=True)  # the screen's width at 80 columns, less its padding
    for renderable in stats_renderables(compute(store), Drawing()):
        console.print(renderable)
    lines = console.export_text().splitlines()
    assert any(line.split() == ["layer", "label", "spans"] for line in lines)
    assert any(line.split() == ["article", "source", "spans", "stances"] for line in lines)
    assert any("Consequential_Oversimplification" in line for line in lines)
    assert all(len(line) <= 76 for line in lines)
