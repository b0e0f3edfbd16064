"""What the terminal does with right-to-left text, and the escape sequences that ask it not to."""

from __future__ import annotations

from collections.abc import Mapping

# terminal-wg BiDi recommendation: explicit mode (the app does bidi) on start, implicit mode back on exit.
EXPLICIT_MODE = "\x1b[8l"
IMPLICIT_MODE = "\x1b[8h"


def bidi_terminal_hint(env: Mapping[str, str], mode: str) -> str:
    """A short status-bar hint when the environment suggests a terminal that reorders text itself."""
    if env.get("KONSOLE_VERSION") or env.get("TERM_PROGRAM") == "Apple_Terminal":
        name = "Konsole" if env.get("KONSOLE_VERSION") else "Terminal.app"
        return (
            f"{name} reorders Arabic itself: if lines look reversed, run with --bidi terminal"
            if mode == "app"
            else ""
        )
    if env.get("VTE_VERSION"):
        return (
            "VTE terminal: explicit bidi mode requested (ESC[8l); if lines look reversed, try --bidi terminal"
            if mode == "app"
            else ""
        )
    return ""
