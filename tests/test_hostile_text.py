"""Text that used to crash: characters whose compatibility form is themselves (﴿ ﴾ ﷽ ...), emoji-only
articles. Swept over every code point of the Arabic blocks, and over arbitrary text with hypothesis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotations.find.search import find, fold
from annotations.find.suggestions import pre_annotate
from annotations.formats.ingest import Sourced, make_article
from annotations.store.schema import load_schema
from annotations.store.store import Store
from tui.app import HamishApp

ARABIC_BLOCKS = [(0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]


def test_every_code_point_of_the_arabic_blocks_folds_and_searches() -> None:
    for low, high in ARABIC_BLOCKS:
        for code in range(low, high + 1):
            text = f"قال {chr(code)} الله"
            folded = fold(text)
            assert len(folded.origin) == len(folded.text)
            assert all(0 <= o < len(text) for o in folded.origin)
            find(text, "الله", folded)
            find(text, chr(code))


def test_quranic_brackets_stay_brackets_and_the_text_inside_is_found() -> None:
    text = "قال تعالى ﴿ إن الله مع الصابرين ﴾ ﷽"
    assert [text[m.start : m.end] for m in find(text, "الله")] == ["الله"]
    assert fold("﴿﴾").text == "﴿﴾"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_folding_any_text_maps_back_inside_it(text: str) -> None:
    folded = fold(text)
    assert len(folded.origin) == len(folded.text) == len(folded.whole)
    assert list(folded.origin) == sorted(folded.origin)
    assert all(0 <= o < len(text) for o in folded.origin)


def test_suggest_runs_over_an_article_with_quranic_brackets(store_path) -> None:
    store = Store(store_path)
    store.import_articles([Sourced(make_article("قال ﴿ الاحتلال ﴾ و ﷽ اليوم", id="q"), "t", 1)])
    pre_annotate(store, load_schema(), store.articles(), (), [("الاحتلال", "Loaded_Language")])


async def test_an_article_of_emoji_only_is_selected_and_tagged(store_path) -> None:
    store = Store(store_path, annotator="tester")
    text = "😀😀 🎉 ✨✨✨"
    store.import_articles([Sourced(make_article(text, id="emoji"), "t", 1)])
    app = HamishApp(store, pre_annotate=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("1")  # the word under the cursor: 😀😀
        await pilot.press("w", "v", "w", "2")  # 🎉 through ✨✨✨
        await pilot.pause()
    spans = {(s.text, s.label) for s in Store(store_path, writable=False).spans("emoji")}
    assert spans == {("😀😀", "PER"), ("🎉 ✨✨✨", "ORG")}
