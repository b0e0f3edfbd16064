"""The gates CI also needs: lint, the format, the import contracts (the core never imports the UI; the layers of both
packages), README == CI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tree_is_formatted_as_ruff_formats_it() -> None:
    result = subprocess.run(
        [str(BIN / "ruff"), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_passes_mypy() -> None:
    """annotations/ with every --strict flag, tui/ with its untyped functions checked too (pyproject.toml
    [tool.mypy])."""
    result = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_the_core_never_imports_textual_or_tui() -> None:
    result = subprocess.run([str(BIN / "lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "KEPT" in result.stdout and " 0 broken" in result.stdout
    )  # every layering contract, not only this one


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_same_ones() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, flags=re.S)
    assert len(commands) == 2, commands
    install, test = commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install.split(" && hamish")[0] in ci  # CI has no screen to open the app on
    assert test in ci
