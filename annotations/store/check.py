"""`hamish check`: is every stored annotation still true to its article?"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from annotations.store.model import text_hash
from annotations.store.schema import Schema
from annotations.store.store import Store


@dataclass
class CheckReport:
    articles: int = 0
    spans: int = 0
    stances: int = 0
    relations: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def noise_problems(noise: list[Any], length: int) -> list[str]:
    """The article's noise ranges as `export --skip-noise` cuts them: pairs of whole numbers inside the text,
    in order, none overlapping."""
    problems, end_before = [], 0
    for index, entry in enumerate(noise):
        if (
            not isinstance(entry, list | tuple)
            or len(entry) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in entry)
        ):
            problems.append(f"noise range {index} is {entry!r:.40}, not [start, end] in whole numbers")
            continue
        start, end = entry
        if not 0 <= start < end <= length:
            problems.append(
                f"noise range {index} ({start}:{end}) is outside the text (length {length}) "
                f"or ends before it starts"
            )
        elif start < end_before:
            problems.append(f"noise range {index} ({start}:{end}) overlaps the range before it")
        else:
            end_before = end
    return problems


def check_store(store: Store, schema: Schema | None = None) -> CheckReport:
    """Offsets inside the text and matching the stored text, no duplicates, no dangling article ids, every
    link's ends stored and (with a schema) its type allowed between them."""
    report = CheckReport()
    listed = store.articles()
    articles = {a.id: a for a in listed}
    report.articles = len(articles)
    ids = Counter(a.id for a in listed)
    for article_id, count in ids.items():
        if count > 1:
            report.problems.append(f"article {article_id}: stored {count} times")
    for article in articles.values():
        if article.text_hash != text_hash(article.text):
            report.problems.append(f"article {article.id}: text hash does not match its text")
    for doc in store.storage.read().get("articles", {}).values():  # as stored: from_record drops bad ranges
        noise = doc.get("noise") or []
        problems = (
            noise_problems(noise, len(doc["text"]))
            if isinstance(noise, list)
            else [f"noise is {type(noise).__name__}, not a list of ranges"]
        )
        report.problems.extend(f"article {doc['id']}: {problem}" for problem in problems)
    for name in sorted(store.storage.read()):
        kind, _, article_id = name.partition("/")
        if (
            kind in ("spans", "stances", "relations", "history", "suggestions", "conflicts")
            and article_id not in articles
        ):
            rows = len(store.storage.read()[name])
            report.problems.append(f"{name}: {rows} record(s) for an article that is not in the store")
    known = schema.span_labels if schema is not None else frozenset()
    for article in articles.values():
        seen: Counter[tuple[int, int, str, str, str]] = Counter()
        article_hash = article.text_hash  # hashed once per article, not once per span
        stored = store.spans(article.id)  # read once: checked here, and the ends of links below
        for span in stored:
            report.spans += 1
            where = (
                f"article {article.id}, span {span.id} ({span.layer}/{span.label} {span.start}:{span.end})"
            )
            if not 0 <= span.start < span.end <= len(article.text):
                report.problems.append(f"{where}: offsets outside the text (length {len(article.text)})")
                continue
            if article.text[span.start : span.end] != span.text:
                report.problems.append(
                    f"{where}: text at these offsets is «{article.text[span.start : span.end]}», "
                    f"stored «{span.text}»"
                )
            if span.text_hash and span.text_hash != article_hash:
                report.problems.append(f"{where}: made against another version of the article text")
            if schema is not None and (span.layer, span.label) not in known:
                report.problems.append(
                    f"{where}: the schema has no label '{span.label}' in a layer '{span.layer}' (renamed? "
                    f"map it with import --label-map, or add it to the schema)"
                )
            seen[(span.start, span.end, span.layer, span.label, span.annotator)] += 1
        for key, count in seen.items():
            if count > 1:
                report.problems.append(
                    f"article {article.id}: {count} identical spans {key[2]}/{key[3]} {key[0]}:{key[1]}"
                )
        report.stances += len(store.stances(article.id))
        spans = {s.id: s for s in stored}
        for relation in store.relations(article.id):
            report.relations += 1
            where = f"article {article.id}, link {relation.id} ({relation.type})"
            missing = [end for end in (relation.source, relation.target) if end not in spans]
            if missing:
                report.problems.append(f"{where}: its end {missing[0]} is no stored annotation")
                continue
            if schema is None:
                continue
            allowed = schema.relation(relation.type)
            source, target = spans[relation.source], spans[relation.target]
            if allowed is None:
                report.problems.append(f"{where}: the schema has no relation type '{relation.type}'")
            elif not allowed.allows((source.layer, source.label), (target.layer, target.label)):
                report.problems.append(
                    f"{where}: {source.layer}:{source.label} to {target.layer}:{target.label} "
                    f"breaks the rule {allowed.rule}"
                )
    return report
