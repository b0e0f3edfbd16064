"""The Textual app: holds the store and the settings; screens and widgets do the rest."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from annotations.layout import Mode
from annotations.model import Article
from annotations.store import Store
from tui.keymap import ALL_KEYS, APP_KEYS, bindings
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen


class HamishApp(App[None]):
    CSS_PATH = Path(__file__).parent / "hamish.tcss"  # absolute, so subclasses elsewhere find it too
    BINDINGS = bindings(APP_KEYS)
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, store: Store, *, bidi_mode: Mode = "app", shaping: bool = True,
                 keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.store = store
        self.bidi_mode: Mode = bidi_mode
        self.shaping = shaping
        self.articles: list[Article] = store.articles()
        self.current = 0
        self._keymap = keymap or {}

    def on_mount(self) -> None:
        if self._keymap:
            self.set_keymap(self._keymap)
        self.main = MainScreen()
        self.push_screen(self.main)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(ALL_KEYS))

    def action_next_article(self) -> None:
        self.main.open_article(self.current + 1)

    def action_previous_article(self) -> None:
        self.main.open_article(self.current - 1)

    def action_focus_next_panel(self) -> None:
        self.screen.focus_next()
