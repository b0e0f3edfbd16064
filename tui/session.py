"""What the app knows about this sitting, one owner per fact: the store and its schema, the article index and
the open article, the active layer, the label use counts and the gazetteer (kept with the store revision
they were counted at), and the folded texts. Imports no
Textual: screens and widgets show these facts and change them through here, and it is unit-tested without an
app (tests/test_session.py)."""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from annotations.find.fold_cache import FoldCache
from annotations.find.suggestions import Suggestion, gazetteer, suggestions
from annotations.learn.recommender import Recommender
from annotations.store.model import Article, ArticleIndex, Span
from annotations.store.schema import Layer, Schema
from annotations.store.store import Store
from tui.labels import Drawing

T = TypeVar("T")

MESSAGES_KEPT = 500
"""How many messages the log (`m`) keeps, the oldest dropped first."""


@dataclass(frozen=True)
class Said:
    """One message of this sitting: the status line's or a notification's."""

    at: str
    """Local time, HH:MM:SS."""
    text: str
    severity: str = "information"
    """As Textual's notify has it: information, warning or error."""


@dataclass
class Kept(Generic[T]):
    """What was computed over the whole store, and the store revision it is true of (Store.revision)."""

    revision: int
    value: T


class Session:
    def __init__(
        self,
        store: Store,
        schema: Schema,
        project: Path | None = None,
        drawing: Drawing | None = None,
    ) -> None:
        self.store = store
        """Every read and write of annotations (annotations.store.store.Store)."""
        self.schema = schema
        """The label schema: layers, labels, keys, relations, the stance layer."""
        self.project = project
        """The project folder the store belongs to, if any (statistics then show every annotator)."""
        self.drawing = drawing or Drawing()
        """How text is drawn: reordered here or by a bidi terminal, shaped or not (tui.labels.Drawing). Every
        widget and dialog that draws a label is given this one value."""
        self.articles: ArticleIndex = store.article_index()
        """The store's articles, in order (made one by one as they are used)."""
        self.current = 0
        """Index of the open article in `articles`."""
        self.layer_index = 0
        """Index of the active span layer in the schema: what 1-9 tag with."""
        self.folded = FoldCache()
        """Folded article texts for search, by article id (made on first use, bounded by size)."""
        self.recommenders: dict[str, Recommender] = {}
        """The learned model of each span layer (empty when the recommender is off): the app trains them, the
        main screen asks them for suggestions, the statistics show them."""
        self.training: set[str] = set()
        """The span layers whose model is training now (tui.training)."""
        self.said: deque[Said] = deque(maxlen=MESSAGES_KEPT)
        """Everything said this sitting, oldest first: what `m` shows whole, however the status line cut it."""
        self._gazetteer: Kept[dict[str, str]] | None = None
        self._label_uses: Kept[Counter[tuple[str, str]]] | None = None

    # -- the open article --------------------------------------------------------------------------------------
    @property
    def article(self) -> Article | None:
        return self.articles[self.current] if self.articles else None

    def open(self, index: int) -> Article | None:
        """Make the article at `index` (wrapping around) the open one."""
        if self.articles:
            self.current = index % len(self.articles)
        return self.article

    def reload_articles(self) -> bool:
        """Read the article index again (another process imported some); the open article stays open, found by
        id wherever new articles put it. True when it is still there."""
        current = self.article.id if self.article else None
        self.articles = self.store.article_index()
        ids = self.articles.ids
        if current in ids:
            self.current = ids.index(current)
            return True
        self.current = 0
        return False

    def suggestions(self, article_id: str) -> list[Suggestion]:
        """The article's open suggestions whose label the schema has: a model trained before a label was
        renamed or removed may have proposed one it lacks, which is never shown, so never accepted."""
        known = self.schema.span_labels
        return [s for s in suggestions(self.store, article_id) if (s.span.layer, s.span.label) in known]

    def log(self, text: str, severity: str = "information") -> None:
        """A message joins the log (the same message said again at once is kept once; clearing the status
        line, an empty message, is no message)."""
        if not text.strip() or (self.said and self.said[-1].text == text):
            return
        self.said.append(Said(time.strftime("%H:%M:%S"), text, severity))

    # -- layers and labels ---------------------------------------------------------------------------------------
    @property
    def active_layer(self) -> Layer:
        layers = self.schema.span_layers
        return layers[self.layer_index % len(layers)]

    def cycle_layer(self) -> Layer:
        self.layer_index = (self.layer_index + 1) % len(self.schema.span_layers)
        return self.active_layer

    def label_uses(self, layer: str) -> dict[str, int]:
        """How often each label of a layer is used in the store (counted at this store revision)."""
        uses = self._current(self._label_uses)
        if uses is None:
            uses = Counter((str(r.get("layer")), str(r.get("label"))) for r in self.store.span_records())
            self._label_uses = Kept(self.store.revision, uses)
        return {label: n for (name, label), n in uses.items() if name == layer}

    # -- what depends on every span ----------------------------------------------------------------------------------
    def gazetteer(self) -> dict[str, str]:
        """The user's entities (text -> label) at this store revision."""
        entries = self._current(self._gazetteer)
        if entries is None:
            entries = gazetteer(self.store, self.schema)
            self._gazetteer = Kept(self.store.revision, entries)
        return entries

    def spans_added(self, spans: Sequence[Span], since: int) -> None:
        """`spans` were saved by one write that began at store revision `since`. When nothing else changed the
        store in between (no save of another process was read), what is counted over every span takes them in
        here instead of being counted again; otherwise it is made again when next asked for."""
        now = self.store.revision
        if now != since + 1:
            return
        entity_layer = self.schema.span_layers[0].name
        if self._gazetteer is not None and self._gazetteer.revision == since:
            self._gazetteer.value.update({s.text.strip(): s.label for s in spans if s.layer == entity_layer})
            self._gazetteer.revision = now
        if self._label_uses is not None and self._label_uses.revision == since:
            self._label_uses.value.update((s.layer, s.label) for s in spans)
            self._label_uses.revision = now

    def _current(self, kept: Kept[T] | None) -> T | None:
        return kept.value if kept is not None and kept.revision == self.store.revision else None
