"""The app driven with keys, as a user would."""

from __future__ import annotations

import pytest

from annotations.store.store import Store
from tests.pty_app import pilot_until
from tui.app import HamishApp
from tui.screens.help import HelpScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.status_bar import StatusBar


async def test_open_next_article_help_and_quit(sample_store: Store) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert view.article.id == "000_bd41f7afd87b55b5"
        assert app.title == "hamish — sample corpus" and app.sub_title == "0/5 done"
        await pilot.press("]")
        assert view.article.id == "001_b7d5ac79bd800930"
        await pilot.press("[", "[")
        assert view.article.id == "004_c60929020f56a472"  # wraps around
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_keys_fire_from_an_arabic_keyboard_layout(sample_store: Store) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("د")  # the ] key on an Arabic layout
        assert view.article.id == "001_b7d5ac79bd800930"
        await pilot.press("ج")  # [
        assert view.article.id == "000_bd41f7afd87b55b5"
        await pilot.press("ص")  # w: next word
        assert view.cursor == 4
        await pilot.press("arabic_question_mark")  # ? is ؟ on an Arabic layout
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ض")  # q
    assert app.return_code == 0


async def test_left_arrow_moves_forward_in_an_rtl_line_and_the_status_bar_follows(
    sample_store: Store,
) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        status = app.screen.query_one(StatusBar)
        await pilot.press("left", "left", "left")
        assert view.cursor == 3
        await pilot.press("right")
        assert view.cursor == 2
        await pilot.press("w", "w")
        assert view.cursor == 18 and view.article.text[18:24] == "العربي"  # two words on, in reading order
        assert status.offset == view.cursor and status.word == view.word_under_cursor()
        await pilot.press("G")
        assert view.cursor == len(view.article.text) - 1
        await pilot.press("g")
        assert view.cursor == 0


async def test_the_view_relays_out_on_resize_and_keeps_the_cursor(sample_store: Store) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("w", "w", "w")
        cursor = view.cursor
        wide = len(view.text_layout.lines)
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert len(view.text_layout.lines) > wide
        assert view.text_layout.width == view.scrollable_content_region.width
        assert view.cursor == cursor


async def test_noise_lines_are_dimmed(sample_store: Store) -> None:
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        article = view.article
        start, _ = article.noise[0]
        line_index, _ = view.text_layout.locate(start)
        view.scroll_to(y=line_index, animate=False, immediate=True)
        await pilot.pause()
        strip = view.render_line(line_index - view.scroll_offset.y)
        drawn = [seg for seg in strip if seg.text.strip()]
        assert drawn and all(seg.style.dim for seg in drawn)
        body = view.render_line(2 - view.scroll_offset.y) if view.scroll_offset.y <= 2 else None
        if body is not None:
            assert not any(seg.style.dim for seg in body if seg.text.strip())


async def test_keys_remapped_in_the_schema_fire_and_keep_their_arabic_alias(sample_store, tmp_path) -> None:
    from annotations.store.schema import default_schema_path, load_schema
    from tui.keymap import reserved_keys

    path = tmp_path / "schema.toml"
    path.write_text(
        default_schema_path().read_text(encoding="utf-8") + '\n[keys]\n"app.next_article" = "u"\n',
        encoding="utf-8",
    )
    schema = load_schema(path, reserved_keys)
    app = HamishApp(sample_store, schema=schema, keymap=schema.keys)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("u")
        assert view.article.id == "001_b7d5ac79bd800930"
        await pilot.press("ع")  # u on an Arabic layout
        assert view.article.id == "002_2eac1bb9ec8be8de"
        await pilot.press("]")  # no longer bound
        assert view.article.id == "002_2eac1bb9ec8be8de"


def test_status_bar_hint_for_terminals_that_reorder_themselves() -> None:
    from tui.terminal import bidi_terminal_hint

    assert "--bidi terminal" in bidi_terminal_hint({"KONSOLE_VERSION": "230800"}, "app")
    assert "Terminal.app" in bidi_terminal_hint({"TERM_PROGRAM": "Apple_Terminal"}, "app")
    assert "ESC[8l" in bidi_terminal_hint({"VTE_VERSION": "7600"}, "app")
    assert bidi_terminal_hint({"TERM": "xterm-256color"}, "app") == ""
    assert bidi_terminal_hint({"KONSOLE_VERSION": "1"}, "terminal") == ""


def test_a_remap_onto_a_key_in_use_is_refused() -> None:
    from tui.keymap import keymap_clash

    assert keymap_clash({"app.next_article": "u"}) is None
    assert (
        keymap_clash({"app.next_article": "n"})
        == "key 'n' would be bound to both 'Next article' and 'Next hit'"
    )
    assert "no binding with id 'app.nope'" in keymap_clash({"app.nope": "z"})


