"""Cursor movement over the visual lines."""

from __future__ import annotations

from annotations.text import navigation as nav
from annotations.text.layout import Layout


def test_left_moves_forward_in_reading_order_in_an_rtl_line() -> None:
    layout = Layout("سلام عليكم", 20)
    assert nav.move_visual(layout, 0, -1) == 1
    assert nav.move_visual(layout, 1, 1) == 0


def test_right_moves_forward_in_an_ltr_line_and_across_an_embedded_latin_word() -> None:
    layout = Layout("Hello world", 20)
    assert nav.move_visual(layout, 0, 1) == 1
    mixed = Layout("قال Reuters اليوم", 30)
    # Cells left to right: ...اليوم, space, Reuters, space, قال. Walking Left visits "Reuters" on screen order.
    offsets = []
    offset = mixed.lines[0].clusters[-1].start
    for _ in range(len(mixed.text) - 1):
        offset = nav.move_visual(mixed, offset, -1)
        offsets.append(offset)
    assert offsets[:5] == [
        1,
        2,
        3,
        10,
        9,
    ]  # قا ل space, then R-e-u-t-e-r-s drawn left to right, entered at "s"


def test_moving_off_the_left_edge_of_an_rtl_line_continues_on_the_next_line() -> None:
    layout = Layout("واحد اثنان ثلاثة", 7)
    first = layout.lines[0]
    leftmost = first.clusters[0].start
    assert nav.move_visual(layout, leftmost, -1) == layout.lines[1].clusters[-1].start
    assert nav.move_visual(layout, layout.lines[1].clusters[-1].start, 1) == leftmost


def test_lam_alef_is_one_step() -> None:
    layout = Layout("سلام", 10)
    assert nav.move_visual(layout, 1, -1) == 3  # from lam-alef (1..3) straight to meem


def test_up_down_keep_the_column() -> None:
    layout = Layout("aaaa bbbb\ncccc dddd", 10)
    assert nav.move_vertical(layout, 2, 1, 2) == 12
    assert nav.move_vertical(layout, 12, -1, 2) == 2


def test_words_move_in_reading_order() -> None:
    text = "قال الكاظمي، اليوم"
    assert nav.next_word(text, 0) == 4
    assert nav.next_word(text, 4) == 13
    assert nav.previous_word(text, 13) == 4
    assert nav.word_bounds(text, 6) == (4, 11)
    assert nav.word_bounds(text, 11) is None


def test_home_end_are_reading_order_ends_of_the_visual_line() -> None:
    layout = Layout("واحد اثنان ثلاثة", 11)
    assert nav.line_start(layout, 3) == 0
    assert nav.line_end(layout, 0) == 9


def test_in_terminal_mode_left_goes_forward_in_an_rtl_line_as_the_terminal_draws_it() -> None:
    layout = Layout("واحد اثنان ثلاثة", 7, mode="terminal")
    assert nav.move_visual(layout, 0, -1) == 1
    assert nav.move_visual(layout, 1, 1) == 0
    last = layout.lines[0].clusters[-1].start
    assert nav.move_visual(layout, last, -1) == layout.lines[1].start  # on to the next line
    ltr = Layout("Hello world", 20, mode="terminal")
    assert nav.move_visual(ltr, 0, 1) == 1
