"""Links between spans: typed ends enforced, stored like spans (undoable, deleted with their span), checked,
and made with keys only."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    bias = store.add_span(article, text.index(OCCUPATION), text.index(OCCUPATION) + len(OCCUPATION), "bias",
                          "Loaded_Language")
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


async def test_link_with_keys_only_then_undo_and_a_refused_pair(sample_store: Store, store_path: Path) -> None:
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
        assert app.main.describe_links(spans[TEHRAN]).startswith("targets ← «")
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
