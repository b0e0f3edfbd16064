"""`hamish check`: is every stored annotation still true to its article?"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotations.store.model import text_hash
from annotations.store.store import Store


@dataclass
class CheckReport:
    articles: int = 0
    spans: int = 0
    stances: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(store: Store) -> CheckReport:
    """Offsets inside the text and matching the stored text, no duplicates, no dangling article ids."""
    report = CheckReport()
    articles = {a.id: a for a in store.articles()}
    report.articles = len(articles)
    ids = Counter(a.id for a in store.articles())
    for article_id, count in ids.items():
        if count > 1:
            report.problems.append(f"article {article_id}: stored {count} times")
    for article in articles.values():
        if article.text_hash != text_hash(article.text):
            report.problems.append(f"article {article.id}: text hash does not match its text")
    for name in sorted(store.storage.read()):
        kind, _, article_id = name.partition("/")
        if kind in ("spans", "stances", "history", "suggestions", "conflicts") and article_id not in articles:
            rows = len(store.storage.read()[name])
            report.problems.append(f"{name}: {rows} record(s) for an article that is not in the store")
    for article in articles.values():
        seen: Counter = Counter()
        article_hash = article.text_hash  # hashed once per article, not once per span
        for span in store.spans(article.id):
            report.spans += 1
            where = f"article {article.id}, span {span.id} ({span.layer}/{span.label} {span.start}:{span.end})"
            if not 0 <= span.start < span.end <= len(article.text):
                report.problems.append(f"{where}: offsets outside the text (length {len(article.text)})")
                continue
            if article.text[span.start:span.end] != span.text:
                report.problems.append(f"{where}: text at these offsets is «{article.text[span.start:span.end]}», "
                                       f"stored «{span.text}»")
            if span.text_hash and span.text_hash != article_hash:
                report.problems.append(f"{where}: made against another version of the article text")
            seen[(span.start, span.end, span.layer, span.label, span.annotator)] += 1
        for key, count in seen.items():
            if count > 1:
                report.problems.append(f"article {article.id}: {count} identical spans {key[2]}/{key[3]} "
                                       f"{key[0]}:{key[1]}")
        report.stances += len(store.stances(article.id))
    return report
