"""`ctrl+f`: search every article; each hit shows the title and the hit in its context, right to left."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.find.search import Folded, context, find, fold
from annotations.store.model import Article
from annotations.text.layout import Layout
from tui.labels import label as visual_label
from tui.labels import mode as label_mode


@dataclass(frozen=True)
class Hit:
    article: int
    start: int


class CorpusSearch(ModalScreen[Hit | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="corpus.close"),
                Binding("down", "move(1)", "Next", show=False, id="corpus.down"),
                Binding("up", "move(-1)", "Previous", show=False, id="corpus.up")]
    LIMIT = 500

    def __init__(self, articles: list[Article], folded: dict[str, Folded]) -> None:
        super().__init__()
        self.articles = articles
        self.folded = folded

    def compose(self) -> ComposeResult:
        with Vertical(id="corpus-search"):
            yield Static(Text("Search the corpus (normalised: hamza, ta marbuta, harakat, clitics)", style="bold"))
            yield Input(placeholder="type a word or phrase, enter jumps to the highlighted hit", id="corpus-query")
            yield Static(id="corpus-count")
            yield OptionList(id="corpus-hits")

    @on(Input.Changed, "#corpus-query")
    def changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True)
    def search(self, query: str) -> None:
        """Runs in a thread, so typing never waits for a large corpus; posts the rows back."""
        rows, total = [], 0
        for index, article in enumerate(self.articles):
            folded = self.folded.get(article.id) or self.folded.setdefault(article.id, fold(article.text))
            for match in find(article.text, query, folded):
                total += 1
                if len(rows) < self.LIMIT:
                    before, hit, after = context(article.text, match, 25)
                    line = Text.assemble((visual_label(article.title, 24) + "  ", "dim"),
                                         *_hit_in_context(before, hit, after))
                    rows.append(Option(line, id=f"{index}:{match.start}"))
        self.app.call_from_thread(self.show, rows, total, query)

    def show(self, rows: list[Option], total: int, query: str) -> None:
        hits = self.query_one("#corpus-hits", OptionList)
        hits.clear_options()
        hits.add_options(rows)
        if rows:
            hits.highlighted = 0
        shown = f" (first {len(rows)})" if total > len(rows) else ""
        self.query_one("#corpus-count", Static).update(
            Text(f"{total} hit(s) in {len({o.id.split(':')[0] for o in rows})} article(s){shown}" if query else "",
                 style="dim"))

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


def _hit_in_context(before: str, hit: str, after: str) -> list[tuple[str, str]]:
    """The line «before HIT after» drawn right to left, with the hit emphasised."""
    if label_mode() == "terminal":  # the terminal reorders the line itself
        return [(before, ""), (hit, "bold reverse"), (after, "")]
    line = f"{before}{hit}{after}".replace("\t", " ")
    layout = Layout(line, len(line) + 2)
    if not layout.lines:
        return []
    return [(c.glyph, "bold reverse" if len(before) <= c.start < len(before) + len(hit) else "")
            for c in layout.lines[0].clusters]
