"""The records hamish keeps. Offsets are logical Unicode code points into `Article.text`, end exclusive."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Self, overload


@lru_cache(maxsize=64)
def text_hash(text: str) -> str:
    """A short, stable fingerprint of an article's text, stored with each annotation. Cached: every tag and
    every checked span asks it of the same text (a str caches its own hash, so a hit costs nothing even for a
    10 MB article)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _is_range(entry: Any) -> bool:
    """A stored noise range hamish can use: two whole numbers (`hamish check` reports any other)."""
    return (
        isinstance(entry, list | tuple)
        and len(entry) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in entry)
    )


@dataclass(frozen=True)
class Article:
    """One article: `text` is exactly what every offset indexes (BOM stripped, newlines made LF, nothing else)."""

    id: str
    title: str
    text: str
    url: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    noise: tuple[tuple[int, int], ...] = ()
    """Logical ranges of scrape noise (comment boxes, "back to top", ...): kept in the text, dimmed in the view."""

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)

    def to_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["noise"] = [list(r) for r in self.noise]
        record["text_hash"] = self.text_hash
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Article:
        return cls(
            id=record["id"],
            title=record.get("title", ""),
            text=record["text"],
            url=record.get("url", ""),
            meta=dict(record.get("meta") or {}),
            noise=tuple((r[0], r[1]) for r in record.get("noise") or () if _is_range(r)),
        )

    def is_noise(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.noise)


class Record:
    """Plain dict records for the store and files; unknown keys in a record are ignored. (Mixed into
    dataclasses only: asdict and the fields need one.)"""

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = asdict(self)  # type: ignore[call-overload]  # every Record is a dataclass
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Self:
        names = cls.__dataclass_fields__  # type: ignore[attr-defined]  # every Record is a dataclass
        if names.keys() >= record.keys():  # the usual case, checked at C speed: no filtering copy
            return cls(**record)
        return cls(**{k: v for k, v in record.items() if k in names})


@dataclass(frozen=True)
class Span(Record):
    """A tagged range of an article's text in one layer (entity, bias, ...)."""

    id: str
    article_id: str
    start: int
    end: int
    layer: str
    label: str
    text: str
    note: str = ""
    annotator: str = ""
    created: str = ""
    updated: str = ""
    text_hash: str = ""
    """Hash of the article text the offsets were made against: a changed article is detected, not silently shifted."""

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    @classmethod
    def cut(
        cls,
        article: Article,
        start: int,
        end: int,
        layer: str,
        label: str,
        *,
        annotator: str,
        created: str,
        note: str = "",
        span_id: str | None = None,
    ) -> Span:
        """A span of `article` from start to end (its text and the article's hash taken from it), made now."""
        return cls(
            id=span_id or cls.new_id(),
            article_id=article.id,
            start=start,
            end=end,
            layer=layer,
            label=label,
            text=article.text[start:end],
            note=note,
            annotator=annotator,
            created=created,
            updated=created,
            text_hash=article.text_hash,
        )

    @property
    def key(self) -> tuple[str, int, int, str, str]:
        """What makes two spans the same annotation (an exact duplicate is refused)."""
        return (self.article_id, self.start, self.end, self.layer, self.label)


@dataclass(frozen=True)
class Stance(Record):
    """The article's stance toward one target; the target "(article)" is the article's overall stance."""

    article_id: str
    target: str
    value: str
    note: str = ""
    annotator: str = ""
    updated: str = ""
    span_id: str = ""
    """The tagged span the target was picked from, if it was (the target is then that span's text)."""


@dataclass(frozen=True)
class Relation(Record):
    """A typed link from one span to another of the same article (for a symmetric type the order is
    only how it was made)."""

    id: str
    article_id: str
    type: str
    source: str
    """The span the link starts from (its id)."""
    target: str
    annotator: str = ""
    created: str = ""

    @property
    def ends(self) -> frozenset[str]:
        return frozenset((self.source, self.target))


ARTICLE_TARGET = "(article)"


@dataclass(frozen=True)
class Problem:
    """One bad input: printed as a single line `file:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        path = shown(self.path)
        message = one_line(self.message)
        return f"{path}:{self.line}: {message}" if self.line else f"{path}: {message}"


@dataclass(frozen=True)
class Sourced:
    """An article with the file and line it came from, so later checks can name them too."""

    article: Article
    path: str
    line: int

    def problem(self, message: str) -> Problem:
        return Problem(self.path, self.line, message)


_LINE_BREAKS = str.maketrans({c: repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def one_line(message: str) -> str:
    """A message with every character that would break its line (a CR or LF quoted from a file, U+2028, ...)
    written as its escape, so that one problem is always one line."""
    return message.translate(_LINE_BREAKS)


def shown(path: str) -> str:
    """A file name as printed: quoted when it holds a newline or another control character."""
    return json.dumps(path, ensure_ascii=False) if any(ord(c) < 32 or c == "\x7f" for c in path) else path


class ArticleIndex(Sequence["Article"]):
    """The store's articles as a sequence that makes an `Article` only when one is asked for (the app opens a
    100,000-article corpus without building 100,000 objects); ids and titles come straight from the records."""

    CACHED = 512

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self._records = records
        self._made: dict[int, Article] = {}
        self.ids: list[str] = [r["id"] for r in records]
        self.titles: list[str] = [r.get("title") or "" for r in records]

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> Article: ...

    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...

    def __getitem__(self, index: int | slice) -> Article | list[Article]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        article = self._made.get(index)
        if article is None:
            if len(self._made) >= self.CACHED:
                self._made.clear()
            article = self._made[index] = Article.from_record(self._records[index])
        return article
