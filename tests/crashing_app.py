"""`hamish` with one extra key (%) that raises, to test what a real crash does to the terminal and the store.
Run as a module: the CLI then builds this app instead of the real one, and everything else is the same."""

from __future__ import annotations

from textual.binding import Binding

import tui.app


class CrashingApp(tui.app.HamishApp):
    BINDINGS = [Binding("percent_sign", "crash", "Crash (test only)")]

    def action_crash(self) -> None:
        1 / 0  # noqa: B018  (the point is the ZeroDivisionError)


def main() -> None:
    tui.app.HamishApp = CrashingApp  # the CLI imports the app class when it opens
    from tui.cli import main as hamish

    hamish()
