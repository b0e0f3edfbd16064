"""The session object alone, without an app: what the screens read and change through it."""

from __future__ import annotations

from annotations.formats.ingest import make_article
from annotations.store.model import Sourced
from annotations.store.schema import load_schema
from annotations.store.store import Store
from tui.session import Session


def test_the_open_article_wraps_around_and_survives_new_articles(sample_store: Store) -> None:
    session = Session(sample_store, load_schema())
    assert session.article is not None and session.article.id == "000_bd41f7afd87b55b5"
    assert session.open(7) is session.article and session.current == 2
    opened = session.article.id
    sample_store.import_articles([Sourced(make_article("خبر جديد هنا", id="000_first"), "test", 1)])
    assert session.reload_articles() and session.article.id == opened  # found by id, wherever it went
    assert len(session.articles) == 6


def test_layers_cycle_and_label_uses_are_counted_once_then_kept(sample_store: Store) -> None:
    session = Session(sample_store, load_schema())
    names = [layer.name for layer in session.schema.span_layers]
    assert session.active_layer.name == names[0]
    assert session.cycle_layer().name == names[1] and session.active_layer.name == names[1]
    article = sample_store.articles()[0]
    sample_store.add_span(article, 0, 3, "entity", "PER")
    assert session.label_uses("entity") == {"PER": 1}
    sample_store.add_span(article, 4, 8, "entity", "PER")  # not read again: counted as the app tags
    assert session.label_uses("entity") == {"PER": 1}
    session.tagged("entity", "PER")
    assert session.label_uses("entity") == {"PER": 2}
    session.spans_changed_elsewhere()  # another process saved: counted from the store again
    assert session.label_uses("entity") == {"PER": 2}


def test_the_gazetteer_is_built_once_and_learns_new_entities(sample_store: Store) -> None:
    session = Session(sample_store, load_schema())
    article = sample_store.articles()[0]
    start = article.text.index("الكاظمي")
    sample_store.add_span(article, start, start + 7, "entity", "PER")
    assert session.gazetteer().get("الكاظمي") == "PER"
    session.learn_entities({"بغداد": "GPE"})
    assert session.gazetteer()["بغداد"] == "GPE"
    session.spans_changed_elsewhere()
    assert "بغداد" not in session.gazetteer()  # rebuilt from the store, where Baghdad is not tagged
