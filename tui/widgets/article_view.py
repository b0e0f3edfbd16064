"""The article, right to left: a Line-API scroll view that draws only the visible visual lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.store.model import Article, Span
from annotations.text import navigation as nav
from annotations.text.intervals import Intervals
from annotations.text.layout import Cluster, Layout, Mode
from tui.compat import set_virtual_height_quietly
from tui.keymap import VIEW_KEYS, bindings
from tui.widgets.view_moves import CursorMoves
from tui.widgets.view_styles import CURSOR, HIT, LINK_SOURCE, LINKED, MARKED, NOISE, SELECTION


class ArticleView(CursorMoves, ScrollView, can_focus=True):
    """Shaped, reordered, wrapped, right-aligned article text with a cursor, a selection and highlights."""

    BINDINGS = bindings(VIEW_KEYS)

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Logical offset (a cluster start) of the cursor."""
    anchor: reactive[int | None] = reactive(None, repaint=False)  # type: ignore[assignment]  # over Widget.anchor()
    """Where the selection started; None when nothing is selected."""

    @dataclass
    class CursorMoved(Message):
        """The cursor (or the selection) changed."""

        view: ArticleView
        offset: int
        word: str
        selection: tuple[int, int] | None

    def __init__(self, *, mode: Mode = "app", shaping: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode: Mode = mode
        self.shaping = shaping
        self.article: Article | None = None
        self.text_layout: Layout | None = None
        self.spans: list[Span] = []
        self.span_style: Callable[[Span], Style] = lambda span: Style(bgcolor="dark_cyan")
        self._goal_column: int | None = None
        self._laid_width = 0
        self._line_cache: dict[int, tuple[Style, list[tuple[Cluster, Style]]]] = {}
        self.snap_words = True
        """A selection grows to whole words (clitics are then trimmed with `t`)."""
        self.exact_selection: tuple[int, int] | None = None
        """A selection set exactly (after a trim); cleared when the cursor moves."""
        self.marked_span: str | None = None
        self.linked: list[tuple[int, int]] = []
        self.link_source: tuple[int, int] | None = None
        """The span highlighted in the annotation panel, drawn emphasised."""
        self.suggestions: list = []
        """Open suggestions (annotations.find.suggestions.Suggestion), drawn dimmed until accepted."""
        self._strips: dict[int, tuple] = {}
        """Line index -> (what it was drawn from, its styled clusters, the strip)."""
        self.hits: list = []
        """Search hits (annotations.find.search.Match)."""
        self._index_ranges()
        self._hits_at: Intervals = Intervals([], lambda h: (h.start, h.end))

    # -- content ---------------------------------------------------------------------------------------------
    STRIPS_KEPT = 2000
    """Drawn lines (and their styled clusters) kept for repaints: a few screens' worth, however long the
    article."""

    def show_article(self, article: Article | None, spans: list[Span] | None = None, cursor: int = 0) -> None:
        self._strips.clear()
        self.article = article
        self.spans = list(spans or [])
        self.suggestions = []  # the open article's come a frame later; another article's never show here
        self._index_ranges()
        self.anchor = None
        self._laid_width = 0
        self._relayout()
        self.scroll_to(0, 0, animate=False)
        self.move_to(cursor)

    def set_spans(self, spans: list[Span]) -> None:
        changed = set(self.spans) ^ set(spans)
        self.spans = list(spans)
        self._index_ranges(refresh=[(s.start, s.end) for s in changed])

    def set_suggestions(self, suggestions: list) -> None:
        changed = {s.span for s in self.suggestions} ^ {s.span for s in suggestions}
        self.suggestions = list(suggestions)
        self._index_ranges(refresh=[(s.start, s.end) for s in changed])

    def _refresh_ranges(self, ranges: list[tuple[int, int]]) -> None:
        """Restyle and repaint only the lines these logical ranges touch (a tag repaints its own line, not the
        screen)."""
        layout = self.text_layout
        if layout is None:
            return
        wrapped_to = layout.wrapped_to
        for start, end in ranges:
            if start >= wrapped_to:
                continue  # not wrapped yet, so never drawn: nothing to repaint (and no reason to wrap it now)
            first, last = layout.line_index(start), layout.line_index(max(start, end - 1))
            if last - first < len(self._line_cache):
                for index in range(first, last + 1):
                    self._line_cache.pop(index, None)
            else:
                for index in [i for i in self._line_cache if first <= i <= last]:
                    del self._line_cache[index]
            self._repaint_lines(first, last)

    def _repaint_lines(self, first: int, last: int) -> None:
        """Repaint the visual lines first..last that are on screen. Textual keeps a mark per line it is asked
        to repaint, on screen or not, until it draws it: suggestions or a selection far down would add one
        for each of their lines (on a 10 MB article, 14 MB of them)."""
        top = self.scroll_offset.y
        first, last = max(first, top), min(last, top + self.size.height - 1)
        if first <= last:
            self.refresh(Region(0, first - top, self.size.width, last - first + 1))

    def _index_ranges(self, refresh: list[tuple[int, int]] | None = None) -> None:
        """Spans, suggestions and noise by position, so drawing a line looks only at what touches it. With
        `refresh`, only the lines of those ranges are drawn again; else all."""
        if refresh is None:
            self._line_cache.clear()
        else:
            self._refresh_ranges(refresh)
        self._spans_at = Intervals(self.spans, lambda s: (s.start, s.end))
        self._proposed_at = Intervals([s.span for s in self.suggestions], lambda s: (s.start, s.end))
        self._noise_at = Intervals(self.article.noise if self.article else (), lambda r: r)

    def set_linked(self, ranges: list[tuple[int, int]]) -> None:
        """The annotations linked to the one under the cursor, drawn marked."""
        if ranges != self.linked:
            changed = set(self.linked) ^ set(ranges)
            self.linked = list(ranges)
            for start, end in changed:
                self._refresh_between(start, max(start, end - 1))

    def set_link_source(self, span: tuple[int, int] | None) -> None:
        """The annotation a link is being made from."""
        self.link_source = span
        self.refresh()

    def set_hits(self, hits: list) -> None:
        self.hits = list(hits)
        self._hits_at = Intervals(self.hits, lambda h: (h.start, h.end))
        self.refresh()

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width, 10)

    def _relayout(self) -> None:
        self._line_cache.clear()
        width = self._text_width()
        if self.article is None:
            self.text_layout = None
            self.virtual_size = Size(width, 0)
        elif (
            width != self._laid_width
            or self.text_layout is None
            or self.text_layout.text is not self.article.text
        ):
            self.text_layout = Layout(self.article.text, width, mode=self.mode, shaping=self.shaping)
            self._wrap_rest()
        self._laid_width = width
        self.refresh()

    WRAP_SLICE = 30_000
    """Code points wrapped between two frames while the rest of a long article is still unwrapped (~3.5 ms: a
    key pressed meanwhile waits at most that)."""

    def _wrap_rest(self) -> None:
        """Wrap a slice more of the article, then let keys and frames through: a 10 MB article is on screen at
        once and its scrollbar grows true while it is read (its lines are laid out only when shown)."""
        layout = self.text_layout
        if layout is None:
            return
        complete = layout.find_breaks(budget=self.WRAP_SLICE)
        self._set_virtual_size(Size(layout.width, layout.estimated_lines()))
        if not complete:
            self.set_timer(0.001, lambda: self._wrap_rest() if self.text_layout is layout else None)

    def _set_virtual_size(self, size: Size) -> None:
        set_virtual_height_quietly(self, size)  # the scrollbar told, the screen not re-laid out

    def on_resize(self) -> None:
        self._check_width()

    def _check_width(self) -> None:
        if self.article is not None and self._text_width() != self._laid_width:
            self._relayout()
            self._scroll_cursor_visible()

    # -- drawing ---------------------------------------------------------------------------------------------
    def _styled_line(self, index: int, base: Style) -> list[tuple[Cluster, Style]]:
        """A line's clusters with their noise and annotation styles, cached until spans or layout change."""
        cached = self._line_cache.get(index)
        if cached is not None and cached[0] == base:
            return cached[1]
        assert self.text_layout is not None  # lines are asked only of a view that shows an article
        line = self.text_layout.lines[index]
        noise = self._noise_at.overlapping(line.start, line.end)
        spans = self._spans_at.overlapping(line.start, line.end)
        proposed = self._proposed_at.overlapping(line.start, line.end)
        styled = []
        for cluster in line.clusters:
            style = base
            if any(a <= cluster.start < b for a, b in noise):
                style += NOISE
            for span in proposed:
                if span.start < cluster.end and cluster.start < span.end:
                    style += Style(
                        dim=True,
                        italic=True,
                        underline=True,
                        color=self.span_style(span).bgcolor or self.span_style(span).color,
                    )
            for span in spans:
                if span.start < cluster.end and cluster.start < span.end:
                    style += self.span_style(span)
            styled.append((cluster, style))
        if len(self._line_cache) > self.STRIPS_KEPT:
            self._line_cache.clear()
        self._line_cache[index] = (base, styled)
        return styled

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if self.article is not None and self._text_width() != self._laid_width:
            self.call_after_refresh(self._check_width)  # a scrollbar came or went: lay out again
        layout = self.text_layout
        index = scroll_y + y
        base = self.rich_style
        if layout is None or not layout.has_line(index):
            return Strip.blank(width, base)
        selection = self.selection
        cursor = self.cursor
        cursor_style = CURSOR if self.has_focus else Style(underline=True)
        marked = next((s for s in self.spans if s.id == self.marked_span), None) if self.marked_span else None
        line = layout.lines[index]
        hits = self._hits_at.overlapping(line.start, line.end) if self.hits else []
        styled = self._styled_line(index, base)
        linked, source = self.linked, self.link_source
        # A line drawn before with the same inputs is the same strip: a full repaint (a dialog closing, the
        # focus moving, the search line opening) costs a lookup per line, not a redraw.
        here = line.start <= cursor < line.end
        key = (
            scroll_x,
            width,
            base,
            cursor if here else -1,
            here and self.has_focus,
            selection,
            marked,
            tuple(hits),
            tuple(linked) if linked else (),
            source,
        )
        cached = self._strips.get(index)
        if cached is not None and cached[1] is styled and cached[0] == key:
            return cached[2]
        segments: list[Segment] = []
        run: list[str] = []  # glyphs of one style: a plain line is one segment, not one per cluster
        run_style: Style | None = None
        x = 0
        for cluster, style in styled:
            start, end = cluster.start, cluster.end
            if marked and marked.start < end and start < marked.end:
                style += MARKED
            if hits and any(h.start < end and start < h.end for h in hits):
                style += HIT
            if linked and any(a < end and start < b for a, b in linked):
                style += LINKED
            if source and source[0] < end and start < source[1]:
                style += LINK_SOURCE
            if selection and selection[0] < end and start < selection[1]:
                style += SELECTION
            if start <= cursor < end:
                style += cursor_style
            gap = cluster.x - x
            if gap > 0 or style != run_style:
                if run:
                    segments.append(Segment("".join(run), run_style))
                    run = []
                if gap > 0:
                    segments.append(Segment(" " * gap, base))
                run_style = style
            run.append(cluster.glyph)
            x = cluster.x + cluster.width
        if run:
            segments.append(Segment("".join(run), run_style))
        strip = Strip(segments).extend_cell_length(width, base).crop(scroll_x, scroll_x + width)
        if len(self._strips) > self.STRIPS_KEPT:
            self._strips.clear()
        self._strips[index] = (key, styled, strip)
        return strip

    # -- cursor ----------------------------------------------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected logical range [start, end): whole clusters, grown to whole words; or None."""
        if self.exact_selection is not None:
            return self.exact_selection
        if self.anchor is None or self.text_layout is None or not self.article or not self.article.text:
            return None
        low, high = sorted((self.anchor, self.cursor))
        low, high = low, self.text_layout.cluster_bounds(high)[1]
        if self.snap_words:
            snapped = nav.snap_to_words(self.article.text, low, high)
            if snapped[0] < snapped[1]:
                return snapped
        return low, high

    def select(self, start: int, end: int) -> None:
        """Select exactly [start, end) (a trimmed selection): kept until the cursor moves."""
        self.anchor = start
        self.exact_selection = (start, end)
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor, self.word_under_cursor(), self.selection))

    def start_selection(self) -> None:
        """A selection anchored at the cursor (its word, snapped): only the cursor's line is repainted."""
        self.anchor = self.cursor
        low, high = self.selection or (self.cursor, self.cursor + 1)
        self._refresh_between(low, max(low, high - 1))

    def clear_selection(self) -> None:
        """Drop the selection, repainting only its lines (after a tag: the tagged line, not the screen)."""
        selected = self.selection
        self.anchor = None
        self.exact_selection = None
        if selected:
            self._refresh_between(selected[0], max(selected[0], selected[1] - 1))
        else:
            self._refresh_between(self.cursor, self.cursor)
        self.post_message(self.CursorMoved(self, self.cursor, self.word_under_cursor(), None))

    def mark_span(self, span_id: str | None) -> None:
        if span_id != self.marked_span:
            before = next((s for s in self.spans if s.id == self.marked_span), None)
            after = next((s for s in self.spans if s.id == span_id), None)
            self.marked_span = span_id
            for span in (before, after):  # only the lines of the span unmarked and the one marked
                if span is not None:
                    self._refresh_between(span.start, max(span.start, span.end - 1))

    def word_under_cursor(self) -> str:
        if not self.article:
            return ""
        bounds = nav.word_bounds(self.article.text, self.cursor)
        return self.article.text[bounds[0] : bounds[1]] if bounds else ""

    def move_to(self, offset: int, keep_column: bool = False) -> None:
        layout = self.text_layout
        if layout is None or not layout.text:
            return
        old = self.cursor
        if self.exact_selection is not None:
            self.exact_selection = None
            self.refresh()
        self.cursor = nav.snap(layout, offset)
        if not keep_column:
            self._goal_column = None
        self._refresh_between(old, self.cursor)
        self._scroll_cursor_visible()
        self.post_message(self.CursorMoved(self, self.cursor, self.word_under_cursor(), self.selection))

    def _refresh_between(self, a: int, b: int) -> None:
        """Repaint only the lines from the old to the new cursor (all of them while selecting)."""
        layout = self.text_layout
        if layout is None:
            return
        first, last = sorted((layout.line_index(a), layout.line_index(b)))
        if self.anchor is not None:
            first = min(first, layout.line_index(self.anchor))
        self._repaint_lines(first, last)

    def _scroll_cursor_visible(self) -> None:
        if self.text_layout is None or not self.text_layout.lines:
            return
        index, x = self.text_layout.locate(self.cursor)
        self.scroll_to_region(Region(x, index, 1, 1), animate=False, immediate=True)

    def watch_has_focus(self, _focus: bool) -> None:
        self._refresh_between(self.cursor, self.cursor)
