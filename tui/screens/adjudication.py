"""`c`: adjudicate a merged store, conflict by conflict. The article shows each annotator's spans in their own
colour; `1`-`9` keep one annotator's side, `b` both, `x` neither; `n`/`N` move between conflicts."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from annotations.store.model import ARTICLE_TARGET, Span
from annotations.team.merge import LINK_LAYER, STANCE_LAYER, Conflict, conflicts, resolve
from tui.keymap import with_arabic_aliases
from tui.screens.footer_order import FooterOrder
from tui.session import Session
from tui.store_errors import reports_store_errors
from tui.widgets.article_view import ArticleView
from tui.widgets.key_bar import KeyBar
from tui.widgets.title_bar import TitleBar

PALETTE = ["#5f87ff", "#ff8700", "#d75fd7", "#5fd75f", "#d7d700", "#5fd7d7"]


class AdjudicationScreen(FooterOrder, Screen[None]):
    # Priority: these keys mean "decide" here, even though the article view below binds b (word) and n.
    BINDINGS = [
        *[
            Binding(
                with_arabic_aliases(str(n)),
                f"keep({n})",
                f"Keep annotator {n}",
                show=n <= 2,
                priority=True,
                id=f"adjudicate.keep_{n}",
            )
            for n in range(1, 10)
        ],
        Binding(with_arabic_aliases("b"), "keep_all('both')", "Both", priority=True, id="adjudicate.both"),
        Binding(
            with_arabic_aliases("x"), "keep_all('neither')", "Neither", priority=True, id="adjudicate.neither"
        ),
        Binding(with_arabic_aliases("n"), "step(1)", "Next conflict", priority=True, id="adjudicate.next"),
        Binding("N", "step(-1)", "Previous conflict", priority=True, id="adjudicate.previous"),
        Binding("escape", "dismiss", "Back", id="adjudicate.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        """The sitting's articles and which is open (tui.session)."""
        self.queue: list[tuple[int, Conflict]] = []
        self.position = 0
        self.sides: list[str] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="adjudication"):
            yield Static(id="conflict-panel")
            yield ArticleView(
                mode=self.session.drawing.mode,
                shaping=self.session.drawing.shaping,
                id="adjudication-article",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.view.span_style = self.style_for
        self.refill()
        self.show()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def refill(self) -> None:
        store = self.session.store
        self.queue = [
            (index, c)
            for index, article in enumerate(self.session.articles)
            for c in conflicts(store, article.id)
        ]
        self.position = min(self.position, max(len(self.queue) - 1, 0))

    def style_for(self, span: Span) -> Style:
        names = sorted({s.annotator for s in self.view.spans})
        if "+" in span.annotator:  # agreed by several: settled
            return Style(color="green", dim=True)
        color = PALETTE[names.index(span.annotator) % len(PALETTE)] if span.annotator in names else "grey50"
        return Style(bgcolor=color, color="black")

    def show(self) -> None:
        panel = self.query_one("#conflict-panel", Static)
        if not self.queue:
            panel.update(Text("No open conflicts. escape: back", style="bold green"))
            if self.view.article is None and self.session.articles:
                self.view.show_article(
                    self.session.articles[self.session.current],
                    self.session.store.spans(self.session.articles[self.session.current].id),
                )
            self.sides = []
            return
        index, conflict = self.queue[self.position]
        article = self.session.articles[index]
        spans = {s.id: s for s in self.session.store.spans(article.id)}
        if self.view.article is None or self.view.article.id != article.id:
            self.view.show_article(article, list(spans.values()))
        else:
            self.view.set_spans(list(spans.values()))
        if conflict.layer == LINK_LAYER:
            self.show_link_conflict(conflict, article, spans)
            return
        if conflict.layer == STANCE_LAYER:
            self.show_stance_conflict(conflict, article)
            return
        self.view.set_linked([])
        involved = [spans[i] for i in conflict.span_ids if i in spans]
        self.sides = sorted({s.annotator for s in involved})
        lines = [
            Text(f"conflict {self.position + 1} of {len(self.queue)} — {conflict.layer}", style="bold"),
            Text(self.session.drawing.label(article.title, 34), style="dim"),
            Text(""),
        ]
        for number, name in enumerate(self.sides, 1):
            color = self.style_for(next(s for s in involved if s.annotator == name)).bgcolor
            shade = f" {color.name}" if color is not None else ""
            lines.append(Text.assemble((f" {number} ", "bold reverse"), " ", (name, f"bold{shade}")))
            for span in (s for s in involved if s.annotator == name):
                # The label on its line, the text under it wrapped as it reads (top line first), so a long span
                # never wraps in the wrong line order.
                lines.append(Text.assemble("    ", (span.label, "bold")))
                lines += [
                    Text("    " + line)
                    for line in self.session.drawing.wrapped(f"«{span.text}»", self.CARD_WIDTH - 4, 3)
                ]
        if len(self.sides) == 1:
            lines.append(Text("    (nobody else tagged this)", style="dim"))
        lines += [
            Text(""),
            Text.assemble((" b ", "bold reverse"), " keep both   ", (" x ", "bold reverse"), " keep neither"),
            Text.assemble((" n ", "bold reverse"), " next   ", (" N ", "bold reverse"), " previous"),
        ]
        panel.update(Text("\n").join(lines))
        if involved:
            self.view.move_to(min(s.start for s in involved))

    CARD_WIDTH = 36
    """Cells of text in the conflict card (its width in hamish.tcss, less border and padding)."""

    def show_stance_conflict(self, conflict: Conflict, article) -> None:
        """Annotators gave one target different values: keep one annotator's (1-9) or neither (x)."""
        target = conflict.span_ids[0]
        stances = [s for s in self.session.store.stances(article.id) if s.target == target]
        self.sides = sorted({s.annotator for s in stances})
        shown = (
            target if target == ARTICLE_TARGET else self.session.drawing.label(target, self.CARD_WIDTH - 12)
        )
        lines = [
            Text(f"conflict {self.position + 1} of {len(self.queue)} — stance", style="bold"),
            Text(self.session.drawing.label(article.title, self.CARD_WIDTH), style="dim"),
            Text(""),
            Text.assemble("toward ", (shown, "bold")),
        ]
        for number, name in enumerate(self.sides, 1):
            for stance in (s for s in stances if s.annotator == name):
                lines.append(
                    Text.assemble(
                        (f" {number} ", "bold reverse"),
                        " ",
                        (name, "bold"),
                        "  ",
                        (stance.value, "bold italic"),
                    )
                )
                lines += [
                    Text("    " + line, style="dim")
                    for line in self.session.drawing.wrapped(stance.note, self.CARD_WIDTH - 4, 2)
                ]
        lines += [
            Text(""),
            Text("a stance takes one value: keep one, or neither", style="dim"),
            Text.assemble(
                (" x ", "bold reverse"),
                " neither   ",
                (" n ", "bold reverse"),
                " next   ",
                (" N ", "bold reverse"),
                " previous",
            ),
        ]
        self.query_one("#conflict-panel", Static).update(Text("\n").join(lines))
        self.view.set_linked([])

    def show_link_conflict(self, conflict: Conflict, article, spans: dict) -> None:
        """A link only one annotator made: its ends marked in the article, keep it (1) or not (x)."""
        links = [r for r in self.session.store.relations(article.id) if r.id in conflict.span_ids]
        self.sides = sorted({r.annotator for r in links})
        lines = [
            Text(f"conflict {self.position + 1} of {len(self.queue)} — a link", style="bold"),
            Text(self.session.drawing.label(article.title, 34), style="dim"),
            Text(""),
        ]
        ends = []
        for number, name in enumerate(self.sides, 1):
            lines.append(Text.assemble((f" {number} ", "bold reverse"), " ", (name, "bold")))
            for link in (r for r in links if r.annotator == name):
                source, target = spans.get(link.source), spans.get(link.target)
                if source and target:
                    ends += [(source.start, source.end), (target.start, target.end)]
                    lines.append(
                        Text.assemble(
                            "    ",
                            (link.type, "bold italic"),
                            " «",
                            self.session.drawing.label(source.text, 14),
                            "» → «",
                            self.session.drawing.label(target.text, 14),
                            "»",
                        )
                    )
        lines.append(Text("    (nobody else made this link)", style="dim"))
        lines += [
            Text(""),
            Text.assemble(
                (" x ", "bold reverse"),
                " drop it   ",
                (" n ", "bold reverse"),
                " next   ",
                (" N ", "bold reverse"),
                " previous",
            ),
        ]
        self.query_one("#conflict-panel", Static).update(Text("\n").join(lines))
        self.view.set_linked(ends)
        if ends:
            self.view.move_to(min(a for a, _ in ends))

    def action_step(self, step: int) -> None:
        if self.queue:
            self.position = (self.position + step) % len(self.queue)
            self.show()

    def action_keep(self, number: int) -> None:
        if 1 <= number <= len(self.sides):
            self.decide(self.sides[number - 1])

    def action_keep_all(self, choice: str) -> None:
        self.decide(choice)

    @reports_store_errors
    def decide(self, keep: str) -> None:
        if not self.queue:
            return
        _, conflict = self.queue[self.position]
        try:
            resolve(self.session.store, conflict, keep)
        except ValueError as refused:
            self.notify(f"refused: {refused}", severity="warning", timeout=4)
            return
        self.notify(f"saved ✓ kept {keep}", timeout=2)
        self.refill()
        self.show()
