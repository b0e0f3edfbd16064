"""Corpus statistics: counts per layer and label, progress per article, stance values and bias categories by
source. Plain data; the app and `hamish stats` draw it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlparse

from annotations.store.model import Article
from annotations.store.store import Store


def source_of(article: Article) -> str:
    """The outlet: the URL's host, else a source named in the metadata, else "(unknown)"."""
    if article.url:
        host = urlparse(article.url).netloc
        if host:
            return host.removeprefix("www.")
    for key in ("source", "page_domain", "outlet"):
        value = article.meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "(unknown)"


@dataclass
class ArticleProgress:
    id: str
    title: str
    source: str
    spans: int
    stances: int
    done: bool


@dataclass
class Stats:
    articles: int = 0
    done: int = 0
    labels: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(layer, label) -> spans."""
    progress: list[ArticleProgress] = field(default_factory=list)
    stance_by_source: dict[str, Counter[str]] = field(default_factory=dict)
    bias_by_source: dict[str, Counter[str]] = field(default_factory=dict)
    annotators: Counter[str] = field(default_factory=Counter)


def compute(store: Store, bias_layer: str = "bias") -> Stats:
    stats = Stats()
    done = store.done_ids()
    for article in store.articles():
        spans = store.spans(article.id)
        stances = store.stances(article.id)
        source = source_of(article)
        stats.articles += 1
        stats.done += article.id in done
        stats.progress.append(
            ArticleProgress(article.id, article.title, source, len(spans), len(stances), article.id in done)
        )
        for span in spans:
            stats.labels[(span.layer, span.label)] += 1
            stats.annotators[span.annotator] += 1
            if span.layer == bias_layer:
                stats.bias_by_source.setdefault(source, Counter())[span.label] += 1
        for stance in stances:
            stats.stance_by_source.setdefault(source, Counter())[stance.value] += 1
    return stats
