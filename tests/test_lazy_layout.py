"""The lazy layout (breaks from words, paragraphs laid out when used) gives exactly the lines of a full one."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotations.text.layout import Layout, full_layout_lines
from annotations.text.lines import line_bounds
from annotations.text.wrap import fast_bounds
from tests.test_layout import mixed_text

PLAIN = st.text(
    alphabet=list("ابتثجحخدذرزسشصضطظعغفقكلمنهوية لالأ abcXYZ0123٠١٢.,«»()")
    + ["\u00a0", "\u2009", "\u064e", "\u0651", "\u0670", "\u200e", "\t", "😀"],
    max_size=400,
)


def shape_of(lines) -> list[tuple]:
    return [
        (
            line.paragraph,
            line.start,
            line.end,
            line.rtl,
            line.width,
            [(c.start, c.end, c.x, c.width, c.glyph, c.level) for c in line.clusters],
        )
        for line in lines
    ]


@settings(max_examples=300, deadline=None)
@given(PLAIN, st.booleans(), st.integers(min_value=2, max_value=40))
def test_the_fast_wrap_cuts_plain_paragraphs_where_the_general_one_does(
    para: str, newline: bool, width: int
) -> None:
    fast = fast_bounds(para, newline, width)
    if fast is None:  # a tab, an emoji or a control: the general path wraps it
        assert any(c in para for c in "\u200e\t😀") or any(
            b in " \u00a0\u2009" and m in "\u064e\u0651\u0670" for b, m in zip(" " + para, para, strict=False)
        )
    else:
        assert fast == line_bounds(para, newline, width)


@settings(max_examples=200, deadline=None)
@given(
    mixed_text(),
    st.integers(min_value=4, max_value=60),
    st.sampled_from(["app", "terminal"]),
    st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_lazy_lines_equal_full_lines_whatever_is_asked_first(
    text: str, width: int, mode: str, asked: list[int]
) -> None:
    full = shape_of(full_layout_lines(Layout(text, width, mode=mode)))
    lazy = Layout(text, width, mode=mode)
    for position in asked:  # lines and offsets asked in any order first (scroll positions, G, a search jump)
        if full:
            line = position % len(full)
            assert shape_of([lazy.lines[line]]) == [full[line]]
            offset = position % max(len(text), 1)
            assert (
                lazy.line_index(offset)
                == next(i for i, f in reversed(list(enumerate(full))) if f[1] <= offset)
                if text
                else True
            )
    assert shape_of(lazy.lines) == full
    assert len(lazy.lines) == len(full) and lazy.complete


def test_a_long_article_is_wrapped_only_as_far_as_it_is_asked() -> None:
    text = "\n".join(f"فقرة رقم {i} من مقال طويل جدا عن بغداد والبصرة" for i in range(20_000))
    layout = Layout(text, 40)
    first = layout.lines[0]
    assert first.start == 0 and not layout.complete
    assert len(layout._first_line) < 100 and len(layout._laid) == 1
    last = layout.lines[layout.line_index(len(text) - 1)]
    assert last.end == len(text) and layout.complete
    assert len(layout._laid) == 2  # the first and the last paragraph: nothing between was laid out


TWO_MB = {
    "paragraphs": "\n\n".join(
        f"قال رئيس الوزراء العراقي مصطفى الكاظمي إن العراق لا يحتاج إلى قوات قتالية في بغداد {n}"
        for n in range(13_000)
    )
    + "\n\nوختم الكاظمي حديثه",
    # A scrape with no line break: one paragraph, laid out in pieces.
    "one line": " ".join(
        ["قال رئيس الوزراء العراقي مصطفى الكاظمي (Reuters) إن العراق لا يحتاج إلى 5,000 جندي."] * 22_000
    )
    + " وختم الكاظمي حديثه",
}


@pytest.mark.parametrize("kind", TWO_MB)
async def test_a_2_mb_article_opens_and_a_tag_after_g_lands_on_its_last_word(store_path, kind: str) -> None:
    from annotations.formats.ingest import make_article
    from annotations.store.model import Sourced
    from annotations.store.store import Store
    from tui.app import HamishApp
    from tui.widgets.article_view import ArticleView

    text = TWO_MB[kind]
    assert len(text.encode()) > 2_000_000
    store = Store(store_path, annotator="tester")
    store.import_articles([Sourced(make_article(text, id="long", title="long"), "test", 1)])
    app = HamishApp(store, recommend=False, pre_annotate=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        laid = view.text_layout._laid
        assert (
            max(laid) < 60 and sum(len(view.text_layout.paragraph(n)) for n in laid) < 20_000
        )  # only what shows
        await pilot.press("G", "b", "1")
        await pilot.pause()
    spans = store.spans("long")
    assert [(s.text, s.start, s.end, s.label) for s in spans] == [("حديثه", len(text) - 5, len(text), "PER")]


async def test_after_the_next_article_the_scrollbar_and_g_are_that_articles(store_path) -> None:
    """The view's line count changes without a layout of the screen: the scrollbar and the bottom must follow."""
    from annotations.formats.ingest import make_article
    from annotations.store.model import Sourced
    from annotations.store.store import Store
    from tui.app import HamishApp
    from tui.widgets.article_view import ArticleView

    paragraph = "قال رئيس الوزراء العراقي مصطفى الكاظمي إن العراق لا يحتاج إلى قوات قتالية في بغداد"
    texts = {"a-long": 400, "b-longer": 900, "c-short": 1}
    store = Store(store_path, annotator="tester")
    store.import_articles(
        [
            Sourced(make_article("\n\n".join([paragraph] * n), id=name, title=name), "test", i)
            for i, (name, n) in enumerate(texts.items())
        ]
    )
    app = HamishApp(store, recommend=False, pre_annotate=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        for name in texts:
            assert view.article.id == name
            lines = view.text_layout.estimated_lines()
            assert view.virtual_size.height == lines
            assert view.show_vertical_scrollbar == (lines > view.scrollable_content_region.height)
            if view.show_vertical_scrollbar:
                assert view.vertical_scrollbar.window_virtual_size == lines
                await pilot.press("G")
                assert view.scroll_y == view.max_scroll_y == lines - view.scrollable_content_region.height
                assert view.cursor > len(view.article.text) - len(paragraph) - 1
            await pilot.press("right_square_bracket")
            await pilot.pause()


def test_wrapping_a_long_article_keeps_no_copy_of_its_text_and_no_object_per_line() -> None:
    """What an open article costs must not grow faster than its text: its line breaks are offsets in arrays,
    its paragraphs slices taken when laid out."""
    import sys
    import tracemalloc

    paragraph = "قال رئيس الوزراء العراقي مصطفى الكاظمي إن العراق لا يحتاج إلى قوات قتالية في بغداد"
    text = "\n".join(f"{paragraph} {n}" for n in range(12_000))  # ~1M code points, ~24,000 lines at 40
    Layout(paragraph, 40).find_breaks()  # the wrap's own tables, made once per process, are not the article's
    tracemalloc.start()
    try:
        layout = Layout(text, 40)
        layout.find_breaks()
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert layout.complete and len(layout.lines) > 20_000
    assert held < sys.getsizeof(text) / 3  # a copy of the paragraphs alone would be the text's size


ARABIC_NEWS = st.text(
    alphabet=list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي0123456789٠١٢٣ .,:/-+%$#،؛()[]«»!?\t")
    + ["\u064e", "\u0651", "\u05d0", "\u200f", "\u061c", "a"],
    min_size=1,
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(ARABIC_NEWS)
def test_the_arabic_with_numbers_shortcut_resolves_levels_as_python_bidi_does(text: str) -> None:
    from annotations.text import bidi_levels

    fast = bidi_levels.arabic_with_numbers_levels(text)
    if fast is None:
        assert "a" in text  # only a left-to-right letter sends it to python-bidi
        return
    bidi_levels.paragraph_levels.cache_clear()
    original = bidi_levels.arabic_with_numbers_levels
    try:
        bidi_levels.arabic_with_numbers_levels = lambda text: None
        assert fast == bidi_levels.paragraph_levels(text, 1).levels
    finally:
        bidi_levels.arabic_with_numbers_levels = original
        bidi_levels.paragraph_levels.cache_clear()


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةءآأإىئؤـ0123 .،()a") + ["\u200d", "\u200c"], max_size=30
    )
)
def test_shaping_without_marks_joins_as_the_general_shaper_does(text: str) -> None:
    from annotations.text.shaping import _shape_solid, shape_general

    assert _shape_solid(text) == shape_general(text)


