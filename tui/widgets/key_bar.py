"""The footer: the screen's keys as one line of text, generated from the declared bindings like Textual's
Footer, and drawn in its colours. Textual's Footer makes a widget per key and restyles them all each time the
focus moves (14 keys: ~125 ms of hamish's start-up, half its cost over a bare Textual app); one line of text
costs nothing. A click on a key presses it."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import Static

from tui.compat import FixedBox


class KeyBar(FixedBox, Static):
    """Keys in the order `screen.active_bindings` gives (FooterOrder puts `?` and `q` first)."""

    zones: list[tuple[int, int, str]]
    """Each key's cells on the line (start, end) and the key it presses."""

    def on_mount(self) -> None:
        self.zones = []
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_resize(self) -> None:
        self.bindings_changed(self.screen)

    def bindings_changed(self, screen=None) -> None:
        colours = self.app.get_css_variables()
        key_style = Style.parse(f"bold {colours.get('footer-key-foreground', '#ffa62b')}")
        text_style = Style.parse(colours.get("footer-description-foreground", "default"))
        width = max(self.size.width, 20)
        palette = " ^p Commands " if self.app.ENABLE_COMMAND_PALETTE else ""
        line, zones, seen = Text(no_wrap=True, overflow="crop"), [], set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown = self.app.get_key_display(binding)
            item = f" {shown} {binding.description} "
            if cell_len(line.plain) + cell_len(item) > width - cell_len(palette):
                break
            start = cell_len(line.plain)
            dim = Style(dim=True) if not active.enabled else Style()
            line.append(f" {shown} ", key_style + dim)
            line.append(f"{binding.description} ", text_style + dim)
            zones.append((start, cell_len(line.plain), key))
        if palette:
            line.append(" " * max(width - cell_len(line.plain) - cell_len(palette), 0))
            start = cell_len(line.plain)
            line.append(" ^p ", key_style)
            line.append("Commands ", text_style)
            zones.append((start, cell_len(line.plain), self.app.COMMAND_PALETTE_BINDING))
        self.zones = zones
        self.update(line)

    def keys(self) -> list[str]:
        """The keys shown, in order (what a test or a screen reader reads)."""
        return [key for *_, key in self.zones]

    def on_click(self, event: events.Click) -> None:
        key = next((key for start, end, key in self.zones if start <= event.x < end), None)
        if key is not None:
            self.app.simulate_key(key)
