"""Labels (titles, span texts, targets, notes) drawn the way the whole app draws text: shaped and reordered
here in `--bidi app` mode, left in reading order in `--bidi terminal` mode. `Drawing` is that choice as one
value: the Session owns it (`Session.drawing`), and every widget and dialog that draws a label is given it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from annotations.text.layout import Layout, Mode, visual_label


@dataclass(frozen=True)
class Drawing:
    mode: Mode = "app"
    """"app": hamish reorders right-to-left text; "terminal": a bidi terminal does."""
    shaping: bool = True
    """Arabic letters joined here (off for --no-shaping, or a terminal that shapes them itself)."""

    @property
    def app_draws(self) -> bool:
        """False in `--bidi terminal` mode: the terminal reorders what is written in reading order."""
        return self.mode == "app"

    def label(self, text: str, width: int) -> str:
        """One line of at most `width` cells, cut in reading order, then drawn."""
        return visual_label(text, width, self.mode, self.shaping)

    def wrapped(self, text: str, width: int, max_lines: int = 3) -> list[str]:
        """A text of several lines as drawn: wrapped in reading order first, then each line reordered, so a
        right-to-left note reads from the top line down (wrapping an already reordered line puts its end
        first). Each line is padded to `width`, right-aligned when it reads right to left."""
        line = " ".join(text.split())
        if not line or width < 4:
            return []
        if self.mode == "terminal":
            layout = Layout(line, width, mode="terminal")
            return [line[v.start : v.end].strip() for v in layout.lines][:max_lines]
        layout = Layout(line, width, shaping=self.shaping)
        drawn = []
        for number, visual in enumerate(layout.lines):
            if number == max_lines - 1 and len(layout.lines) > max_lines:
                rest = self.label(line[visual.start :], width)
                drawn.append(" " * max(width - cell_len(rest), 0) + rest if visual.rtl else rest)
                break
            shown = visual.text.strip()
            drawn.append(" " * max(width - cell_len(shown), 0) + shown if visual.rtl else shown)
        return drawn
