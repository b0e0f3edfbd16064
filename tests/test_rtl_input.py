"""The one text input: typed Arabic drawn shaped and right to left, Latin and digits in place, a caret that
moves on screen and edits at the right logical offset."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from annotations.text.field import Field
from tui.labels import Drawing
from tui.widgets.rtl_input import RtlInput

MIXED = st.text(
    alphabet=st.sampled_from(
        list("قالفيعراقبغدادلا") + list("CNNab") + list("2024") + [" ", "(", ")", "\u064e"]
    ),
    max_size=24,
)


@given(MIXED)
def test_every_caret_place_is_reachable_by_walking_right_from_the_left_edge(text: str) -> None:
    field = Field(text)
    places = [offset for _, offset in field.stops]
    position, seen = places[0], {places[0]}
    for _ in range(len(places)):
        position = field.move(position, 1)
        seen.add(position)
    assert seen == set(places)
    assert len(field.stops) == len({cell for cell, _ in field.stops})  # one cell per place


@given(MIXED)
def test_left_undoes_right(text: str) -> None:
    field = Field(text)
    for _, offset in field.stops[:-1]:
        assert field.move(field.move(offset, 1), -1) == offset


@settings(max_examples=50)
@given(MIXED)
def test_a_click_on_a_caret_cell_lands_on_that_place(text: str) -> None:
    field = Field(text)
    for cell, offset in field.stops:
        assert field.offset_at(cell) == offset
        assert field.caret_cell(offset) == cell


def test_arabic_value_reads_right_to_left_with_latin_and_digits_in_place() -> None:
    field = Field("قال CNN في 2024")
    assert field.rtl
    drawn = "".join(c.glyph for c in field.clusters)
    assert drawn == "2024 ﻲﻓ CNN ﻝﺎﻗ"  # shaped, digits and Latin left to right inside
    assert field.caret_cell(len(field.text)) == 0  # the end of a right-to-left value is at its left
    assert field.caret_cell(0) == field.width - 1  # its start at its right


def test_lam_alef_is_one_caret_place() -> None:
    field = Field("لا")
    assert [offset for _, offset in field.stops] == [2, 0]


class InputApp(App[None]):
    def __init__(self, drawing: Drawing | None = None) -> None:
        super().__init__()
        self.drawing = drawing or Drawing()

    def compose(self) -> ComposeResult:
        yield RtlInput(drawing=self.drawing, id="field")


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_typing_arabic_with_latin_and_digits_then_editing_in_the_middle(size) -> None:
    app = InputApp()
    async with app.run_test(size=size) as pilot:
        field = app.query_one(RtlInput)
        await type_text(pilot, "قال CNN في 2024")
        assert field.value == "قال CNN في 2024"
        row = field.render_line(0).text
        assert row.rstrip().endswith("2024 ﻲﻓ CNN ﻝﺎﻗ")  # right-aligned, reordered, shaped
        assert len(row.rstrip()) == field.scrollable_content_region.width
        # Right from the end (the left edge) walks into the digits, left to right: 2, 0, 2, 4.
        await pilot.press("right", "right", "right", "right")
        assert field.cursor_position == 14  # the caret is on the 4
        await pilot.press("backspace")  # deletes the digit before it in reading order: the second 2
        assert field.value == "قال CNN في 204"
        # Right three times: past the digits and the space onto «في».
        await pilot.press("right", "right", "right")
        assert field.cursor_position == 8  # on «ف», the rightmost letter of «في»
        await pilot.press("delete")
        assert field.value == "قال CNN ي 204"
        assert field.render_line(0).text.rstrip().endswith("204 ﻱ CNN ﻝﺎﻗ")
        await pilot.press("home")
        await type_text(pilot, "و")
        assert field.value == "وقال CNN ي 204"
        assert (
            field.render_line(0).text.rstrip().endswith("204 ﻱ CNN ﻝﺎﻗﻭ")
        )  # و does not join on: ق keeps its initial form


async def test_the_caret_is_drawn_on_its_cell_and_the_terminal_cursor_follows() -> None:
    app = InputApp()
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.query_one(RtlInput)
        await type_text(pilot, "عراق")
        region = field.content_region
        # At the end of a right-to-left value the caret is left of the word, not after its last letter.
        assert field.cursor_screen_offset.x == region.x + region.width - 5
        await pilot.press("home")
        assert field.cursor_screen_offset.x == region.x + region.width - 1


async def test_a_long_value_scrolls_to_keep_the_caret_in_view() -> None:
    app = InputApp()
    async with app.run_test(size=(40, 10)) as pilot:
        field = app.query_one(RtlInput)
        await type_text(pilot, "بغداد " * 12)
        inside = field.content_region
        assert inside.x <= field.cursor_screen_offset.x < inside.x + inside.width
        await pilot.press("home")
        assert inside.x <= field.cursor_screen_offset.x < inside.x + inside.width
        assert field.render_line(0).text.rstrip().endswith("ﺩﺍﺪﻐﺑ")


async def test_terminal_bidi_mode_leaves_reordering_to_the_terminal() -> None:
    app = InputApp(Drawing(mode="terminal"))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "قال CNN")
        assert app.query_one(RtlInput).render_line(0).text.startswith("قال CNN")


def terminal_keys(data: str) -> list:
    """The key and paste events Textual makes of what a terminal sends (its own parser)."""
    from textual._xterm_parser import XTermParser

    return list(XTermParser(debug=False).feed(data))


@pytest.mark.parametrize(
    ("terminal", "sent"),
    [
        ("plain", "ملاحظة: تهديد مباشر"),
        # kitty, foot, WezTerm, ghostty: Textual asks for every key as CSI u; a space comes without its text,
        # shift+space (the shift still held after «:») too.
        ("kitty report-all-keys", "ملاحظة:\x1b[32;2uتهديد\x1b[32uمباشر"),
        ("no-break and thin spaces", "ملاحظة:\u00a0تهديد\u2009مباشر"),
    ],
)
async def test_every_space_a_terminal_sends_is_typed(terminal: str, sent: str) -> None:
    app = InputApp()
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.query_one(RtlInput)
        for event in terminal_keys(sent):
            app.post_message(event)
        await pilot.pause()
        assert field.value == "ملاحظة: تهديد مباشر", terminal


async def test_a_joiner_is_typed_and_a_pasted_paragraph_becomes_one_line() -> None:
    from textual import events

    app = InputApp()
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.query_one(RtlInput)
        for event in terminal_keys("می\u200cخواهم"):
            app.post_message(event)
        await pilot.pause()
        assert field.value == "می\u200cخواهم"
        field.value = ""
        app.post_message(events.Paste("السطر الأول\nالسطر الثاني\n"))
        await pilot.pause()
        assert field.value == "السطر الأول السطر الثاني"  # Input alone kept the first line only
