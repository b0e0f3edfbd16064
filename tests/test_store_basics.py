"""The store's API: articles, spans, stances, done-state; what a reopened store holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.store import DuplicateSpan, Store


def test_annotations_survive_a_reopen(sample_store: Store, store_path: Path) -> None:
    article = sample_store.articles()[0]
    start = article.text.index("الكاظمي")
    span = sample_store.add_span(article, start, start + len("الكاظمي"), "entity", "PER")
    sample_store.set_stance(article.id, "(article)", "against")
    sample_store.set_done(article.id)
    again = Store(store_path, annotator="tester")
    (stored,) = again.spans(article.id)
    assert stored == span and stored.text == "الكاظمي" and stored.text_hash == article.text_hash
    assert again.stances(article.id)[0].value == "against"
    assert again.done_ids() == {article.id}
    assert again.span_counts() == {article.id: 1}


def test_an_exact_duplicate_is_refused_but_other_layers_may_overlap(sample_store: Store) -> None:
    article = sample_store.articles()[0]
    sample_store.add_span(article, 10, 20, "entity", "ORG")
    with pytest.raises(DuplicateSpan):
        sample_store.add_span(article, 10, 20, "entity", "ORG")
    sample_store.add_span(article, 10, 20, "bias", "Loaded_Language")
    sample_store.add_span(article, 12, 15, "entity", "PER")  # nested in the same layer
    assert len(sample_store.spans(article.id)) == 3


def test_offsets_outside_the_article_are_refused(sample_store: Store) -> None:
    article = sample_store.articles()[0]
    with pytest.raises(ValueError):
        sample_store.add_span(article, 5, len(article.text) + 1, "entity", "PER")


def test_the_store_file_is_plain_tinydb_json_after_close(sample_store: Store, store_path: Path) -> None:
    from tinydb import TinyDB

    article = sample_store.articles()[0]
    sample_store.add_span(article, 0, 3, "entity", "ORG")
    sample_store.close()
    plain = TinyDB(store_path)
    assert len(plain.table("articles")) == 5
    assert plain.table(f"spans/{article.id}").all()[0]["label"] == "ORG"
