"""hamish's visual lines against GNU FriBidi's, line by line, on the seeds (and ArMPro when it is beside us)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import compare_fribidi  # noqa: E402


@pytest.mark.skipif(
    not shutil.which("fribidi"), reason="install Debian's libfribidi-bin for the fribidi command"
)
def test_no_line_differs_from_fribidi(capsys) -> None:
    assert compare_fribidi.main() == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert "mismatches: 0;" in summary
