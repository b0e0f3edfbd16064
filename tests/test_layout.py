"""The right-to-left layout: exact maps between logical offsets and screen cells."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.text.layout import BIDI_CONTROLS, Layout, visual_label
from tests.conftest import SEEDS

ARABIC = [chr(c) for c in range(0x0621, 0x064B)]
HARAKAT = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]
TOKENS = st.one_of(
    st.text(alphabet=ARABIC, min_size=1, max_size=8),
    st.builds(
        lambda a, h: "".join(x + y for x, y in zip(a, h, strict=False)),
        st.text(alphabet=ARABIC, min_size=1, max_size=5),
        st.text(alphabet=HARAKAT, min_size=1, max_size=5),
    ),
    st.sampled_from(
        [
            "لا",
            "لأ",
            "لإ",
            "لآ",
            "الله",
            "فلَا",
            "ـ",
            "«",
            "»",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            '"',
            "'",
            ".",
            ",",
            "،",
            "؛",
            "؟",
            "!",
            ":",
            "%",
            "-",
            "/",
            "\u200e",
            "\u200f",
            "\u061c",
            "\u200c",
        ]
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ", min_size=1, max_size=8),
    st.text(alphabet="0123456789", min_size=1, max_size=5),
    st.text(alphabet="٠١٢٣٤٥٦٧٨٩", min_size=1, max_size=5),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "", "\n", "\n\n"])


@st.composite
def mixed_text(draw) -> str:
    parts = draw(st.lists(st.tuples(TOKENS, SEPARATORS), min_size=1, max_size=30))
    return "".join(token + sep for token, sep in parts)


def clusters_by_start(layout: Layout) -> dict[int, tuple[int, int]]:
    return {c.start: (c.start, c.end) for line in layout.lines for c in line.clusters}


@settings(max_examples=300, deadline=None)
@given(mixed_text(), st.integers(min_value=4, max_value=60))
def test_every_offset_maps_to_a_cell_and_back_into_its_cluster(text: str, width: int) -> None:
    layout = Layout(text, width)
    clusters = clusters_by_start(layout)
    # The clusters partition the text, in logical order, without gaps or overlaps.
    bounds = sorted(clusters.values())
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    for offset in range(len(text)):
        line, x = layout.locate(offset)
        back = layout.offset_at(line, x)
        assert back is not None
        start, end = clusters[back]
        assert start <= offset < end
        assert layout.cluster_bounds(offset) == (start, end)


@settings(max_examples=200, deadline=None)
@given(mixed_text(), st.integers(min_value=4, max_value=60), st.data())
def test_cells_of_a_highlighted_range_are_exactly_its_clusters(text: str, width: int, data) -> None:
    layout = Layout(text, width)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    cells = layout.range_cells(a, b)
    clusters = clusters_by_start(layout)
    # Walk the screen cell by cell (the cell->offset map), independently of the cluster list.
    for index, line in enumerate(layout.lines):
        for x, owner in enumerate(line.cell_to_offset):
            if owner is None:
                assert x not in cells.get(index, set())
                continue
            start, end = clusters[owner]
            assert (x in cells.get(index, set())) == (a < b and start < b and a < end)


@settings(max_examples=200, deadline=None)
@given(mixed_text(), st.integers(min_value=4, max_value=60))
def test_lines_fit_keep_logical_order_and_never_draw_controls(text: str, width: int) -> None:
    layout = Layout(text, width)
    terminal = Layout(text, width, mode="terminal")
    position = 0
    for line, same in zip(layout.lines, terminal.lines, strict=True):
        assert (line.start, line.end) == (same.start, same.end)  # same breaks in every mode
        assert line.start == position
        position = line.end
        assert line.width <= width or len(line.clusters) == 1
        drawn = "".join(c.glyph for c in line.clusters)
        assert not (set(drawn) & BIDI_CONTROLS)
        xs = [(c.x, c.width) for c in line.clusters]
        assert all(x1 + w1 == x2 for (x1, w1), (x2, _) in zip(xs, xs[1:], strict=False))
        if line.rtl and line.clusters:
            assert xs[-1][0] + xs[-1][1] == width  # right-aligned
    assert position == len(text)


@settings(max_examples=200, deadline=None)
@given(mixed_text())
def test_harakat_stay_on_their_letter_and_are_never_deleted(text: str) -> None:
    layout = Layout(text, 30)
    drawn = "".join(c.glyph for line in layout.lines for c in line.clusters)
    marks_in = [ch for ch in text if unicodedata.category(ch) == "Mn"]
    marks_out = [ch for ch in drawn if unicodedata.category(ch) == "Mn"]
    assert sorted(marks_in) == sorted(marks_out)
    for line in layout.lines:
        for cluster in line.clusters:
            assert unicodedata.category(cluster.glyph[0]) != "Mn" or cluster.start == line.start


def visual(text: str, width: int = 40) -> list[str]:
    return [line.text.strip() for line in Layout(text, width).lines]


def test_latin_and_digits_inside_arabic_read_left_to_right_and_brackets_mirror() -> None:
    assert visual("قال (Reuters) إن 12") == ["12 ﻥﺇ (Reuters) ﻝﺎﻗ"]
    assert visual("في «الحدث» اليوم") == ["ﻡﻮﻴﻟﺍ «ﺙﺪﺤﻟﺍ» ﻲﻓ"]
    assert visual("عام 2021 و٢٠٢١") == ["٢٠٢١ﻭ 2021 ﻡﺎﻋ"]


def test_lam_alef_is_one_cell_for_both_letters() -> None:
    layout = Layout("لا", 10)
    (line,) = layout.lines
    (cluster,) = line.clusters
    assert cluster.glyph == "\ufefb" and cluster.width == 1
    assert layout.locate(0) == layout.locate(1) == (0, 9)


def test_harakat_are_kept_on_the_letter_cell() -> None:
    layout = Layout("قُتِلَ", 10)
    glyphs = [c.glyph for c in layout.lines[0].clusters]
    assert len(glyphs) == 3 and all(len(g) == 2 for g in glyphs)
    assert layout.locate(0) == layout.locate(1)  # the damma sits in qaf's cell


def test_no_wide_ligatures_for_allah() -> None:
    layout = Layout("الله", 10)
    assert "\ufdf2" not in layout.lines[0].text and layout.lines[0].width == 4
    assert [c.width for c in layout.lines[0].clusters] == [1, 1, 1, 1]


def test_wrapping_is_in_logical_order_at_spaces() -> None:
    text = "واحد اثنان ثلاثة أربعة خمسة"
    lines = Layout(text, 12).lines
    assert [text[line.start : line.end] for line in lines] == ["واحد اثنان ", "ثلاثة أربعة ", "خمسة"]


def test_an_over_long_word_is_cut() -> None:
    lines = Layout("ب" * 25, 10).lines
    assert [line.end - line.start for line in lines] == [10, 10, 5]


def test_paragraph_direction_comes_from_its_first_strong_letter() -> None:
    layout = Layout("مرحبا\nHello عالم\n123", 20)
    assert [line.rtl for line in layout.lines] == [True, False, True]  # digits only: the article is Arabic
    assert Layout("Hello\n123", 20).lines[1].rtl is False


def test_blank_lines_are_kept_between_paragraphs() -> None:
    layout = Layout("أ\n\nب", 10)
    assert [(line.start, line.end) for line in layout.lines] == [(0, 2), (2, 3), (3, 4)]


def test_a_seed_article_maps_every_offset(tmp_path) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    for width in (40, 80, 120):
        layout = Layout(text, width)
        for offset in range(len(text)):
            line, x = layout.locate(offset)
            start, end = layout.cluster_bounds(layout.offset_at(line, x))
            assert start <= offset < end


def test_visual_label_cuts_in_reading_order() -> None:
    assert visual_label("الكاظمي يحذر الاحتلال", 10) == "…ﻱ ﻲﻤﻇﺎﻜﻟﺍ"  # 9 cells of the start, then …
    assert visual_label("الكاظمي يحذر الاحتلال", 14) == "…ﺭﺬﺤﻳ ﻲﻤﻇﺎﻜﻟﺍ"
    assert visual_label("short", 10) == "short"