async def test_terminal_mode_leaves_every_label_in_reading_order(sample_store) -> None:
    from tui.widgets.article_list import ArticleList

    app = HamishApp(sample_store, bidi_mode="terminal", pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one(ArticleList)
        first = rows.row_text(0)
        assert "الكاظمي يحذر" in first  # logical order, unshaped: the terminal does the rest
        view = app.screen.query_one(ArticleView)
        assert view.text_layout.lines[0].text.startswith("أهم")


async def test_a_change_redraws_only_its_row_of_the_article_list(sample_store) -> None:
    from tui.widgets.article_list import ArticleList

    app = HamishApp(sample_store, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one(ArticleList)
        before = [rows.row_text(i) for i in range(len(rows.rows))]
        drawn = dict(rows._drawn)
        await pilot.press("w", "w", "w", "1")  # a tag in the first article: its count changes, nothing else
        await pilot.pause()
        after = [rows.row_text(i) for i in range(len(rows.rows))]
        assert after[0] != before[0] and " 1 " in after[0] and after[1:] == before[1:]
        assert all(rows._drawn[key] is title for key, title in drawn.items())  # no title was laid out again
        await pilot.press("d")
        await pilot.pause()
        assert rows.row_text(0).lstrip().startswith("✓")


async def test_the_article_list_filters_by_state_and_title_and_opens_the_chosen_one(sample_store) -> None:
    from tui.widgets.article_list import ArticleList

    app = HamishApp(sample_store, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")  # the first article done; the second opens
        rows = app.screen.query_one(ArticleList)
        rows.focus()
        await pilot.press("f")
        assert rows.status_filter == "to do" and len(rows.rows) == 4
        await pilot.press("f")
        assert rows.status_filter == "done" and rows.rows == [0]
        await pilot.press("f", "f", "f")
        assert rows.status_filter == "all" and len(rows.rows) == 5
        await pilot.press("slash")
        for key in "واشنطن":
            await pilot.press(key)
        await pilot.press("enter")
        assert rows.title_filter == "واشنطن" and len(rows.rows) == 1
        assert "articles" in str(rows.border_title) and "1/5" in str(rows.border_title)
        await pilot.press("enter")
        assert app.session.current == rows.rows[0] and app.screen.focused.id == "article"


async def test_export_from_the_app_writes_the_chosen_format_to_the_folder_shown(
    sample_store: Store, tmp_path
) -> None:
    from textual.widgets import Input

    from tui.screens.export_dialog import ExportDialog

    app = HamishApp(sample_store, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w", "w", "w", "1", "E")
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-folder", Input).value = str(tmp_path / "out")
        await pilot.press("down", "enter")  # doccano, the active layer (entity)
        for _ in range(100):
            if (tmp_path / "out" / "sample_corpus-doccano.jsonl").exists():
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
    lines = (tmp_path / "out" / "sample_corpus-doccano.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    assert '"label":[[26,33,"PER"]]' in lines[0].replace(" ", "")


async def test_keys_typed_before_the_article_is_drawn_act_on_it(
    sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a slow link (hamish serve) or typed ahead, keys can come between the first frame and the article's
    (a slow first frame is made here): none is lost, and they act in their order on the article."""
    from tui.screens.main import MainScreen

    opened = MainScreen.open_article
    slow = []

    def open_late(screen: MainScreen, index: int) -> None:
        if not slow:
            slow.append(index)
            screen.set_timer(0.5, lambda: opened(screen, index))
        else:
            opened(screen, index)

    monkeypatch.setattr(MainScreen, "open_article", open_late)
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.screen.query_one(ArticleView)
        await pilot.press("w", "w", "w", "1")
        assert view.article is None  # still opening
        await pilot_until(pilot, lambda: sample_store.spans("000_bd41f7afd87b55b5"), what="the replayed tag")
        assert view.article.id == "000_bd41f7afd87b55b5" and view.cursor == 26
    spans = sample_store.spans("000_bd41f7afd87b55b5")
    assert [(s.start, s.end, s.label) for s in spans] == [
        (26, 33, "PER")
    ]  # «الكاظمي», as in the browser test


async def test_a_key_while_nothing_has_focus_acts_on_the_article(sample_store: Store) -> None:
    """Textual leaves focus empty for a moment around a click and when the window regains focus: a `w` typed
    then reached the screen, which has no binding for it (the browser test lost one under load)."""
    app = HamishApp(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        app.screen.set_focus(None)
        await pilot.press("w")
        assert view.cursor == 4 and app.screen.focused is view
        app.screen.set_focus(None)
        await pilot.press("1")
    assert [(s.start, s.end) for s in sample_store.spans("000_bd41f7afd87b55b5")] == [(4, 17)]


async def test_export_from_the_app_offers_brat_as_a_new_folder(sample_store: Store, tmp_path) -> None:
    from textual.widgets import Input

    app = HamishApp(sample_store, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w", "w", "w", "1", "E")
        app.screen.query_one("#export-folder", Input).value = str(tmp_path)
        await pilot.press("end", "enter")  # the last format: brat
        await pilot_until(
            pilot, lambda: (tmp_path / "sample_corpus-brat" / "annotation.conf").exists(), what="brat"
        )
        await app.workers.wait_for_complete()
    folder = tmp_path / "sample_corpus-brat"
    assert len(list(folder.glob("*.ann"))) == 5 and len(list(folder.glob("*.txt"))) == 5
    assert "\tPER 26 33\tالكاظمي" in (folder / "000_bd41f7afd87b55b5.ann").read_text(encoding="utf-8")