def test_new_annotations_far_down_an_unwrapped_article_do_not_make_it_wrap() -> None:
    from tui.widgets.article_view import ArticleView

    text = "\n".join(f"فقرة رقم {i} عن بغداد" for i in range(50_000))
    view = ArticleView()
    view.text_layout = Layout(text, 40)
    view.text_layout.lines[0]
    view._refresh_ranges([(len(text) - 5, len(text))])  # e.g. a suggestion found at the very end
    assert not view.text_layout.complete and view.text_layout.wrapped_to < 1_000


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةءآأإىئؤـ0 .a")
        + ["\u064e", "\u0651", "\u0652", "\u200d", "\u200c", "\u200f", "\u0670"],
        max_size=30,
    )
)
def test_shaping_past_marks_joins_as_the_general_shaper_does(text: str) -> None:
    from annotations.text.shaping import _shape_past_marks, shape_general

    assert _shape_past_marks(text) == shape_general(text)


def _reference_l2(levels: list[int]) -> list[int]:
    """Rule L2 as UAX #9 words it: from the highest level down to the lowest odd one, reverse every run."""
    order = list(range(len(levels)))
    odd = [level for level in levels if level % 2]
    for level in range(max(levels, default=0), min(odd, default=max(levels, default=0) + 1) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([0, 1, 2, 3]), max_size=20)
    | st.lists(st.sampled_from([1, 2]), max_size=20)
    | st.lists(st.sampled_from([0, 1]), max_size=20)
)
def test_visual_order_shortcuts_reorder_as_rule_l2(levels: list[int]) -> None:
    from annotations.text.bidi_levels import visual_order

    assert visual_order(levels) == _reference_l2(levels)


