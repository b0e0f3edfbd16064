"""The footer shows what matters first: Textual lists the focused widget's keys before the app's, so at 80
columns `?` help and `q` quit fell off the end. Screens subclass this to put them first, and to show each
action under its Latin key rather than its Arabic-layout alias (tui.compat.ordered_bindings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from tui.compat import ordered_bindings

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

FIRST = ("app.help", "app.quit", "help.close", "stats.close")
"""Binding ids the footer shows before every other."""


class FooterOrder(Screen[None]):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return ordered_bindings(super().active_bindings, FIRST)
