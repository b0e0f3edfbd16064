"""An annotator's working day, driven as a user would: keys to find, labels and guidelines at hand, the
place kept, suggestions one after another, small and wide terminals."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette

from annotations.find.suggestions import propose, suggestions
from annotations.store.store import Store
from tui.app import HamishApp
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.guideline import GuidelineScreen
from tui.screens.help import HelpScreen
from tui.screens.label_picker import LabelPicker
from tui.screens.stance_dialog import StanceDialog
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.article_view import ArticleView
from tui.widgets.key_bar import KeyBar
from tui.widgets.layer_legend import LayerLegend


def app_for(store: Store) -> HamishApp:
    return HamishApp(store, pre_annotate=False, recommend=False)


def at(app: HamishApp, word: str, nth: int = 0) -> int:
    view = app.screen.query_one(ArticleView)
    start = -1
    for _ in range(nth + 1):
        start = view.article.text.index(word, start + 1)
    view.move_to(start)
    return start


async def test_help_and_quit_are_the_first_keys_of_the_footer_at_80_columns(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        assert bar.keys()[:2] == ["question_mark", "q"]
        assert str(bar.render()).startswith(" ? Help  q Quit ")
        assert bar.keys()[-1] == "ctrl+p"  # the palette, at the right edge, within 80 columns
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "escape" in str(app.screen.query_one("#help-title").render())  # says how to close it
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_legend_shows_the_active_layers_keys_and_follows_l(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        legend = app.screen.query_one(LayerLegend)
        assert "1 PER  2 ORG  3 GPE" in str(legend.render())
        await pilot.press("l")
        shown = str(legend.render())
        assert (
            "bias" in shown and "1 Loaded_Language" in shown and "more" in shown
        )  # 23 labels: the rest counted


async def test_labels_past_nine_by_the_picker_most_used_first_and_a_digit(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("l")  # bias: 23 labels, 9 keys
        at(app, "الاحتلال")
        await pilot.press("enter")
        assert isinstance(app.screen, LabelPicker)
        await pilot.press(*"slog")
        await pilot.press("enter")  # Slogans has no key
        at(app, "الجماعات")
        await pilot.press("enter")
        picker = app.screen
        assert picker.shown[0].name == "Slogans"  # the most used first
        await pilot.press("1")  # with nothing typed, a digit picks its row
        labels = sorted(s.label for s in sample_store.spans(sample_store.articles()[0].id))
        assert labels == ["Slogans", "Slogans"]


async def test_i_shows_the_guideline_of_the_label_under_the_cursor(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        at(app, "الكاظمي")
        await pilot.press("1", "i")
        assert isinstance(app.screen, GuidelineScreen) and app.screen.label.name == "PER"
        text = " ".join(str(w.render()) for w in app.screen.query(".guideline-label"))
        assert "Person" in text and "ﻲﻤﻇﺎﻜﻟﺍ ﻰﻔﻄﺼﻣ" in text  # the example, drawn right to left
        await pilot.press("escape")
        at(app, "دعا")
        await pilot.press("i")  # no annotation here: every label of the layer
        assert len(app.screen.query(".guideline-label")) == 6


async def test_the_command_palette_lists_every_action_with_its_key(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Next word  (w)" in titles and "Accept all  (Y)" in titles and "Quit  (q)" in titles
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Statistics")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StatsScreen"


async def test_stance_takes_typing_at_once_and_a_folded_spelling_finds_the_known_target(
    sample_store: Store,
) -> None:
    first, second = sample_store.articles()[:2]
    sample_store.set_stance(first.id, "إيران", "against")
    app = app_for(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("]", "s")
        assert isinstance(app.screen, StanceDialog)
        await pilot.press(*"ايران")  # typed at once, without hamza
        await pilot.press("enter", "3", "enter")
    (stance,) = Store(sample_store.path).stances(second.id)
    assert (stance.target, stance.value) == ("إيران", "neutral")  # one target, not two spellings


async def test_a_status_message_clears_once_the_cursor_moves_on(sample_store: Store) -> None:
    article = sample_store.articles()[0]
    start = article.text.index("بغداد")
    propose(sample_store, article, [(start, start + 5, "entity", "GPE")], "gazetteer")
    app = app_for(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        status = app.screen.status
        at(app, "الكاظمي")
        await pilot.press("1")
        assert status.message.startswith("saved ✓")
        await pilot.press("w")
        assert status.message == ""
        at(app, "بغداد")
        await pilot.pause()
        assert status.message.startswith("suggestion GPE")
        await pilot.press("w")
        assert status.message == ""  # off the suggestion, the hint is gone


async def test_reopening_returns_to_the_article_cursor_and_layer(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("]", "]", "w", "w", "w", "l")
        offset = app.screen.query_one(ArticleView).cursor
        assert app.session.current == 2 and offset > 0
    again = app_for(Store(sample_store.path, annotator=sample_store.annotator))
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.session.current == 2
        assert again.screen.query_one(ArticleView).cursor == offset
        assert again.session.active_layer.name == "bias"
    other = HamishApp(Store(sample_store.path, annotator="someone else"), pre_annotate=False, recommend=False)
    async with other.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert other.session.current == 0  # per annotator


async def test_d_opens_the_next_article_not_done(sample_store: Store) -> None:
    ids = [a.id for a in sample_store.articles()]
    sample_store.set_done(ids[1])
    app = app_for(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        assert app.session.current == 2


async def test_j_walks_suggestions_across_articles_and_Y_asks_for_the_active_layer_only(
    sample_store: Store, store_path: Path
) -> None:
    first, second, third = sample_store.articles()[:3]
    start = second.text.index("بغداد")
    propose(sample_store, second, [(start, start + 5, "entity", "GPE")], "tag-all")
    word = third.text.index("القتالية")
    propose(
        sample_store,
        third,
        [(word, word + 8, "entity", "ORG"), (word, word + 8, "bias", "Name_Calling-Labeling")],
        "gazetteer",
    )
    app = app_for(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        view = app.screen.query_one(ArticleView)
        assert app.session.current == 1 and view.cursor == start
        await pilot.press("j")
        assert app.session.current == 2 and view.cursor == word
        await pilot.press("J")
        assert app.session.current == 1
        await pilot.press("j", "Y")
        assert isinstance(app.screen, ConfirmDialog) and "Accept 1 entity suggestion" in app.screen.question
        await pilot.press("y")
    store = Store(store_path)
    assert [s.layer for s in store.spans(third.id)] == ["entity"]
    assert [s.span.layer for s in suggestions(store, third.id)] == ["bias"]  # the other layer is left alone


async def test_panel_rows_keep_the_start_of_right_to_left_text_and_show_notes(sample_store: Store) -> None:
    article = sample_store.articles()[0]
    start = article.text.index("العراق")
    span = sample_store.add_span(article, start, start + 6, "entity", "GPE")
    sample_store.set_note(article.id, span.id, "دولة")
    for word in ("الكاظمي", "بغداد", "طهران", "واشنطن", "مصطفى", "الجماعات", "الفارسي", "المحادثات"):
        at_word = article.text.index(word)
        sample_store.add_span(article, at_word, at_word + len(word), "bias", "Loaded_Language")
    app = app_for(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(AnnotationPanel)
        drawn = [panel.render_line(y).text for y in range(panel.size.height)]
        drawn_all = "\n".join(drawn)
        assert "ﻕﺍﺮﻌﻟﺍ" in drawn_all  # «العراق» whole, though the panel scrolls
        assert "ﺔﻟﻭﺩ" in drawn_all  # the note itself
        assert (
            "Loaded_Language" not in drawn_all and "Loaded_Lan…" in drawn_all
        )  # shortened whole, not broken


async def test_too_small_says_so_and_z_gives_the_article_the_whole_width(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(50, 12)) as pilot:
        await pilot.pause()
        notice = app.screen.query_one("#too-small")
        assert notice.display and "at least 60×14" in str(notice.render())
        assert not app.screen.query_one("#panes").display
        await pilot.press("z")  # the article alone fits
        assert not notice.display and app.screen.query_one("#panes").display
        assert not app.screen.query_one("#annotations").display


async def test_z_hides_the_panels_and_a_wide_terminal_keeps_a_reading_width(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert view.size.width <= 112
        await pilot.press("z")
        await pilot.pause()
        assert not app.screen.query_one("#articles").display and view.size.width <= 112
    app = app_for(Store(sample_store.path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        narrow = view.size.width
        await pilot.press("z")
        await pilot.pause()
        assert view.size.width > narrow + 20


async def test_help_lists_every_label_with_its_guideline(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        guides = " ".join(str(w.render()) for w in app.screen.query(".help-labels"))
        assert "labels of entity" in guides and "labels of bias" in guides
        assert "Organisation, party, militia, ministry" in guides and "Conversation_Killer" in guides


def test_the_corpus_is_named_after_the_users_own_articles_and_can_be_renamed(tmp_path: Path, capsys) -> None:
    import os

    from tests.test_cli import run
    from tui.cli.base import SAMPLE_NAME

    store = Store(os.environ["HAMISH_STORE"])
    from annotations.formats.ingest import read_articles
    from annotations.store.resources import sample_corpus_dir

    store.import_articles(read_articles([sample_corpus_dir()]))
    store.set_corpus_name(SAMPLE_NAME)
    store.close()
    own = tmp_path / "iraq-talks.txt"
    own.write_text("خبر عاجل عن المحادثات في بغداد اليوم\n\nنص الخبر.", encoding="utf-8")
    code, _, _ = run(["import", str(own)], capsys)
    assert code == 0
    code, out, _ = run(["name"], capsys)
    assert out.strip() == "iraq-talks"  # never "sample corpus" once the user's articles are in
    run(["name", "Iraq   talks 2021"], capsys)
    second = tmp_path / "more.txt"
    second.write_text("خبر آخر عن واشنطن وبغداد والمحادثات\n\nنص.", encoding="utf-8")
    run(["import", str(second)], capsys)
    code, out, _ = run(["name"], capsys)
    assert out.strip() == "Iraq talks 2021"  # a name the user chose stays


async def test_a_note_typed_in_arabic_with_latin_and_digits_is_stored_as_typed(sample_store: Store) -> None:
    app = app_for(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        at(app, "الكاظمي")
        await pilot.press("1", "e", *"قال", "space", *"CNN", "space", *"2024")
        # Drawn «CNN 2024 ﻝﺎﻗ»: from the end (the left edge) Right walks C, N, N, space, 2, then onto the 0.
        await pilot.press(*["right"] * 6, "backspace")  # deletes what precedes the 0 in reading order: the 2
        await pilot.press("enter")
    (span,) = Store(sample_store.path).spans(sample_store.articles()[0].id)
    assert span.note == "قال CNN 024"


def test_wrapped_right_to_left_text_reads_from_the_top_line_down() -> None:
    from tui.labels import Drawing

    drawing = Drawing()
    lines = drawing.wrapped("الأول الثاني الثالث الرابع", 13, 3)
    assert [line.strip() for line in lines] == [
        drawing.label("الأول الثاني", 13),
        drawing.label("الثالث الرابع", 13),
    ]
    assert all(len(line) == 13 for line in lines)  # right-aligned in the card's width


def test_labels_follow_no_shaping_and_terminal_mode() -> None:
    from tui.labels import Drawing

    shaped = Drawing().label("بغداد", 10)
    assert shaped == "ﺩﺍﺪﻐﺑ"  # joined forms, drawn right to left
    assert Drawing(shaping=False).label("بغداد", 10) == "دادغب"  # --no-shaping: isolated letters, reordered
    assert Drawing(mode="terminal").label("بغداد", 10) == "بغداد"  # the terminal reorders and shapes


def test_a_corpus_search_row_has_the_title_at_the_right_and_the_hit_in_the_middle() -> None:
    from tui.labels import Drawing
    from tui.screens.corpus_search import hit_row

    drawing = Drawing()
    row = hit_row("بغداد وواشنطن تبحثان", "قال رئيس الوزراء إن ", "بغداد", " وواشنطن اتفقتا على", 80, drawing)
    text = row.plain
    assert text.rstrip().endswith(
        drawing.label("بغداد وواشنطن تبحثان", 20)
    )  # the title reads first, at the right
    hit = text.index("ﺩﺍﺪﻐﺑ")
    column = 80 - 20 - 2
    assert abs((hit + 2) - column // 2) <= 3  # the hit's middle at the context column's middle


def test_the_help_draws_a_lone_haraka_on_a_dotted_circle() -> None:
    from tui.keymap import ARABIC_LAYOUT, key_name
    from tui.screens.help import _alias_char

    assert _alias_char(key_name(ARABIC_LAYOUT["E"])) == "◌ُ"  # E types a damma on an Arabic layout
    assert _alias_char(key_name(ARABIC_LAYOUT["S"])) == "◌ٍ"  # S a kasratan
    assert _alias_char(key_name(ARABIC_LAYOUT["w"])) == "ص"  # a letter stays as it is


async def test_a_long_status_message_is_never_cut_mid_word_at_80_columns(sample_store: Store) -> None:
    from tui.widgets.status_bar import StatusBar

    app = HamishApp(sample_store, recommend=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        status = app.screen.query_one(StatusBar)
        shown = str(status.render())
        full = "selecting: move to extend, 1-9 or enter to tag, t to trim clitics, escape to cancel"
        assert status.message == full and len(shown) <= 80
        said = shown[shown.index("selecting") :]
        assert said == full or (
            said.endswith("…") and full.startswith(said[:-1]) and full[len(said) - 1] == " "
        )


async def test_m_shows_every_message_whole_and_notifications_leave_the_text_uncovered(
    sample_store: Store,
) -> None:
    from textual.widgets import Static

    from tui.screens.messages import MessagesScreen
    from tui.widgets.status_bar import StatusBar

    app = HamishApp(sample_store, recommend=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("v")  # a message the status line cuts at 80 columns
        await pilot.press("escape")
        app.notify("entity model trained on 1 articles: not measured yet; suggesting")
        await pilot.pause()
        assert not app.screen.query("Toast")  # said on the status line, not over the article
        assert app.screen.query_one(StatusBar).message.startswith("entity model trained")
        await pilot.press("m")
        assert isinstance(app.screen, MessagesScreen)
        shown = [str(s.render()) for s in app.screen.query(Static).results() if s.has_class("message")]
        assert any(
            line.endswith(
                "selecting: move to extend, 1-9 or enter to tag, t to trim clitics, escape to cancel"
            )
            for line in shown
        )
        assert shown[-1].endswith("entity model trained on 1 articles: not measured yet; suggesting")
        assert all(line.split("  ", 1)[1].strip() for line in shown)  # no empty message logged
        await pilot.press("m")
        assert not isinstance(app.screen, MessagesScreen)
