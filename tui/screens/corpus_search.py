"""`ctrl+f`: search every article; each hit shows the title and the hit in its context, right to left."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from annotations.find.fold_cache import FoldCache
from annotations.find.search import context, find
from annotations.store.model import Article
from annotations.text.layout import Layout
from tui.labels import Drawing
from tui.widgets.rtl_input import RtlInput


@dataclass(frozen=True)
class Hit:
    article: int
    start: int


class CorpusSearch(ModalScreen[Hit | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="corpus.close"),
        Binding("down", "move(1)", "Next", show=False, id="corpus.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="corpus.up"),
    ]
    LIMIT = 500

    def __init__(self, articles: Sequence[Article], folded: FoldCache, *, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.articles = articles
        self.folded = folded

    def compose(self) -> ComposeResult:
        with Vertical(id="corpus-search"):
            yield Static(
                Text("Search the corpus (normalised: hamza, ta marbuta, harakat, clitics)", style="bold")
            )
            yield RtlInput(
                drawing=self.drawing,
                placeholder="type a word or phrase, enter jumps to the highlighted hit",
                id="corpus-query",
            )
            yield Static(id="corpus-count")
            yield OptionList(id="corpus-hits")

    row_width = 60
    """Cells of a result row (set from the list's width when the dialog shows)."""

    @on(Input.Changed, "#corpus-query")
    def changed(self, event: Input.Changed) -> None:
        # Measured now, on the app's thread, once the list is laid out (its scrollbar gutter is kept).
        self.row_width = max(self.query_one("#corpus-hits", OptionList).scrollable_content_region.width, 30)
        self.search(event.value)

    BATCH_S = 0.05
    """Hits found are shown at least this often while the search goes on (the first ones at once)."""

    @work(thread=True, exclusive=True, group="corpus-search")
    def search(self, query: str) -> None:
        """Runs in a thread and streams its hits: the first appear while the rest of the corpus is searched,
        and the next typed letter (or escape) stops it, so typing never waits for a large corpus."""
        worker = get_current_worker()
        self.app.call_from_thread(self.start, query)
        batch: list[Option] = []
        total, shown, last_post = 0, 0, time.monotonic()
        count = len(self.articles)
        with_hits = 0
        """Articles holding at least one hit (what "in N articles" counts)."""
        for index in range(count):
            if worker.is_cancelled:
                return
            article = self.articles[index]
            before_article = total
            for match in find(article.text, query, self.folded.of(article)) if query.strip() else ():
                total += 1
                if shown + len(batch) < self.LIMIT:
                    before, hit, after = context(article.text, match, 40)
                    line = hit_row(
                        article.title or article.id, before, hit, after, self.row_width, self.drawing
                    )
                    batch.append(Option(line, id=f"{index}:{match.start}"))
            with_hits += total > before_article
            if (batch and (not shown or time.monotonic() - last_post > self.BATCH_S)) or index == count - 1:
                self.app.call_from_thread(self.add_hits, batch, total, with_hits, index + 1, count, query)
                shown, batch, last_post = shown + len(batch), [], time.monotonic()
        if not count:
            self.app.call_from_thread(self.add_hits, [], 0, 0, 0, 0, query)

    def start(self, query: str) -> None:
        self.query_one("#corpus-hits", OptionList).clear_options()
        self.query_one("#corpus-count", Static).update(
            Text("searching…" if query.strip() else "", style="dim")
        )

    def add_hits(
        self, rows: list[Option], total: int, with_hits: int, searched: int, count: int, query: str
    ) -> None:
        hits = self.query_one("#corpus-hits", OptionList)
        first = not hits.option_count
        hits.add_options(rows)
        if first and rows:
            hits.highlighted = 0
        shown = f" (first {hits.option_count})" if total > hits.option_count else ""
        where = f"{total} hit(s){shown} in {with_hits:,} article(s)" + (
            f", searching… {searched:,}/{count:,}" if searched < count else f" ({count:,} searched)"
        )
        self.query_one("#corpus-count", Static).update(Text(where if query.strip() else "", style="dim"))

    def action_move(self, step: int) -> None:
        hits = self.query_one("#corpus-hits", OptionList)
        if hits.option_count:
            hits.highlighted = ((hits.highlighted or 0) + step) % hits.option_count

    @on(Input.Submitted, "#corpus-query")
    def submitted(self) -> None:
        hits = self.query_one("#corpus-hits", OptionList)
        if hits.highlighted is not None and hits.option_count:
            self._choose(hits.get_option_at_index(hits.highlighted).id)

    @on(OptionList.OptionSelected, "#corpus-hits")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id:
            article, start = option_id.split(":")
            self.dismiss(Hit(int(article), int(start)))


def hit_row(title: str, before: str, hit: str, after: str, width: int, drawing: Drawing) -> Text:
    """One result as a right-to-left row: the title in a column at the right (where reading starts), and the
    line around the hit drawn as the article draws it, shifted so the hit sits in the middle of its column."""
    title_width = min(24, max(width // 4, 8))
    column = max(width - title_width - 2, 10)
    title_text = drawing.label(title, title_width)
    row = Text(no_wrap=True, overflow="crop")
    for glyph, style in _hit_centred(before, hit, after, column, drawing):
        row.append(glyph, style)
    row.append("  ")
    row.append(" " * max(title_width - cell_len(title_text), 0) + title_text, "dim")
    return row


def _hit_centred(before: str, hit: str, after: str, column: int, drawing: Drawing) -> list[tuple[str, str]]:
    """`column` cells of «before HIT after», reordered, the hit's middle at the column's middle."""
    line = f"{before}{hit}{after}".replace("\t", " ").replace("\n", " ")
    if not drawing.app_draws:  # the terminal reorders the line itself: only cut it to the column
        return [(drawing.label(line, column), "")]
    layout = Layout(line, cell_len(line) + 2, shaping=drawing.shaping)
    if not layout.lines:
        return []
    clusters = layout.lines[0].clusters
    inside = [c for c in clusters if len(before) <= c.start < len(before) + len(hit)]
    if not inside:
        return []
    middle = (min(c.x for c in inside) + max(c.x + c.width for c in inside)) // 2
    shift = column // 2 - middle
    cells: list[tuple[str, str]] = [(" ", "")] * column
    for c in clusters:
        x = c.x + shift
        if 0 <= x and x + c.width <= column:
            cells[x] = (c.glyph, "bold reverse" if c in inside else "")
            for extra in range(1, c.width):
                cells[x + extra] = ("", "")
    return cells
