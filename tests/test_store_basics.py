"""The store's API: articles, spans, stances, done-state; what a reopened store holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.store.links import DuplicateSpan
from annotations.store.store import Store


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


def test_check_finds_an_annotation_whose_offsets_no_longer_match(
    sample_store: Store, store_path: Path, capsys
) -> None:
    from tests.test_cli import run

    article = sample_store.articles()[0]
    start = article.text.index("الكاظمي")
    span = sample_store.add_span(article, start, start + 7, "entity", "PER")
    code, out, _ = run(["check"], capsys)
    assert code == 0 and "0 problem(s)" in out
    # Shift the offsets behind the store's back, as a buggy script or a hand edit would.
    sample_store.table(f"spans/{article.id}").update(
        {"start": start + 1, "end": start + 8}, lambda doc: doc["id"] == span.id
    )
    sample_store.table("spans/ghost").insert({"id": "x"})
    code, out, _ = run(["check"], capsys)
    assert code == 1
    assert f"span {span.id} (entity/PER {start + 1}:{start + 8}): text at these offsets is" in out
    assert "spans/ghost: 1 record(s) for an article that is not in the store" in out
    assert "2 problem(s)" in out


def test_annotator_comes_from_flag_env_config_then_user(monkeypatch, tmp_path: Path) -> None:
    from annotations.store.paths import annotator_name

    assert annotator_name("flag", "from-config") == "flag"
    assert annotator_name(None, "from-config") == "tester"  # HAMISH_ANNOTATOR (set by the test fixture)
    monkeypatch.delenv("HAMISH_ANNOTATOR")
    assert annotator_name(None, "from-config") == "from-config"
    assert annotator_name(None, None) == __import__("getpass").getuser()


def test_every_record_carries_the_annotator_and_times(sample_store: Store) -> None:
    article = sample_store.articles()[1]
    span = sample_store.add_span(article, 0, 2, "entity", "ORG")
    stance = sample_store.set_stance(article.id, "(article)", "neutral")
    assert span.annotator == stance.annotator == "tester"
    assert span.created.endswith("Z") and span.updated == span.created
