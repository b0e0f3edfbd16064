"""Our bidi reordering against Unicode's own test file, and the python-bidi pin it relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.text.bidi_levels import paragraph_levels
from annotations.text.conformance import DEFAULT_PATH, run

needs_file = pytest.mark.skipif(
    not Path(DEFAULT_PATH).exists(), reason="install Debian's unicode-data for BidiCharacterTest.txt"
)


@needs_file
def test_every_case_of_bidi_character_test_passes() -> None:
    passed, total, failures = run()
    assert total > 90_000
    assert passed == total, [(f.line, f.text) for f in failures[:5]]


def test_levels_are_read_per_code_point_from_python_bidi() -> None:
    info = paragraph_levels("قال (Reuters) إن 12", 1)
    assert info.levels == (1,) * 5 + (2,) * 7 + (1,) * 5 + (2, 2)
    assert info.classes[:4] == ("AL", "AL", "AL", "WS") and info.classes[-1] == "EN"


def test_a_paragraph_with_a_newline_is_refused() -> None:
    with pytest.raises(ValueError):
        paragraph_levels("a\nb", 0)