def test_the_paragraph_caches_hold_a_bounded_number_of_code_points() -> None:
    from annotations.text.size_cache import cached_by_size

    calls = []

    @cached_by_size(12)
    def measured(text: str, base: int = 0) -> int:
        calls.append(text)
        return len(text) + base

    assert [measured("aaaa"), measured("bbbb"), measured("aaaa", 1), measured("aaaa")] == [4, 4, 5, 4]
    assert calls == ["aaaa", "bbbb", "aaaa"] and measured.cache_info()["code_points"] == 12
    measured("cccccc")  # past 12 code points: the least recently used go first ("bbbb", then ("aaaa", 1))
    assert measured.cache_info() == {"hits": 1, "misses": 4, "entries": 2, "code_points": 10}
    measured("aaaa")
    assert calls[-1] == "cccccc"  # "aaaa" was used last before "cccccc" came: it stayed
    measured("x" * 50)  # longer than the whole budget: kept alone, the others dropped
    assert measured.cache_info()["entries"] == 1 and measured.cache_info()["code_points"] == 50
    from annotations.text.bidi_levels import paragraph_levels
    from annotations.text.shaping import shape

    assert hasattr(paragraph_levels, "cache_info") and hasattr(shape, "cache_info")  # the layout's use it


LONG_PARAGRAPH_WORDS = st.lists(
    st.one_of(
        st.text(
            alphabet=list("ابتثجحخدذرزسشصضطظعغفقكلمنهوية") + ["\u064e", "\u0651"], min_size=1, max_size=7
        ),
        st.text(alphabet=list("abcXYZ"), min_size=1, max_size=6),
        st.text(alphabet=list("0123456789٠١٢٣.,:/-+%$#"), min_size=1, max_size=5),
        st.sampled_from(
            [
                "(",
                ")",
                "[",
                "]",
                "«",
                "»",
                "،",
                ".",
                "!",
                "؟",
                "(بغداد)",
                "(Reuters)",
                "[1]",
                "א",
                "\t",
                "(abc",
                "def)",
                "(قال",
                "قال)",
            ]
        ),
    ),
    min_size=5,
    max_size=80,
)


