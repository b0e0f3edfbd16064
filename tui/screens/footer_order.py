"""The footer shows what matters first: Textual lists the focused widget's keys before the app's, so at 80
columns `?` help and `q` quit fell off the end. Screens mix this in to put them first, and to show each
action under its Latin key rather than its Arabic-layout alias."""

from __future__ import annotations

from textual.screen import Screen

FIRST = ("app.help", "app.quit", "help.close", "stats.close")
"""Binding ids the footer shows before every other."""


class FooterOrder(Screen):
    @property
    def active_bindings(self):  # type: ignore[override]
        bindings = super().active_bindings
        first = sorted(
            (key for key, active in bindings.items() if active.binding.id in FIRST and key.isascii()),
            key=lambda key: FIRST.index(bindings[key].binding.id),
        )
        latin = [key for key in bindings if key.isascii() and key not in first]
        # Arabic-layout aliases fire all the same (keys are dispatched by the binding chain, not by this
        # listing); shown, an alias would stand for an action whose Latin key a screen took (q on Statistics).
        return {key: bindings[key] for key in (*first, *latin)}
