"""What the recommender learns from and how it is scored: an article's spans as BIO-tagged sentences (the
tokenizer of the CoNLL export), tags back to spans, entity-level scores (exact span and label, as seqeval
counts them), and the folds that split articles by document, never between the sentences of one story."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotations.store.model import Article, Span
from annotations.text.tokenize import Token, is_invisible, sentences, tokenize

FOLDS = 5


@dataclass
class Scores:
    true_positives: int = 0
    predicted: int = 0
    reference: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Scores) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.reference += other.reference


def span_scores(reference: set[tuple[Any, ...]], predicted: set[tuple[Any, ...]]) -> Scores:
    """Entity-level, exact: a predicted (article, start, end, label) counts only when the reference has it."""
    return Scores(len(reference & predicted), len(predicted), len(reference))


@dataclass
class Example:
    article: Article
    spans: list[Span]
    only: list[tuple[int, int]] | None = None
    """Train only on the sentences that hold these ranges (rejected suggestions in an article not done)."""


def chosen_spans(spans: list[Span]) -> list[Span]:
    """Longest first, no overlaps (what one BIO sequence can hold)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return kept


def tagged_sentences(example: Example, label: str | None = None) -> list[tuple[list[Token], list[str]]]:
    spans = chosen_spans([s for s in example.spans if label is None or s.label == label])
    text = example.article.text
    tokens = [t for t in tokenize(text, [b for s in spans for b in (s.start, s.end)]) if not is_invisible(t)]
    out = []
    for sentence in sentences(text, tokens, [(s.start, s.end) for s in spans]):
        if example.only is not None and not any(
            a < sentence[-1].end and sentence[0].start < b for a, b in example.only
        ):
            continue
        tags, previous = [], None
        for token in sentence:
            span = next((s for s in spans if s.start < token.end and token.start < s.end), None)
            tags.append("O" if span is None else ("I-" if span is previous else "B-") + span.label)
            previous = span
        out.append((sentence, tags))
    return out


def spans_from_tags(
    tokens: list[Token], tags: list[str], scores: list[float] | None = None
) -> list[tuple[int, int, str, float]]:
    """(start, end, label, mean marginal) of each B-/I- run."""
    found: list[list[Any]] = []
    for index, (token, tag) in enumerate(zip(tokens, tags, strict=True)):
        prefix, _, label = tag.partition("-")
        score = scores[index] if scores else 1.0
        if prefix == "B" or (
            prefix == "I" and (not found or found[-1][2] != label or found[-1][4] != index - 1)
        ):
            found.append([token.start, token.end, label, [score], index])
        elif prefix == "I":
            found[-1][1] = token.end
            found[-1][3].append(score)
            found[-1][4] = index
    return [(a, b, label, sum(s) / len(s)) for a, b, label, s, _ in found]


def document_key(article: Article) -> str | None:
    """The document an article is part of, where the store says: its page (ArMPro's `page_id`), else its
    url; None for an article that says nothing of its document (a CoNLL sentence)."""
    page = article.meta.get("page_id")
    if isinstance(page, str | int) and not isinstance(page, bool) and str(page):
        return f"page:{page}"
    return f"url:{article.url}" if article.url else None


def document_folds(articles: Sequence[Article], folds: int = FOLDS) -> list[int]:
    """A fold for each article (in the store's order, which is the order they were imported in): contiguous
    blocks of that order, and every article of one document in the fold of its first. So a held-out fold
    never shares a story with the folds trained on: neighbouring sentences of one article or paragraphs of
    one page (which an interleaved split puts on both sides, so its score is optimistic) fall on one side."""
    count = len(articles)
    first: dict[str, int] = {}
    out = []
    for position, article in enumerate(articles):
        block = position * folds // max(count, 1)
        key = document_key(article)
        out.append(first.setdefault(key, block) if key is not None else block)
    return out
