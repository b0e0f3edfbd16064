"""The environment a benchmark runs hamish in as an installed program runs: with its bytecode cached. Pip
writes Textual's at install and Python writes hamish's on its first run; where PYTHONDONTWRITEBYTECODE is set
(as on this machine) hamish alone would compile its sources on every start (~55 ms)."""

from __future__ import annotations

import os
from pathlib import Path


def installed_env(folder: str | Path, **extra: str) -> dict[str, str]:
    """os.environ with a bytecode folder of its own under `folder` (filled by a first run) and writing on."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(folder) / "bytecode"), **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
