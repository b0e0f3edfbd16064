"""Labels (titles, span texts, targets) drawn the way the whole app draws text: reordered here in `--bidi app`
mode, left in reading order in `--bidi terminal` mode. The mode is one per process, set when the app starts."""

from __future__ import annotations

from annotations.text.layout import Mode, visual_label

_mode: Mode = "app"


def set_mode(mode: Mode) -> None:
    global _mode
    _mode = mode


def label(text: str, width: int) -> str:
    return visual_label(text, width, _mode)


def mode() -> Mode:
    return _mode
