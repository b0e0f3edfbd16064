"""The store: the records (articles, spans, stances), the journaled TinyDB storage, the Store every read and
write goes through, its check, the label schema, and where files live. Builds on text/ only."""

from annotations.store.history import Change, UndoRefused
from annotations.store.links import DuplicateSpan
from annotations.store.model import Article, Problem, Sourced, Span, Stance
from annotations.store.store import Store, StoreBusy, StoreError

__all__ = [
    "Article",
    "Change",
    "DuplicateSpan",
    "Problem",
    "Sourced",
    "Span",
    "Stance",
    "Store",
    "StoreBusy",
    "StoreError",
    "UndoRefused",
]
