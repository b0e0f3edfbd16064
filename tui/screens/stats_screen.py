"""`S`: statistics of the store as tables and bar charts (the same as `hamish stats`); in a project, every
annotator's progress first (the same as `hamish project status`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from annotations.team.project import Project, ProjectError
from annotations.team.stats import compute
from tui.reports import progress_table, recommender_table, stats_renderables
from tui.screens.footer_order import FooterOrder
from tui.session import Session
from tui.widgets.key_bar import KeyBar
from tui.widgets.title_bar import TitleBar


class StatsScreen(FooterOrder, Screen[None]):
    BINDINGS = [Binding("escape,S,q,\u064d", "dismiss", "Back", id="stats.close")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="stats-body"):
            if self.session.project is not None:
                try:
                    yield Static(progress_table(Project(self.session.project)), classes="stats-block")
                except ProjectError as error:
                    yield Static(str(error), classes="stats-block")
            for renderable in stats_renderables(compute(self.session.store), self.session.drawing):
                yield Static(renderable, classes="stats-block")
            if self.session.recommenders:
                yield Static(recommender_table(self.session.recommenders), classes="stats-block")
        yield KeyBar()
