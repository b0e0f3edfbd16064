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


def test_layers_cycle_and_label_uses_are_kept_with_the_store_revision(sample_store: Store) -> None:
    session = Session(sample_store, load_schema())
    names = [layer.name for layer in session.schema.span_layers]
    assert session.active_layer.name == names[0]
    assert session.cycle_layer().name == names[1] and session.active_layer.name == names[1]
    article = sample_store.articles()[0]
    sample_store.add_span(article, 0, 3, "entity", "PER")
    assert session.label_uses("entity") == {"PER": 1}
    since = sample_store.revision
    span = sample_store.add_span(article, 4, 8, "entity", "ORG")
    session.spans_added([span], since)  # taken in without counting the store again
    assert session.label_uses("entity") == {"PER": 1, "ORG": 1}
    sample_store.delete_span(article.id, span.id)  # nobody says so: the revision moved, so counted again
    assert session.label_uses("entity") == {"PER": 1}
    sample_store.undo(article.id)
    assert session.label_uses("entity") == {"PER": 1, "ORG": 1}


def test_the_gazetteer_follows_every_write_and_what_others_saved(sample_store: Store, tmp_path) -> None:
    session = Session(sample_store, load_schema())
    article = sample_store.articles()[0]
    start = article.text.index("الكاظمي")
    sample_store.add_span(article, start, start + 7, "entity", "PER")
    assert session.gazetteer().get("الكاظمي") == "PER"
    other = Store(sample_store.path, annotator="other")  # another process's save, read at the next refresh
    at = article.text.index("بغداد")
    other.add_span(article, at, at + 5, "entity", "GPE")
    other.close()
    since = sample_store.revision
    assert sample_store.refresh()
    span = sample_store.add_span(article, 0, 3, "entity", "ORG")
    session.spans_added([span], since)  # two changes since: not patched, counted again when asked
    assert session.gazetteer()["بغداد"] == "GPE"
    sample_store.delete_span(
        article.id, next(s.id for s in sample_store.spans(article.id) if s.label == "GPE")
    )
    assert "بغداد" not in session.gazetteer()
