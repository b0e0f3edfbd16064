"""Folded article texts kept for searching, bounded by the code points they hold, not by how many there are:
the corpus search folds every article it reads, and 100,000 of them must not all stay in memory."""

from __future__ import annotations

import threading
from collections import OrderedDict

from annotations.find.search import Folded, fold
from annotations.store.model import Article


class FoldCache:
    """Article id -> Folded, the first folded dropped first once `limit` code points are held. Shared by the
    app's thread and its search workers, hence the lock."""

    def __init__(self, limit: int = 20_000_000) -> None:
        self.limit = limit
        self._folds: OrderedDict[str, Folded] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._folds)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._folds

    def __getitem__(self, article_id: str) -> Folded:
        return self._folds[article_id]

    def get(self, article_id: str, default: Folded | None = None) -> Folded | None:
        return self._folds.get(article_id, default)

    def of(self, article: Article) -> Folded:
        """The article's fold, made (and kept) on first use."""
        found = self._folds.get(article.id)
        return found if found is not None else self.setdefault(article.id, fold(article.text))

    def setdefault(self, article_id: str, folded: Folded) -> Folded:
        with self._lock:
            if article_id in self._folds:
                return self._folds[article_id]
            self._folds[article_id] = folded
            self._held += len(folded.text)
            while self._held > self.limit and len(self._folds) > 1:
                _, dropped = self._folds.popitem(last=False)
                self._held -= len(dropped.text)
            return folded

    def __setitem__(self, article_id: str, folded: Folded) -> None:
        self.setdefault(article_id, folded)

    @property
    def held(self) -> int:
        """Folded code points held."""
        return self._held