@settings(max_examples=400, deadline=None)
@given(LONG_PARAGRAPH_WORDS, st.integers(2, 30), st.sampled_from([" ", "  ", "\u00a0"]))
@example(["abc", "(def", "قال", "ghi)", "قال"], 2, " ")  # a pair resolved by N0 across a would-be cut
def test_a_long_paragraph_cut_into_pieces_keeps_every_level_of_the_whole(
    words, every: int, space: str
) -> None:
    """Pieces are laid out alone: their levels, each resolved by python-bidi (or the shortcuts), must be the
    whole paragraph's, with Latin words, numbers, brackets, marks and tabs in it."""
    from annotations.text.bidi_levels import level_safe_cuts, paragraph_levels

    para = "قال " + space.join(words)
    cuts = level_safe_cuts(para, every)
    bounds = [0, *cuts, len(para)]
    pieces = [paragraph_levels(para[a:b], 1).levels for a, b in zip(bounds, bounds[1:], strict=False)]
    assert tuple(level for piece in pieces for level in piece) == paragraph_levels(para, 1).levels
    assert all(para[c - 1].isspace() and not para[c].isspace() for c in cuts)


def test_explicit_controls_or_an_open_bracket_leave_a_long_paragraph_whole_there() -> None:
    from annotations.text.bidi_levels import level_safe_cuts

    words = " ".join(["كلمة"] * 40)
    assert level_safe_cuts(words, 20)  # plain: cut
    assert level_safe_cuts("\u202b" + words, 20) == []  # an embedding anywhere: never cut
    opened = f"{words} ({words}) {words}"
    inside = range(opened.index("(") + 1, opened.index(")") + 1)
    assert level_safe_cuts(opened, 20) and not set(level_safe_cuts(opened, 20)) & set(inside)


@settings(max_examples=150, deadline=None)
@given(LONG_PARAGRAPH_WORDS, st.integers(6, 30))
def test_lazy_lines_equal_full_lines_when_long_paragraphs_are_cut(words, width: int) -> None:
    from annotations.text import layout as layout_module

    para = "قال " + " ".join(words)
    original = layout_module.LONG_PARAGRAPH
    layout_module.LONG_PARAGRAPH = 12
    try:
        lazy = Layout(para + "\n" + para, width)
        full = Layout(para + "\n" + para, width)
    finally:
        layout_module.LONG_PARAGRAPH = original
    assert shape_of(lazy.lines) == shape_of(full_layout_lines(full))


def test_the_layouts_character_set_tests_agree_with_their_sets_on_every_bmp_character() -> None:
    """They are regular expressions built from the sets (a speed-up): a wrong range would change a layout."""
    from annotations.text.bidi_levels import only_uniform, uniform_characters
    from annotations.text.shaping import is_solid, is_transparent
    from annotations.text.wrap import only_plain, plain_characters

    every = [chr(c) for c in range(0x10000)]
    plain, uniform = plain_characters(), {base: uniform_characters(base) for base in (0, 1)}
    assert [ch for ch in every if is_solid(ch) == is_transparent(ch)] == []
    assert [ch for ch in every if only_plain(ch) != (ch in plain)] == []
    assert [(b, ch) for b in (0, 1) for ch in every if only_uniform(b, ch) != (ch in uniform[b])] == []
    assert is_solid("") and only_plain("") and only_uniform(1, "")
