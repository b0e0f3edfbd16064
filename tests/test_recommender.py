"""The recommender learns from the annotator: a CRF per layer, suggestions with a score, rejections
remembered, held-out scores, models rebuilt when missing or damaged."""

from __future__ import annotations

import json
from pathlib import Path

from annotations.find.suggestions import reject, suggestions
from annotations.formats.ingest import Sourced, make_article
from annotations.learn.recommender import Recommender
from annotations.store.store import Store
from tests.test_cli import run
from tui.app import HamishApp

NAMES = ["سامر", "خالد", "ليلى", "منى", "يوسف", "هدى"]
PLACES = ["بغداد", "دمشق", "عمان", "القاهرة"]


def corpus(store: Store, count: int = 12) -> None:
    """Sentences where a name is always a PER and a place a GPE, every article done."""
    items = []
    for i in range(count):
        name, place = NAMES[i % len(NAMES)], PLACES[i % len(PLACES)]
        text = f"قال {name} اليوم في {place} إن الاجتماع انتهى.\nوأضاف {name} أن الوفد غادر {place} مساء."
        items.append(Sourced(make_article(text, id=f"a{i}"), "t", i))
    store.import_articles(items)
    for article in store.articles():
        for word, label in (
            (NAMES[int(article.id[1:]) % len(NAMES)], "PER"),
            (PLACES[int(article.id[1:]) % len(PLACES)], "GPE"),
        ):
            start = 0
            while (start := article.text.find(word, start)) >= 0:
                store.add_span(article, start, start + len(word), "entity", label)
                start += len(word)
        store.set_done(article.id)


def test_trained_on_a_name_it_suggests_it_in_an_unseen_sentence(store_path: Path) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store)
    recommender = Recommender(store, "entity")
    info = recommender.train()
    assert info.kind == "single" and info.labels == ["GPE", "PER"]
    assert info.held_out_articles >= 2 and info.f1 > 0.8
    store.import_articles([Sourced(make_article("وصل خالد إلى دمشق صباحا.", id="new"), "t", 99)])
    found = {
        (store.article("new").text[a:b], label)
        for a, b, label, _ in recommender.predict(store.article("new"))
    }
    assert ("خالد", "PER") in found  # a sentence it never saw, the name it learned
    assert recommender.suggest(store.article("new")) == len(found)
    scores = [s.score for s in suggestions(store, "new")]
    assert all(0 < score <= 1 for score in scores) and {s.source for s in suggestions(store, "new")} == {
        "model"
    }


def test_a_rejected_suggestion_is_never_suggested_again(store_path: Path) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store)
    recommender = Recommender(store, "entity")
    recommender.train()
    store.import_articles([Sourced(make_article("وصل خالد إلى دمشق صباحا.", id="new"), "t", 99)])
    recommender.suggest(store.article("new"))
    wrong = next(s for s in suggestions(store, "new") if s.span.text == "خالد")
    reject(store, "new", wrong)
    assert recommender.suggest(store.article("new")) == 0
    assert "خالد" not in {s.span.text for s in suggestions(store, "new")}
    recommender.train()  # and the rejection is negative evidence from now on
    assert any(e.article.id == "new" and e.only for e in recommender.examples())


def test_a_damaged_model_is_rebuilt_with_one_message(store_path: Path, tmp_path: Path, capsys) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store)
    store.close()
    code, out, _ = run(["train", "--layer", "entity"], capsys)
    assert code == 0 and "entity" in out and "held-out P" in out
    models = store_path.with_name(store_path.name + ".models")
    (models / "entity.json").write_text("{damaged", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    text = "قال خالد اليوم في دمشق إن الاجتماع انتهى."
    gold.write_text(
        json.dumps({"text": text, "label": [[4, 8, "PER"], [18, 22, "GPE"]]}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    code, out, err = run(["evaluate", "--layer", "entity", str(gold), "--json"], capsys)
    assert code == 0
    assert [line for line in err.splitlines() if "cannot be read" in line and "training it now" in line]
    result = json.loads(out)
    assert (
        set(result["micro"]) == {"precision", "recall", "f1", "support"} and result["micro"]["support"] == 2
    )
    assert result["labels"]["PER"]["f1"] == 1.0


async def test_tag_names_the_model_learns_and_y_accepts_its_suggestion(store_path: Path) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store, 6)
    store.import_articles([Sourced(make_article("التقى يوسف وفدا في عمان أمس.", id="z-last"), "t", 99)])
    app = HamishApp(store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("1")  # one more PER, then done: the first model is trained in a thread
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.recommenders["entity"].enabled
        await pilot.press("right_square_bracket")  # to the last, unseen article
        while app.main.article.id != "z-last":
            await pilot.press("right_square_bracket")
        await app.workers.wait_for_complete()  # the model's findings are computed in a thread
        await pilot.pause()
        suggested = {s.span.text: s for s in app.main.view.suggestions}
        assert "يوسف" in suggested and suggested["يوسف"].source == "model"
        await pilot.press("w")  # onto يوسف
        assert "(model " in app.main.status.message  # its score is shown
        await pilot.press("y")
        await pilot.pause()
    assert [(s.text, s.label) for s in Store(store_path, writable=False).spans("z-last")] == [("يوسف", "PER")]
