"""Folded article texts kept for searching, bounded by the code points they hold, not by how many there are:
the corpus search folds every article it reads, and 100,000 of them must not all stay in memory."""

from __future__ import annotations

from annotations.find.search import Folded, fold
from annotations.store.model import Article
from annotations.text.bounded import BoundedCache


def _folded_size(folded: Folded) -> int:
    return len(folded.text)


class FoldCache:
    """Article id -> Folded, the least recently used dropped first once `limit` code points are held (the one
    BoundedCache). Shared by the app's thread and its search workers."""

    def __init__(self, limit: int = 20_000_000) -> None:
        self.limit = limit
        self._folds: BoundedCache[str, Folded] = BoundedCache(limit, _folded_size)

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
        return found if found is not None else self._folds.put(article.id, fold(article.text))

    def setdefault(self, article_id: str, folded: Folded) -> Folded:
        return self._folds.put(article_id, folded)

    def __setitem__(self, article_id: str, folded: Folded) -> None:
        self._folds.put(article_id, folded)

    @property
    def held(self) -> int:
        """Folded code points held."""
        return self._folds.held
