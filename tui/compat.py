"""Every place hamish leans on Textual beyond its documented use, in one module. Each has a test in
tests/test_compat.py that fails when Textual changes under it (a renamed private hook, a reactive that is no
longer one, a scrollbar attribute gone), so an upgrade breaks a test here, not the app in a user's terminal.

- `FixedBox`: a refresh that never asks for a layout of the screen (widgets whose box the stylesheet fixes).
- `set_titles_quietly`: the app's title reactives assigned without the repaint of the whole screen.
- `set_virtual_height_quietly`: a scroll view's line count changed telling only its scrollbar.
- `ordered_bindings`: the footer's keys in hamish's order (over `Screen.active_bindings`).
- `typed_text`: what a key types, where Textual's key event carries no character for it: a terminal speaking
  the kitty keyboard protocol (Textual asks for "report all keys") sends a space as `CSI 32u` or `CSI 32;2u`,
  which Textual makes a `space` / `shift+space` key with no character, and Input dropped it: a note typed in
  such a terminal lost every space («ملاحظة:تهديدمباشر»). A no-break or thin space is no printable character
  to Python, so Input dropped it too.
- `CrashHandlingApp`: Textual's private `_handle_exception` hook, where an unexpected error becomes a crash log
  and one line instead of a traceback over the user's terminal.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App
from textual.geometry import Size

if TYPE_CHECKING:
    from textual import events
    from textual.binding import ActiveBinding
    from textual.scroll_view import ScrollView

ReturnType = TypeVar("ReturnType")


class FixedBox:
    """Mixed in before the widget class (a plain mixin: a Widget subclass here would change how Textual gathers
    the widget's component classes and CSS). For widgets whose box the stylesheet fixes (a docked line, a panel
    of set width and the panes' height): new content never moves another widget, so a refresh is a repaint.
    Without it, Static.update and OptionList ask for a layout of the whole screen on every change (8 ms on each
    focus change, 25 ms after a tag at 120x40)."""

    def refresh(
        self, *regions: Any, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Any:
        return super().refresh(  # type: ignore[misc]
            *regions, repaint=repaint, layout=False, recompose=recompose
        )


def set_titles_quietly(app: App[Any], title: str, sub_title: str) -> bool:
    """Set the app's title and sub-title without their watchers (assigning them repaints the whole screen, which
    made every `d` a full frame); the caller redraws the title bar. True when anything changed."""
    if (app.title, app.sub_title) == (title, sub_title):
        return False
    app.set_reactive(type(app).title, title)
    app.set_reactive(type(app).sub_title, sub_title)
    return True


def set_virtual_height_quietly(view: ScrollView, size: Size) -> None:
    """Another article's line count, or more of a long one's. Assigning `virtual_size` re-lays out the whole
    screen, which repaints every widget; the view's own size does not change with its text, so unless the
    scrollbar must come or go only the scrollbar is told."""
    old, height = view.virtual_size, view.container_size.height
    if size == old:
        return
    if not height or size.width != old.width or (size.height > height) != (old.height > height):
        view.virtual_size = size
        return
    view.set_reactive(type(view).virtual_size, size)
    if view.show_vertical_scrollbar:
        view.vertical_scrollbar.window_virtual_size = size.height
        view.vertical_scrollbar.refresh()
    view.scroll_y = view.validate_scroll_y(view.scroll_y)
    view.refresh()


def ordered_bindings(bindings: dict[str, ActiveBinding], first: tuple[str, ...]) -> dict[str, ActiveBinding]:
    """`Screen.active_bindings` with the binding ids of `first` first, and each action under its Latin key only
    (Arabic-layout aliases fire all the same: keys are dispatched by the binding chain, not by this listing)."""
    leading = sorted(
        (key for key, active in bindings.items() if active.binding.id in first and key.isascii()),
        key=lambda key: first.index(bindings[key].binding.id or ""),
    )
    latin = [key for key in bindings if key.isascii() and key not in leading]
    return {key: bindings[key] for key in (*leading, *latin)}


SPACE_KEYS = frozenset({"space", "shift+space"})
JOINERS = frozenset({"\u200c", "\u200d"})
"""Zero-width non-joiner and joiner: typed on purpose (they change how Arabic letters join); Input drops them
as characters Python does not call printable."""


def typed_text(event: events.Key) -> str | None:
    """The text a key types into a one-line input where Textual's Input would type nothing: a space (any
    space separator, or a space key without its character) as " ", a joiner as itself; None for any other
    key (Input's own handling, and the bindings, then apply)."""
    character = event.character
    if character is None:
        return " " if event.key in SPACE_KEYS else None
    if character in JOINERS:
        return character
    if len(character) == 1 and unicodedata.category(character) == "Zs" and character != " ":
        return " "
    return None


class CrashHandlingApp(App[ReturnType]):
    """An App whose unexpected errors go to `crashed()` (a real terminal: a crash log and one line) instead of
    Textual's traceback. Under a test (headless) Textual's own handling stays, so the test sees the error."""

    def crashed(self, error: Exception) -> None:
        """Override: what to do with an error no handler caught."""
        raise NotImplementedError

    def _handle_exception(self, error: Exception) -> None:
        if self.is_headless:
            super()._handle_exception(error)
            return
        self.crashed(error)
