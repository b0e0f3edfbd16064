"""Schema checks, clitic trimming and the undo history as units."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.store.schema import SchemaError, load_schema
from annotations.store.store import Store
from annotations.text.clitics import trim_clitics, vocabulary
from tests.conftest import SEEDS
from tui.keymap import reserved_keys


def test_default_schema_has_its_layers_and_relations() -> None:
    schema = load_schema(reserved_keys=reserved_keys())
    assert [layer.name for layer in schema.layers] == ["entity", "bias", "attribution", "stance"]
    assert [label.name for label in schema.layer("attribution").labels] == ["direct_quote", "indirect_claim"]
    assert [r.rule for r in schema.relations] == [
        "targets: from bias to entity",
        "said_by: from attribution to entity:PER or entity:ORG",
        "same_as: from entity and entity",
    ]
    assert schema.relation("same_as").allows(("entity", "PER"), ("entity", "ORG"))
    assert not schema.relation("targets").allows(("entity", "PER"), ("bias", "Doubt"))  # directed
    assert not schema.relation("said_by").allows(("attribution", "direct_quote"), ("entity", "GPE"))
    assert [label.name for label in schema.layer("entity").labels] == [
        "PER",
        "ORG",
        "GPE",
        "LOC",
        "EVENT",
        "MISC",
    ]
    assert len(schema.layer("bias").labels) == 23
    assert schema.layer("bias").by_key("1").name == "Loaded_Language"
    assert schema.stance_layer.values == ("favor", "against", "neutral", "unrelated")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[layers.x]\nkind = "spans"\nlabels = [{name = "A"}]', "unknown layer kind 'spans'"),
        (
            '[layers.x]\nkind = "span"\nlabels = [{name = "A", key = "1"}, {name = "B", key = "1"}]',
            "duplicate key '1'",
        ),
        ('[layers.x]\nkind = "span"\nlabels = [{name = "A", key = "w"}]', "bound to 'Next word'"),
        ('[layers.x]\nkind = "span"\nlabels = [{name = "A", key = "ص"}]', "bound to 'Next word'"),
        ('[layer.x]\nkind = "span"', "unknown section 'layer'"),
        ("[layers.x\n", "not valid TOML"),
    ],
)
def test_a_bad_schema_is_one_clear_line(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "schema.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SchemaError) as error:
        load_schema(path, reserved_keys())
    text = str(error.value)
    assert message in text and text.startswith(str(path)) and "\n" not in text


def test_trim_on_washington_gives_exactly_washington() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    start = text.index("وواشنطن")
    a, b = trim_clitics(text, start, start + len("وواشنطن"), vocabulary(text))
    assert text[a:b] == "واشنطن"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والعراق", "العراق"),
        ("بالكاظمي", "الكاظمي"),
        ("للحكومة", "حكومة"),
        ("وَواشنطن", "واشنطن"),
        ("فرنسا", "فرنسا"),
        ("الله", "الله"),
        ("الكاظمي", "كاظمي"),
    ],
)
def test_trim_needs_evidence_for_single_letters(word: str, expected: str) -> None:
    known = vocabulary("العراق الكاظمي واشنطن حكومة")
    a, b = trim_clitics(word, 0, len(word), known)
    assert word[a:b] == expected


def test_undo_history_survives_a_restart_and_a_new_change_ends_redo(
    sample_store: Store, store_path: Path
) -> None:
    article = sample_store.articles()[0]
    sample_store.add_span(article, 0, 3, "entity", "ORG")
    sample_store.add_span(article, 4, 8, "entity", "PER")
    reopened = Store(store_path, annotator="tester")
    assert reopened.undo(article.id) == "tag PER"
    assert [s.label for s in Store(store_path).spans(article.id)] == ["ORG"]
    again = Store(store_path, annotator="tester")
    assert again.redo(article.id) == "tag PER"
    assert again.undo(article.id) == "tag PER"
    again.add_span(article, 10, 12, "entity", "LOC")
    assert again.redo(article.id) is None  # the new change ended the redo branch
    assert again.undo(article.id) == "tag LOC" and again.undo(article.id) == "tag ORG"
    assert again.undo(article.id) is None and Store(store_path).spans(article.id) == []
