"""Honest figures and the recommender's loop: held-out articles split by document and never seen by the model
kept, the same score through the store as through `hamish evaluate`, labels the schema lacks never suggested,
accepted or passed by `check`, `d` training every layer, `train --json`, `suggest` leaving done articles."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from annotations.formats.ingest import Sourced, make_article
from annotations.learn.recommender import Recommender
from annotations.learn.sequences import FOLDS, document_folds
from annotations.store.check import check_store
from annotations.store.model import Article
from annotations.store.schema import load_schema
from annotations.store.store import Store
from tests.pty_app import pilot_until
from tests.test_cli import run
from tests.test_recommender import NAMES, PLACES, corpus
from tui.app import HamishApp


@given(st.lists(st.sampled_from(["", "p1", "p2", "p3", "p4"]), min_size=1, max_size=60))
def test_a_document_never_straddles_two_folds_and_folds_are_contiguous(pages: list[str]) -> None:
    articles = [
        Article(f"a{i}", "", f"نص {i}", "", {"page_id": page} if page else {}, ())
        for i, page in enumerate(pages)
    ]
    folds = document_folds(articles)
    by_page: dict[str, set[int]] = {}
    for article, fold in zip(articles, folds, strict=True):
        if article.meta:
            by_page.setdefault(article.meta["page_id"], set()).add(fold)
    assert all(len(seen) == 1 for seen in by_page.values())
    plain = [fold for article, fold in zip(articles, folds, strict=True) if not article.meta]
    assert plain == sorted(plain) and all(0 <= f < FOLDS for f in folds)  # blocks, never interleaved


def test_the_held_out_articles_are_the_last_block_and_the_kept_model_never_saw_them(store_path: Path) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store, 20)
    recommender = Recommender(store, "entity")
    info = recommender.train()
    assert info.held_out_articles == 4 and info.articles == 16  # the last fifth of the store's order
    assert info.f1 is not None
    held = {a.id for a in store.articles()[16:]}
    seen = json.loads((recommender.folder / "entity.json").read_text(encoding="utf-8"))["gazetteer_source"]
    held_names = {NAMES[int(i[1:]) % len(NAMES)] for i in held}
    trained_names = {NAMES[int(a.id[1:]) % len(NAMES)] for a in store.articles()[:16]}
    assert {text for text, _ in seen} <= trained_names | set(PLACES)
    assert held_names <= trained_names  # (the corpus repeats its names: the check above is not vacuous)


def test_a_model_scores_no_higher_through_the_store_than_through_evaluate(
    store_path: Path, tmp_path: Path, capsys
) -> None:
    """Asked about articles whose gold spans are in its own store, the model must not find the answers among
    its features: the score through the store equals the score of the same articles imported apart."""
    store = Store(store_path, annotator="mona")
    corpus(store, 12)
    unseen = [("زكريا", "طنجة"), ("نزار", "صنعاء"), ("رغد", "وهران")]  # tagged, not done: never trained on
    for number, (name, place) in enumerate(unseen):
        text = f"أعلن {name} من {place} أن الجلسة تأجلت"
        store.import_articles([Sourced(make_article(text, id=f"u{number}"), "t", 50 + number)])
        article = store.article(f"u{number}")
        store.add_span(article, text.index(name), text.index(name) + len(name), "entity", "PER")
        store.add_span(article, text.index(place), text.index(place) + len(place), "entity", "GPE")
    recommender = Recommender(store, "entity")
    recommender.train()
    through_store = set()
    reference = set()
    lines = []
    for article in store.articles():
        through_store |= {(article.id, a, b, label) for a, b, label, _ in recommender.predict(article, True)}
        spans = store.spans(article.id)
        reference |= {(article.id, s.start, s.end, s.label) for s in spans}
        lines.append(  # another id: `evaluate` reads the file into a store of its own
            {
                "id": f"gold-{article.id}",
                "text": article.text,
                "label": [[s.start, s.end, s.label] for s in spans],
            }
        )
    store.close()
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    code, out, _ = run(["evaluate", "--layer", "entity", str(gold), "--json"], capsys)
    assert code == 0
    true_positives = len(through_store & reference)
    store_f1 = 2 * true_positives / (len(through_store) + len(reference))
    assert round(store_f1, 6) <= round(json.loads(out)["micro"]["f1"], 6)


def test_train_all_annotated_then_evaluate_uses_that_model(store_path: Path, tmp_path: Path, capsys) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store, 10)
    for article in store.articles():
        store.set_done(article.id, False)  # annotated, none done
    store.close()
    code, out, _ = run(["train", "--layer", "entity"], capsys)
    assert code == 1 and "no training data" in out  # nothing trained: not a success
    code, out, _ = run(["train", "--layer", "entity", "--all-annotated", "--json"], capsys)
    assert code == 0
    result = json.loads(out)["layers"]["entity"]
    assert result["trained"] is True and result["sentences"] > 0 and result["seconds"] >= 0
    assert set(result["heldout"]) == {"precision", "recall", "f1"}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"text": "قال خالد في دمشق", "label": [[4, 8, "PER"]]}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    code, out, err = run(["evaluate", "--layer", "entity", str(gold), "--json"], capsys)
    assert code == 0 and "training it now" not in err, err
    assert json.loads(out)["micro"]["support"] == 1


def test_train_json_says_which_layers_had_nothing_to_learn(store_path: Path, capsys) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store, 10)
    store.close()
    code, out, _ = run(["train", "--json"], capsys)
    layers = json.loads(out)["layers"]
    assert (
        code == 0
        and layers["entity"]["trained"]
        and layers["bias"]
        == {
            "trained": False,
            "heldout": None,
            "seconds": 0.0,
            "sentences": 0,
        }
    )


def test_a_label_the_schema_lacks_is_never_suggested_accepted_or_passed_by_check(store_path: Path) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store, 12)
    Recommender(store, "entity", labels=["PER", "GPE"]).train()
    # The schema renames GPE to PLACE: the model trained before is stale, and suggests no GPE meanwhile.
    renamed = Recommender(store, "entity", labels=["PER", "PLACE"])
    assert renamed.load() is None and renamed.stale()
    store.import_articles([Sourced(make_article("وصل خالد إلى دمشق صباحا.", id="new"), "t", 99)])
    assert {label for _, _, label, _ in renamed.predict(store.article("new"))} == {"PER"}
    # A suggestion of a label the schema lacks (proposed before the rename) is never shown, so never accepted.
    from annotations.find.suggestions import propose
    from tui.session import Session

    propose(store, store.article("new"), [(13, 17, "entity", "GHOST"), (4, 8, "entity", "PER")], "model")
    shown = Session(store, load_schema()).suggestions("new")
    assert [(s.span.text, s.span.label) for s in shown] == [("خالد", "PER")]
    # check, given the schema, reports a stored span whose label it lacks.
    assert check_store(store, load_schema()).ok
    store.add_span(store.article("new"), 13, 17, "entity", "GHOST")
    problems = check_store(store, load_schema()).problems
    assert any("the schema has no label 'GHOST' in a layer 'entity'" in p for p in problems)


async def test_d_trains_every_layer_with_spans_and_shows_the_model_on_the_status_line(
    store_path: Path,
) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store, 6)
    first = store.articles()[0]
    for word in ("قال", "أن", "غادر"):  # three bias spans of one label in a done article
        start = first.text.index(word)
        store.add_span(first, start, start + len(word), "bias", "Doubt")
    for article in store.articles():
        store.set_done(article.id, False)
    app = HamishApp(store, pre_annotate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "model none yet" in app.main.status.render().plain
        await pilot.press("d")  # the first article done: both its layers' first models, not only the last
        for _ in range(5):
            await pilot.press("d")  # every article done: one more training each, never one per key
        await pilot_until(
            pilot,
            lambda: (
                not app.session.training and all(app.session.recommenders[x].info for x in ("entity", "bias"))
            ),
            what="both models",
            timeout=120,
        )
        assert app.main.status.model.startswith(("held-out F1", "F1 not measured"))  # the active layer's
        assert app.session.recommenders["entity"].info.articles >= 4  # retrained after the later d's


def test_suggest_leaves_done_articles_as_they_are(store_path: Path, capsys) -> None:
    store = Store(store_path, annotator="mona")
    corpus(store, 4)
    store.import_articles([Sourced(make_article("وصل خالد إلى دمشق صباحا.", id="open"), "t", 99)])
    store.close()
    code, out, _ = run(["suggest", "--layer", "entity"], capsys)
    assert code == 0 and "over 1 articles; 4 done articles left as they are" in out
    again = Store(store_path, writable=False)
    from annotations.find.suggestions import suggestions

    assert all(not suggestions(again, a.id) for a in again.articles() if a.id != "open")
    assert {s.span.text for s in suggestions(again, "open")} >= {"خالد"}
