"""Arabic-aware search: folding, exact offsets, clitics, and tag-all with suggestions."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.find.search import FoldInSlices, find, fold, fold_query, fold_slowly
from annotations.find.suggestions import suggestions
from annotations.store.store import Store
from tests.conftest import SEEDS
from tests.pty_app import pilot_until
from tests.test_layout import mixed_text
from tui.app import HamishApp
from tui.widgets.article_view import ArticleView

STEMS = [
    "واشنطن",
    "إيران",
    "ايران",
    "الكاظمي",
    "قُتِلوا",
    "مدرسة",
    "مدرسه",
    "مستشفى",
    "مستشفي",
    "سؤال",
    "سئل",
    "٢٠٢١",
    "2021",
    "ﻻ",
    "لا",
    "Reuters",
    "REUTERS",
    "الحكومة",
]
CLITICS = ["", "و", "ف", "ب", "ل", "وب", "وال", "بال", "لل"]
NOISE = ["", "\u064e", "\u0640", "\u200e", "\u200f"]


@st.composite
def article_and_query(draw) -> tuple[str, str]:
    words = draw(
        st.lists(
            st.tuples(
                st.sampled_from(CLITICS),
                st.sampled_from(STEMS),
                st.sampled_from(NOISE),
                st.sampled_from([" ", "  ", "، ", "\n", ". "]),
            ),
            min_size=1,
            max_size=25,
        )
    )
    text = "".join(c + s[:1] + n + s[1:] + sep for c, s, n, sep in words)
    query = draw(st.sampled_from(STEMS + ["وواشنطن", "الاحتلال الفارسي"]))
    return text, query


@settings(max_examples=400, deadline=None)
@given(article_and_query())
def test_every_match_folds_to_the_query_and_sits_on_word_edges(case) -> None:
    text, query = case
    for match in find(text, query):
        assert fold(text[match.start : match.end]).text == fold_query(query)
        # the match never starts inside a word unless what precedes it in that word is a clitic chain
        assert match.start == 0 or not text[match.start - 1].isalnum() or text[match.start - 1] in "وفبلكا"
        # harakat never dangle outside a match
        assert match.end == len(text) or unicodedata.category(text[match.end]) != "Mn"


def test_folding_covers_hamza_ta_marbuta_alef_maqsura_digits_harakat_and_presentation_forms() -> None:
    assert fold("أإآٱ").text == "اااا"
    assert fold("مدرسة مستشفى").text == "مدرسه مستشفي"
    assert fold("سؤال سئل").text == "سءال سءل"
    assert fold("٢٠٢١ ۲۰۲۱").text == "2021 2021"
    assert fold("قُتِلوا ـــ").text == "قتلوا "
    assert fold("ﻻ ﺍﻟﻠﻪ").text == "لا الله"
    folded = fold("ﻻ")
    assert folded.origin == (0, 0) and folded.whole == (False, True)


def test_no_match_inside_an_unrelated_longer_word() -> None:
    text = "الإيرانية وإيرانيون قال إيران"
    assert [text[m.start : m.end] for m in find(text, "ايران")] == ["إيران"]
    assert find("السلامة", "سلام") == []


def test_on_the_seeds_kadhimi_washington_and_iran() -> None:
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        hits = find(text, "الكاظمي")
        exact = [i for i in range(len(text)) if text.startswith("الكاظمي", i)]
        assert [m.start for m in hits] == exact, seed.name  # every occurrence, at exact offsets
        assert all(text[m.start : m.end] == "الكاظمي" for m in hits)
    first = SEEDS[0].read_text(encoding="utf-8")
    washington = find(first, "واشنطن")
    assert any(first[m.start - 1 : m.end] == "وواشنطن" for m in washington)
    assert all(first[m.start : m.end] == "واشنطن" for m in washington)
    third = SEEDS[3].read_text(encoding="utf-8")
    iran = find(third, "ايران")
    assert iran and all(third[m.start : m.end] == "إيران" for m in iran)
    assert any(third[m.start - 1] == "ل" for m in iran)  # «لإيران»: the match covers the stem


async def test_tag_a_span_tag_all_accept_all_then_undo_as_one_step(sample_store: Store, store_path) -> None:
    app = HamishApp(sample_store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        text = view.article.text
        view.move_to(text.index(" واشنطن") + 1)
        await pilot.press("3")  # GPE on a standalone «واشنطن»
        await pilot.press("a", "a")  # tag all, in this article
        proposed = suggestions(Store(store_path), view.article.id)
        assert proposed and all(text[s.span.start : s.span.end] == "واشنطن" for s in proposed)
        await pilot.press("Y")  # asks first, saying how many
        from tui.screens.confirm_dialog import ConfirmDialog

        assert (
            isinstance(app.screen, ConfirmDialog) and f"Accept {len(proposed)} entity" in app.screen.question
        )
        assert Store(store_path).spans(view.article.id) == Store(store_path).spans(view.article.id)[:1]
        await pilot.press("y")
        spans = Store(store_path).spans(view.article.id)
        assert len(spans) == 1 + len(proposed)
        assert all((s.label, text[s.start : s.end]) == ("GPE", "واشنطن") for s in spans)
        assert suggestions(Store(store_path), view.article.id) == []
        await pilot.press("ctrl+z")  # one step takes every accepted suggestion back
        assert [s.label for s in Store(store_path).spans(view.article.id)] == ["GPE"]
        assert len(suggestions(Store(store_path), view.article.id)) == len(proposed)


async def test_slash_searches_as_you_type_and_n_steps_through_hits(sample_store: Store) -> None:
    app = HamishApp(sample_store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        text = view.article.text
        await pilot.press("slash", *"بغداد", "enter")
        hits = [i for i in range(len(text)) if text.startswith("بغداد", i)]
        assert view.cursor == hits[0] and len(view.hits) == len(hits)
        await pilot.press("n")
        assert view.cursor == hits[1]
        await pilot.press("N", "N")
        assert view.cursor == hits[-1]  # wraps around
        await pilot.press("slash", *"زززز", "escape")
        assert view.cursor == hits[-1]  # escape goes back to where the search started


async def test_corpus_search_jumps_to_the_hit(sample_store: Store) -> None:
    app = HamishApp(sample_store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f", *"سبوتنيك")
        await pilot.pause(0.3)
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        assert view.article.id == "002_2eac1bb9ec8be8de"
        assert view.article.text[view.cursor : view.cursor + 7] == "سبوتنيك"


def test_suggest_command_counts_lexicon_and_gazetteer(sample_store: Store, capsys) -> None:
    from tests.test_cli import run

    article = sample_store.articles()[0]
    start = article.text.index("بغداد")
    sample_store.add_span(article, start, start + 5, "entity", "GPE")
    code, out, _ = run(["suggest"], capsys)
    assert code == 0
    assert "entity   GPE" in out and "bias     Loaded_Language" in out
    assert "new suggestion(s) over 5 articles" in out
    code, out, _ = run(["suggest"], capsys)
    assert "0 new suggestion(s)" in out  # a second run proposes nothing twice


def test_a_suggestion_never_duplicates_or_replaces_an_annotation(sample_store: Store) -> None:
    from annotations.find.suggestions import accept, propose

    article = sample_store.articles()[0]
    start = article.text.index("بغداد")
    (proposed,) = propose(sample_store, article, [(start, start + 5, "entity", "GPE")], "tag-all")
    sample_store.add_span(article, start, start + 5, "entity", "GPE")  # the user tags the same words
    assert suggestions(sample_store, article.id) == []  # no longer shown
    assert accept(sample_store, article.id, [proposed]) == []  # and never accepted twice
    assert len(sample_store.spans(article.id)) == 1
    # a suggestion over a user's annotation in the same layer is never made
    assert propose(sample_store, article, [(start, start + 3, "entity", "ORG")], "tag-all") == []


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        mixed_text(),
        st.text(alphabet=" \n\t\u064e\u0640ـأإآىةﻻﷲ  abcß١٢", max_size=60),
    )
)
def test_the_fast_fold_equals_the_character_by_character_fold(text: str) -> None:
    fast, slow = fold(text), fold_slowly(text)
    assert fast.text == slow.text
    assert list(fast.origin) == list(slow.origin) and list(fast.whole) == list(slow.whole)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        mixed_text(),
        st.text(alphabet=" \n\t\u064e\u0640ـأإآىةﻻﷲ  abcß١٢\U000e0001\ufe70", max_size=80),
    ),
    st.integers(1, 40),
)
def test_a_fold_made_slice_by_slice_equals_the_fold_made_at_once(text: str, slice_size: int) -> None:
    """A long article is folded between frames: the same text and offsets whatever the slices."""
    whole, sliced = fold(text), FoldInSlices(text, slice_size)
    steps = 0
    while not sliced.step():
        steps += 1
    assert sliced.result.text == whole.text
    assert list(sliced.result.origin) == list(whole.origin) and list(sliced.result.whole) == list(whole.whole)
    assert steps <= len(text) // slice_size + 1


def test_a_long_text_is_folded_in_slices_and_searched_with_the_same_hits() -> None:
    text = "\n\n".join(f"قال الكاظميُّ إنّ العراقَ  لا يحتاج   قوات ({n})" for n in range(3000))
    sliced = FoldInSlices(text, 4096)
    steps = 1
    while not sliced.step():
        steps += 1
    assert steps >= len(text) // 4096
    assert (
        find(text, "الكاظمي", sliced.result) == find(text, "الكاظمي") and len(find(text, "الكاظمي")) == 3000
    )


async def test_corpus_search_streams_its_first_hits_and_the_next_letter_stops_it(
    store_path, monkeypatch
) -> None:
    import time

    from textual.widgets import Static
    from textual.worker import WorkerState

    from annotations.formats.ingest import make_article
    from annotations.store.model import Sourced
    from tui.screens import corpus_search

    store = Store(store_path, annotator="tester")
    store.import_articles(
        Sourced(make_article(f"خبر رقم {n} عن بغداد والبصرة", id=f"a{n}"), "test", n) for n in range(3_000)
    )

    def slow_find(text, query, folded=None):  # a corpus big enough to take seconds: 1 ms an article
        time.sleep(0.001)
        return find(text, query, folded)

    monkeypatch.setattr(corpus_search, "find", slow_find)
    app = HamishApp(store, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f", *"البصرة")
        screen = app.screen
        hits = screen.query_one("#corpus-hits")
        for _ in range(100):
            await pilot.pause(0.02)
            count = str(screen.query_one("#corpus-count", Static).render())
            if hits.option_count:
                break
        assert hits.option_count and "searching…" in count  # the first hits show while the rest is searched
        running = [w for w in app.workers if w.group == "corpus-search" and w.state == WorkerState.RUNNING]
        await pilot.press("backspace")  # the next key stops that search where it is
        await pilot.pause(0.05)
        assert running and all(w.state == WorkerState.CANCELLED for w in running)
        await pilot.press("escape")  # and escape stops the new one
        await pilot.pause(0.05)
        assert not [w for w in app.workers if w.group == "corpus-search" and w.state == WorkerState.RUNNING]


async def test_search_in_a_long_article_runs_beside_the_keys_and_escape_drops_late_hits(store_path) -> None:
    from annotations.formats.ingest import make_article
    from annotations.store.model import Sourced

    paragraph = SEEDS[0].read_text(encoding="utf-8")
    text = "\n".join(f"{paragraph} ({n})" for n in range(110))  # ~220,000 code points: searched in a thread
    store = Store(store_path)
    store.import_articles([Sourced(make_article(text, id="long"), "test", 1)])
    app = HamishApp(store, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert len(view.article.text) >= app.screen.search.SEARCH_IN_THREAD_FROM
        app.screen.search.OFTEN = 0  # every query counts as frequent here: each one goes to the thread
        await pilot.press("slash", *"بغداد")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(view.hits) == 110 * len(find(paragraph, "بغداد"))
        assert view.article.text[view.cursor :].startswith("بغداد")
        await pilot.press("enter", "g", "slash", *"واشنطن", "escape")  # escape before its hits arrive
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.hits == [] and view.cursor == 0


async def test_a_long_article_is_folded_between_frames_and_its_suggestions_come_from_that_fold(
    store_path, monkeypatch
) -> None:
    from annotations.find import search
    from annotations.formats.ingest import make_article
    from annotations.store.model import Sourced

    paragraph = SEEDS[0].read_text(encoding="utf-8")
    text = "\n".join(f"{paragraph} ({n})" for n in range(40))  # ~80,000 code points
    store = Store(store_path, annotator="tester")
    store.import_articles(
        [
            Sourced(make_article(paragraph, id="short"), "test", 1),
            Sourced(make_article(text, id="long"), "test", 2),
        ]
    )
    start = paragraph.index("بغداد")
    store.add_span(store.article("short"), start, start + 5, "entity", "GPE")  # the gazetteer knows بغداد
    slices = []
    step = search.FoldInSlices.step
    monkeypatch.setattr(search.FoldInSlices, "step", lambda self: slices.append(self.position) or step(self))
    app = HamishApp(store, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot_until(pilot, lambda: "long" in app.session.folded, what="the fold")
        assert len(slices) > 2  # folded a slice at a time
        wanted = 40 * len(find(paragraph, "بغداد"))
        await pilot_until(
            pilot,
            lambda: len([s for s in app.screen.view.suggestions if s.span.layer == "entity"]) == wanted,
            what="the suggestions shown",
        )
        found = [s.span for s in suggestions(store, "long") if s.span.layer == "entity"]
        assert len(found) == 40 * len(find(paragraph, "بغداد")) and {s.label for s in found} == {"GPE"}
        assert any(s.span.layer == "bias" for s in suggestions(store, "long"))  # and the lexicon's


async def test_the_search_line_turns_back_into_the_status_line_when_focus_leaves_it(
    sample_store: Store,
) -> None:
    from tui.widgets.status_bar import StatusBar

    app = HamishApp(sample_store, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        status = app.screen.query_one(StatusBar)
        await pilot.press("slash", *"بغداد")
        assert status.searching and status.has_focus
        await pilot.press("tab")  # focus to the annotation panel
        assert not status.searching and "hit(s)" in str(status.render())
        view = app.screen.query_one(ArticleView)
        assert view.hits  # the hits stay, as after enter: n goes on to the next


def test_the_c_speed_word_and_letter_tests_are_the_ones_the_search_means() -> None:
    """The search finds word ends by a regex and letters by str.isalpha: the same as isalnum and the Unicode L
    categories, over every code point (so a new Python's Unicode tables cannot silently change a match)."""
    import re
    import sys

    word = re.compile(r"[^\W_]")
    every = [chr(c) for c in range(sys.maxunicode + 1)]
    assert [c for c in every if bool(word.match(c)) != c.isalnum()] == []
    assert [c for c in every if c.isalpha() != unicodedata.category(c).startswith("L")] == []


SUFFIXED = st.lists(
    st.tuples(
        st.sampled_from(CLITICS),
        st.sampled_from(STEMS),
        st.sampled_from(["", "ه", "ة", "ها", "هم", "ـه", "ه2", "2", "ٌ", "هما", "كم", "داد"]),
        st.sampled_from(NOISE),
        st.sampled_from([" ", "\n", "، "]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(SUFFIXED, st.sampled_from(STEMS))
def test_matches_are_the_same_whichever_way_the_text_was_folded(words, query: str) -> None:
    """The fast fold lets the search reject a longer word without reading the original text: it must reject
    exactly what reading it rejects (ta marbuta is no pronoun, tatweel and digits count as the letters do)."""
    text = "".join(c + s + n + suffix + sep for c, s, suffix, n, sep in words)
    assert find(text, query, fold(text)) == find(text, query, fold_slowly(text))


def test_the_fold_cache_holds_a_bounded_number_of_code_points_dropping_the_oldest() -> None:
    from annotations.find.fold_cache import FoldCache

    cache = FoldCache(limit=25)
    for name in "abcd":
        cache.setdefault(name, fold(name * 10))
    assert "a" not in cache and "b" not in cache and cache["d"].text == "d" * 10 and cache.held == 20
    assert cache.setdefault("d", fold("other")).text == "d" * 10  # a fold is kept, not replaced
    big = FoldCache(limit=5)
    big["huge"] = fold("x" * 100)
    assert "huge" in big  # the one just made is kept even past the limit: its search is running


async def test_corpus_search_counts_the_articles_that_hold_hits(store_path) -> None:
    from textual.widgets import Static

    from annotations.formats.ingest import make_article
    from annotations.store.model import Sourced

    store = Store(store_path, annotator="tester")
    texts = ["بغداد وبغداد وبغداد", "لا شيء هنا", "بغداد مرتين بغداد", "خبر آخر", "في بغداد"]
    store.import_articles(Sourced(make_article(t, id=f"a{n}"), "test", n) for n, t in enumerate(texts))
    app = HamishApp(store, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f", *"بغداد")
        counted = await pilot_until(
            pilot,
            lambda: "searched" in (c := str(app.screen.query_one("#corpus-count", Static).render())) and c,
            what="the finished count",
        )
    assert counted == "6 hit(s) in 3 article(s) (5 searched)"
