"""Tag all over the whole corpus: in a thread behind a progress bar, stored many articles to a write, stopped
by escape with what was found kept."""

from __future__ import annotations

from annotations.find.search import find
from annotations.find.suggestions import suggestions
from annotations.store.store import Store
from tests.conftest import SEEDS
from tests.pty_app import pilot_until
from tui.app import HamishApp
from tui.widgets.article_view import ArticleView


def many_articles(store_path, count: int) -> Store:
    from annotations.formats.ingest import make_article
    from annotations.store.model import Sourced

    paragraph = SEEDS[0].read_text(encoding="utf-8")
    store = Store(store_path, annotator="tester")
    store.import_articles(
        [Sourced(make_article(f"{paragraph} ({n})", id=f"a{n:04d}"), "test", n) for n in range(count)]
    )
    return store


async def test_tag_all_over_the_corpus_shows_its_progress_and_stores_every_occurrence(store_path) -> None:
    from tui.screens.tag_all_progress import TagAllProgress
    from tui.widgets.status_bar import StatusBar

    store = many_articles(store_path, 60)
    app = HamishApp(store, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        view.move_to(view.article.text.index("بغداد"))
        await pilot.press("3", "a", "c")  # GPE, then tag all in the whole corpus
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, TagAllProgress)  # it closes itself when the corpus is searched
        status = str(app.screen.query_one(StatusBar).render())
    per_article = len(find(store.article("a0000").text, "بغداد"))
    fresh = Store(store_path)
    assert [len(suggestions(fresh, f"a{n:04d}")) for n in range(60)] == [per_article - 1] + [per_article] * 59
    assert f"{per_article * 60 - 1} GPE suggestions · j next" in status


async def test_escape_stops_tag_all_and_keeps_what_it_found(store_path, monkeypatch) -> None:
    import time

    from annotations.find import suggestions as suggestions_module
    from tui.screens import tag_all_progress

    store = many_articles(store_path, 400)
    slow = suggestions_module.occurrences

    def slowly(*args):
        time.sleep(0.005)  # ~2 s for the corpus: escape comes long before the end
        return slow(*args)

    monkeypatch.setattr(tag_all_progress, "occurrences", slowly)
    monkeypatch.setattr(tag_all_progress.TagAllProgress, "BATCH_S", 0.02)
    app = HamishApp(store, pre_annotate=False, recommend=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        view.move_to(view.article.text.index("بغداد"))
        await pilot.press("3", "a", "c")
        dialog = app.screen
        assert isinstance(dialog, tag_all_progress.TagAllProgress)
        await pilot_until(pilot, lambda: dialog.searched > 20, what="some articles searched")
        assert dialog.searched < 400
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, tag_all_progress.TagAllProgress)
        stopped_at = dialog.searched
    fresh = Store(store_path)
    with_suggestions = [n for n in range(400) if suggestions(fresh, f"a{n:04d}")]
    assert (
        with_suggestions == list(range(len(with_suggestions))) and len(with_suggestions) == stopped_at < 400
    )
