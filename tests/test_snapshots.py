"""Pictures that are the truth: the sample article right to left at two terminal sizes, and the help screen.

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update (then look at them).
"""

from __future__ import annotations

from annotations.store.store import Store
from tui.app import HamishApp


def test_seed_article_80x24(snap_compare, sample_store: Store) -> None:
    assert snap_compare(HamishApp(sample_store), terminal_size=(80, 24))


def test_seed_article_120x40_after_moving(snap_compare, sample_store: Store) -> None:
    assert snap_compare(HamishApp(sample_store), terminal_size=(120, 40), press=["]", "]", "w", "w", "left"])


def test_help_screen(snap_compare, sample_store: Store) -> None:
    assert snap_compare(HamishApp(sample_store), terminal_size=(120, 40), press=["question_mark"])


def test_annotation_panel_with_entity_bias_and_stance(snap_compare, sample_store: Store) -> None:
    article = sample_store.articles()[0]
    text = article.text
    for word, layer, label in [
        ("الكاظمي", "entity", "PER"),
        ("الاحتلال الفارسي", "bias", "Loaded_Language"),
        ("بغداد", "entity", "GPE"),
        ("الاحتلال الفارسي", "entity", "ORG"),
    ]:
        start = text.index(word)
        sample_store.add_span(article, start, start + len(word), layer, label)
    sample_store.set_stance(article.id, "(article)", "against")
    assert snap_compare(HamishApp(sample_store), terminal_size=(120, 40), press=["w", "w", "w", "tab"])


def test_stance_dialog(snap_compare, sample_store: Store) -> None:
    article = sample_store.articles()[0]
    start = article.text.index("الكاظمي")
    sample_store.add_span(article, start, start + 7, "entity", "PER")
    assert snap_compare(HamishApp(sample_store), terminal_size=(100, 30), press=["s"])


def test_stance_dialog_after_tab_at_80_columns(snap_compare, sample_store: Store) -> None:
    """Typed a target, then tab: the target is taken and the value list has the focus (tab used to move into
    the empty list of targets); the dialog says the way through it."""
    assert snap_compare(HamishApp(sample_store), terminal_size=(80, 24), press=["s", *"إيران", "tab"])


def test_a_long_status_message_at_80_columns(snap_compare, sample_store: Store) -> None:
    """v says how to go on selecting: at 80 columns the message ends at a whole word with an ellipsis."""
    assert snap_compare(HamishApp(sample_store), terminal_size=(80, 24), press=["v"])


def test_statistics_screen(snap_compare, sample_store: Store) -> None:
    first, second = sample_store.articles()[:2]
    for article, word, layer, label in [
        (first, "الكاظمي", "entity", "PER"),
        (first, "بغداد", "entity", "GPE"),
        (first, "الاحتلال الفارسي", "bias", "Loaded_Language"),
        (second, "بغداد", "entity", "GPE"),
        (second, "الكاظمي", "entity", "PER"),
    ]:
        start = article.text.index(word)
        sample_store.add_span(article, start, start + len(word), layer, label)
    sample_store.set_stance(first.id, "(article)", "against")
    sample_store.set_stance(second.id, "(article)", "neutral")
    sample_store.set_done(first.id)
    assert snap_compare(HamishApp(sample_store, pre_annotate=False), terminal_size=(120, 40), press=["S"])


def test_seed_article_200x50(snap_compare, sample_store: Store) -> None:
    """A wide terminal: the columns together in the middle, the article at a reading width."""
    assert snap_compare(
        HamishApp(sample_store, pre_annotate=False), terminal_size=(200, 50), press=["w", "w"]
    )


ARABIC_NOTE = [
    "w",
    "w",
    "1",
    "e",
    *"قال",
    "space",
    *"CNN",
    "space",
    *"في",
    "space",
    *"2024",
    "right",
    "right",
]


def test_arabic_note_input_80x24(snap_compare, sample_store: Store) -> None:
    """Typed Arabic with Latin and digits, shaped and right to left; from the end (the left edge) Right twice
    puts the caret on the 0 of «2024»."""
    assert snap_compare(
        HamishApp(sample_store, pre_annotate=False), terminal_size=(80, 24), press=ARABIC_NOTE
    )


def test_arabic_note_input_200x50(snap_compare, sample_store: Store) -> None:
    assert snap_compare(
        HamishApp(sample_store, pre_annotate=False), terminal_size=(200, 50), press=ARABIC_NOTE
    )
