"""For widgets whose box the stylesheet fixes (a docked line, a panel of set width and the panes' height): new
content never moves another widget, so a refresh is a repaint. Without it, Static.update and OptionList ask
for a layout of the whole screen on every change (8 ms on each focus change, 25 ms after a tag at 120x40)."""

from __future__ import annotations


class FixedBox:
    """Mixed in before the widget class (a plain mixin: a Widget subclass here would change how Textual
    gathers the widget's component classes and CSS)."""

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        return super().refresh(  # type: ignore[misc]
            *regions, repaint=repaint, layout=False, recompose=recompose
        )
