"""Annotating with keys only: what ends up in the store is exactly the words the user saw."""

from __future__ import annotations

from pathlib import Path

from annotations.store.store import Store
from tui.app import HamishApp
from tui.screens.label_picker import LabelPicker
from tui.screens.stance_dialog import StanceDialog
from tui.widgets.article_view import ArticleView
from tui.widgets.status_bar import StatusBar

KADHIMI = "الكاظمي"
OCCUPATION = "الاحتلال الفارسي"


async def test_tag_entity_and_bias_set_stance_undo_redo_with_keys_only(
    sample_store: Store, store_path: Path
) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        status = app.screen.query_one(StatusBar)
        article = view.article
        await pilot.press("w", "w", "w")  # to الكاظمي, the headline's first word
        assert view.word_under_cursor() == KADHIMI
        await pilot.press("1")  # PER in the entity layer
        assert "saved ✓ PER" in status.message
        await pilot.press("w", "w", "v", "w")  # select الاحتلال, extend over الفارسي (snaps to words)
        assert view.selection and article.text[slice(*view.selection)] == OCCUPATION
        await pilot.press("l")
        assert status.active_layer == "bias"
        await pilot.press("1")  # Loaded_Language
        await pilot.press("s", "enter", "2")  # stance toward (article): against
        assert isinstance(app.screen, StanceDialog)
        await pilot.press("enter")
        assert not isinstance(app.screen, StanceDialog)

        spans = {s.label: s for s in Store(store_path).spans(article.id)}
        per, loaded = spans["PER"], spans["Loaded_Language"]
        assert article.text[per.start : per.end] == KADHIMI and per.layer == "entity"
        assert (per.start, per.end) == (
            article.text.index(KADHIMI),
            article.text.index(KADHIMI) + len(KADHIMI),
        )
        assert article.text[loaded.start : loaded.end] == OCCUPATION and loaded.layer == "bias"
        assert loaded.start == article.text.index(OCCUPATION)
        assert [(s.target, s.value) for s in Store(store_path).stances(article.id)] == [
            ("(article)", "against")
        ]

        await pilot.press("ctrl+z")  # undo the stance
        assert Store(store_path).stances(article.id) == []
        await pilot.press("ctrl+z")  # undo Loaded_Language
        assert [s.label for s in Store(store_path).spans(article.id)] == ["PER"]
        await pilot.press("ctrl+y", "ctrl+y")
        assert {s.label for s in Store(store_path).spans(article.id)} == {"PER", "Loaded_Language"}
        assert len(Store(store_path).stances(article.id)) == 1


async def test_trim_clitics_tags_washington_without_its_conjunction(
    sample_store: Store, store_path: Path
) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        text = view.article.text
        view.move_to(text.index("وواشنطن"))
        await pilot.press("t")
        assert text[slice(*view.selection)] == "واشنطن"
        await pilot.press("3")  # GPE
        (span,) = Store(store_path).spans(view.article.id)
        assert (span.label, span.text) == ("GPE", "واشنطن")
        assert span.start == text.index("وواشنطن") + 1


async def test_arabic_layout_digits_and_letters_annotate(sample_store: Store, store_path: Path) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("ص", "ص", "ص", "٢")  # w w w on an Arabic layout, then Arabic-Indic 2 (ORG)
        assert [s.label for s in Store(store_path).spans(view.article.id)] == ["ORG"]
        await pilot.press("ء")  # x: delete
        assert Store(store_path).spans(view.article.id) == []


async def test_duplicate_is_refused_with_a_message_and_overlaps_are_allowed(
    sample_store: Store, store_path: Path
) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        status = app.screen.query_one(StatusBar)
        await pilot.press("w", "w", "w", "1", "1")
        assert status.message.startswith("refused:")
        await pilot.press("l", "1")  # the same word in the bias layer is fine
        assert len(Store(store_path).spans(app.screen.query_one(ArticleView).article.id)) == 2


async def test_label_picker_filters_as_you_type(sample_store: Store, store_path: Path) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("w", "w", "w", "l", "enter")
        assert isinstance(app.screen, LabelPicker)
        await pilot.press(*"straw", "enter")
        (span,) = Store(store_path).spans(app.session.articles[0].id)
        assert span.label == "Straw_Man"


async def test_note_edit_and_done_opens_the_next_article(sample_store: Store, store_path: Path) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = app.session.articles[0].id
        await pilot.press("w", "w", "w", "1", "e", *"رئيس", "enter")
        (span,) = Store(store_path).spans(first)
        assert span.note == "رئيس"
        await pilot.press("d")
        assert Store(store_path).done_ids() == {first}
        assert app.screen.query_one(ArticleView).article.id == app.session.articles[1].id
        assert app.sub_title == "1/5 done"


async def test_panel_enter_jumps_to_the_span(sample_store: Store) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("w", "w", "w", "1", "g", "tab")
        assert view.cursor == 0
        await pilot.press("enter")
        assert view.cursor == view.article.text.index(KADHIMI) and view.has_focus


async def test_tab_in_the_stance_target_takes_it_and_digits_then_pick_the_value(sample_store: Store) -> None:
    app = HamishApp(sample_store, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s", *"ايران", "tab")  # folded: finds nothing stored, so the typed target is taken
        dialog = app.screen
        assert isinstance(dialog, StanceDialog) and dialog.target == "ايران"
        assert dialog.query_one("#stance-values").has_focus
        await pilot.press("2", "enter")
        assert not isinstance(app.screen, StanceDialog)
    assert [(s.target, s.value) for s in sample_store.stances("000_bd41f7afd87b55b5")] == [
        ("ايران", "against")
    ]
