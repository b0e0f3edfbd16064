"""`a` then `c`: tag all over the corpus, searched in a thread while a progress bar and the count found so far
show; escape stops it, keeping what was found. The suggestions are stored from the app's thread, many articles
to a write (one journal line), each article's one undo step."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from annotations.find.suggestions import occurrences, propose_occurrences
from annotations.store.model import Span
from tui.session import Session
from tui.store_errors import REFUSALS


@dataclass(frozen=True)
class TagAllResult:
    suggested: int
    """New suggestions stored."""
    in_articles: int
    """Articles that got any."""
    searched: int
    """Articles searched (all of them unless stopped)."""
    total: int
    stopped: bool


class TagAllProgress(ModalScreen[TagAllResult]):
    BINDINGS = [
        Binding(
            "escape", "stop", "Stop", tooltip="Stop searching; the suggestions found stay", id="tag_all.stop"
        )
    ]

    BATCH_S = 0.1
    """Found occurrences are stored (and the count shown) at least this often while the search goes on."""

    def __init__(self, span: Span, session: Session) -> None:
        super().__init__()
        self.span, self.session = span, session
        self.articles, self.folded = session.articles, session.folded
        self.suggested = self.in_articles = self.searched = 0
        self.stopped = False

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-all-progress"):
            yield Static(
                Text.assemble(
                    "Suggesting ",
                    (self.span.label, "bold"),
                    " on every other «",
                    self.session.drawing.label(self.span.text, 40),
                    "» in the corpus",
                )
            )
            yield ProgressBar(total=len(self.articles), show_eta=True, id="tag-all-bar")
            yield Static(id="tag-all-count")
            yield Static(Text.assemble(("escape", "bold reverse"), " stops (what was found stays)"))

    def on_mount(self) -> None:
        self.show_count()
        self.search()

    @work(thread=True, exclusive=True, group="tag-all", description="tag all over the corpus")
    def search(self) -> None:
        worker = get_current_worker()
        batch: list = []
        last_post = time.monotonic()
        count = len(self.articles)
        for index in range(count):
            if worker.is_cancelled:
                return
            article = self.articles[index]
            hits = occurrences(self.span, article, self.folded)
            if hits:
                batch.append((article, hits))
            if time.monotonic() - last_post > self.BATCH_S or index == count - 1:
                self.app.call_from_thread(self.found, batch, index + 1)
                batch, last_post = [], time.monotonic()
        self.app.call_from_thread(self.finish)

    def found(self, batch: list, searched: int) -> None:
        """On the app's thread: store what the thread found (unless stopped meanwhile) and show the count."""
        if self.stopped:
            return
        if batch:
            try:
                new = propose_occurrences(self.session.store, batch)
            except REFUSALS as error:  # nothing of this batch was written: say so and stop
                self.app.notify(str(error), title="not saved", severity="error", timeout=10)
                self.action_stop()
                return
            self.suggested += sum(new)
            self.in_articles += sum(1 for n in new if n)
        self.searched = searched
        self.query_one(ProgressBar).update(progress=searched)
        self.show_count()

    def show_count(self) -> None:
        self.query_one("#tag-all-count", Static).update(
            Text(
                f"{self.suggested:,} suggestion(s) in {self.in_articles:,} article(s); "
                f"{self.searched:,} of {len(self.articles):,} searched",
                style="dim",
            )
        )

    def finish(self) -> None:
        if not self.stopped:
            self.dismiss(self.result())

    def action_stop(self) -> None:
        self.stopped = True
        self.workers.cancel_group(self, "tag-all")
        self.dismiss(self.result())

    def result(self) -> TagAllResult:
        return TagAllResult(self.suggested, self.in_articles, self.searched, len(self.articles), self.stopped)
