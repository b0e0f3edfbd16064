"""What tui/compat.py leans on in Textual, each checked against the Textual installed: when an upgrade renames
or changes one of them, a test here fails (and says which), instead of the app misbehaving in a terminal."""

from __future__ import annotations

import asyncio
import inspect

from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Static

from tui.compat import (
    CrashHandlingApp,
    FixedBox,
    ordered_bindings,
    set_titles_quietly,
    set_virtual_height_quietly,
)


class Box(FixedBox, Static):
    pass


class Tall(ScrollView):
    def render_line(self, y: int):  # type: ignore[no-untyped-def]
        from textual.strip import Strip

        return Strip.blank(self.size.width)


class Plain(App[None]):
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ض", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def compose(self) -> ComposeResult:
        yield Box("x", id="box")
        yield Tall(id="tall")


def test_widget_refresh_still_takes_repaint_layout_and_recompose() -> None:
    parameters = inspect.signature(Widget.refresh).parameters
    assert {"repaint", "layout", "recompose"} <= parameters.keys()


async def test_a_fixed_box_update_never_asks_for_a_layout(monkeypatch) -> None:
    app = Plain()
    async with app.run_test(size=(40, 10)) as pilot:
        box = app.query_one(Box)
        asked: list[bool] = []
        original = Widget.refresh

        def spy(self, *regions, repaint=True, layout=False, recompose=False):  # type: ignore[no-untyped-def]
            if self is box:
                asked.append(layout)
            return original(self, *regions, repaint=repaint, layout=layout, recompose=recompose)

        monkeypatch.setattr(Widget, "refresh", spy)
        box.update("a longer text than before")
        await pilot.pause()
        assert asked and not any(asked)


async def test_the_app_title_reactives_can_be_set_without_their_watchers() -> None:
    assert isinstance(App.__dict__.get("title") or App.title, Reactive)
    app = Plain()
    async with app.run_test(size=(40, 10)):
        assert set_titles_quietly(app, "hamish — news", "3/5 done")
        assert (app.title, app.sub_title) == ("hamish — news", "3/5 done")
        assert not set_titles_quietly(app, "hamish — news", "3/5 done")


async def test_a_scroll_views_scrollbar_can_be_told_its_new_height() -> None:
    app = Plain()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(Tall)
        view.virtual_size = Size(30, 100)
        await pilot.pause()
        assert view.show_vertical_scrollbar
        set_virtual_height_quietly(view, Size(30, 200))  # the scrollbar stays: only it is told
        assert view.virtual_size == Size(30, 200)
        assert view.vertical_scrollbar.window_virtual_size == 200


async def test_active_bindings_still_map_keys_to_bindings_with_ids() -> None:
    app = Plain()
    async with app.run_test(size=(40, 10)):
        active = app.screen.active_bindings
        assert all(isinstance(binding, ActiveBinding) for binding in active.values())
        ordered = ordered_bindings(active, ("app.help", "app.quit"))
        assert list(ordered)[:2] == ["question_mark", "q"] and "ض" not in ordered


class Crashing(CrashHandlingApp[None]):
    BINDINGS = [Binding("x", "explode", "Explode")]

    def __init__(self) -> None:
        super().__init__()
        self.caught: list[Exception] = []
        self.as_in_a_terminal = False

    @property
    def is_headless(self) -> bool:
        return not self.as_in_a_terminal and super().is_headless

    def crashed(self, error: Exception) -> None:
        self.caught.append(error)
        self.exit(return_code=70)

    def action_explode(self) -> None:
        raise RuntimeError("boom")


async def test_an_error_no_handler_caught_still_reaches_the_private_hook() -> None:
    assert callable(getattr(App, "_handle_exception", None))
    app = Crashing()
    async with app.run_test(size=(40, 10)):
        app.as_in_a_terminal = True  # from here on, errors go the way they go in a real terminal
        app.call_later(app.action_explode)
        for _ in range(200):  # wait on the condition (the app is exiting: no pilot pause)
            if app.caught:
                break
            await asyncio.sleep(0.01)
    assert [str(error) for error in app.caught] == ["boom"] and app.return_code == 70


# -- textual-serve: hamish relays the browser's messages itself (to count typing as activity) ----------------
def test_the_relay_handles_every_message_textual_serve_handles() -> None:
    """tui/web/server.py's _relay stands in for textual-serve's private Server._process_messages (the one
    override of textual-serve): it must know every message type that one does, and call the same AppService
    methods, or a browser's input would be dropped after an upgrade."""
    import re

    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    from tui.web.server import HamishServer

    theirs = inspect.getsource(Server._process_messages)
    ours = inspect.getsource(HamishServer._relay)
    their_types = set(re.findall(r'type_ == "(\w+)"', theirs))
    assert their_types == {"stdin", "resize", "ping", "blur", "focus"}, their_types
    assert their_types <= set(re.findall(r'kind == "(\w+)"', ours))
    for method in set(re.findall(r"app_service\.(\w+)\(", theirs)):
        assert callable(getattr(AppService, method, None)) and f"service.{method}(" in ours, method


def test_textual_still_gives_a_kitty_protocol_space_no_character() -> None:
    """tui.compat.typed_text types it; when Textual gives the character itself, the workaround can go."""
    from textual._xterm_parser import XTermParser

    from tui.compat import typed_text

    events = list(XTermParser(debug=False).feed("\x1b[32u\x1b[32;2u\u00a0"))
    assert [(e.key, e.character) for e in events] == [
        ("space", None),
        ("shift+space", None),
        ("no_break_space", "\u00a0"),
    ]
    assert not any(e.is_printable for e in events)  # so Input types none of them
    assert [typed_text(e) for e in events] == [" ", " ", " "]
