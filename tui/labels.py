"""Labels (titles, span texts, targets) drawn the way the whole app draws text: reordered here in `--bidi app`
mode, left in reading order in `--bidi terminal` mode. The mode is one per process, set when the app starts."""

from __future__ import annotations

from rich.cells import cell_len

from annotations.text.layout import Layout, Mode, visual_label

_mode: Mode = "app"


def set_mode(mode: Mode) -> None:
    global _mode
    _mode = mode


def label(text: str, width: int) -> str:
    return visual_label(text, width, _mode)


def mode() -> Mode:
    return _mode


def wrapped(text: str, width: int, max_lines: int = 3) -> list[str]:
    """A text of several lines as drawn: wrapped in reading order first, then each line reordered, so a
    right-to-left note reads from the top line down (wrapping an already reordered line puts its end first).
    Each line is padded to `width`, right-aligned when it reads right to left."""
    line = " ".join(text.split())
    if not line or width < 4:
        return []
    if _mode == "terminal":
        layout = Layout(line, width, mode="terminal")
        return [line[v.start : v.end].strip() for v in layout.lines][:max_lines]
    layout = Layout(line, width)
    drawn = []
    for number, visual in enumerate(layout.lines):
        if number == max_lines - 1 and len(layout.lines) > max_lines:
            rest = visual_label(line[visual.start :], width)
            drawn.append(" " * max(width - cell_len(rest), 0) + rest if visual.rtl else rest)
            break
        shown = visual.text.strip()
        drawn.append(" " * max(width - cell_len(shown), 0) + shown if visual.rtl else shown)
    return drawn
