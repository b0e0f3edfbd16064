"""The main screen is composed of parts (annotating, links, search and suggestions, the working day). A part owns
its keys' actions and its own state; what it needs is in its constructor: the Session (tui.session) and the
screen's Surface, the few widgets and operations of the main screen every part works through, declared here
rather than in prose. The main screen hands an action to the part that has it (MainScreen.__getattr__)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from annotations.find.search import Folded
    from annotations.store.model import Article, Span
    from tui.session import Session
    from tui.widgets.annotation_panel import AnnotationPanel
    from tui.widgets.article_view import ArticleView
    from tui.widgets.status_bar import StatusBar


class Surface(Protocol):
    """What of the main screen a part may use (MainScreen provides it)."""

    @property
    def app(self) -> App[Any]: ...

    @property
    def view(self) -> ArticleView: ...

    @property
    def status(self) -> StatusBar: ...

    @property
    def panel(self) -> AnnotationPanel: ...

    @property
    def article(self) -> Article | None: ...

    done_ids: set[str]

    def say(self, message: str) -> None: ...

    def span_under_cursor(self) -> Span | None: ...

    def target_range(self) -> tuple[int, int] | None: ...

    def reload_annotations(self, with_suggestions: bool = True) -> None: ...

    def refresh_panels(self) -> None: ...

    def open_article(self, index: int) -> None: ...

    def set_done(self, done: bool) -> None: ...

    def find_in_article(self, article: Article, query: str, folded: Callable[[Article], Folded]) -> Any: ...

    def find_terms(
        self, article: Article, sources: list[tuple[str, str, str, str]], folded: Folded
    ) -> Any: ...

    def find_model_suggestions(self, article: Article) -> Any: ...

    @property
    def query_one(self) -> Callable[..., Any]:
        """A widget of the screen (Textual's DOMNode.query_one)."""
        ...

    @property
    def set_timer(self) -> Callable[..., Timer]:
        """A timer on the screen (Textual's MessagePump.set_timer)."""
        ...


class Part:
    """A part of the main screen: the session and the surface it works through."""

    def __init__(self, session: Session, ui: Surface) -> None:
        self.session = session
        self.ui = ui

    @property
    def app(self) -> Any:
        """The running app, for Textual's own API (push_screen, notify) and its workers."""
        return self.ui.app

    def say(self, message: str) -> None:
        self.ui.say(message)
