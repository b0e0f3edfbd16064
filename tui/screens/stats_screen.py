"""`S`: statistics of the store as tables and bar charts (the same as `hamish stats`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from annotations.team.stats import compute
from tui.reports import recommender_table, stats_renderables


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("escape,S,q,\u064d", "dismiss", "Back", id="stats.close")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            for renderable in stats_renderables(compute(self.app.store)):
                yield Static(renderable, classes="stats-block")
            if self.app.recommenders:
                yield Static(recommender_table(self.app.recommenders), classes="stats-block")
        yield Footer()
