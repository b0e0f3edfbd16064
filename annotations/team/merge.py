"""Merge several annotators' work into one store, and adjudicate what they disagree on.

Spans that two or more annotators made identically (offsets, layer, label) are kept once, their annotators
joined ("mona+sami"). The rest, in an article more than one annotator worked on, are conflicts: spans of
different annotators that overlap in a layer form one conflict; a span nobody else has is a conflict of its own.
Stances of different values toward one target are a conflict too (one annotator's value, or neither: a
stance takes one value). Conflicts live in `conflicts/<article>`; resolving one (keep one annotator's side,
both, or neither) is an ordinary undoable change.

Merging again with `update=True` adds only new work to a merged store: every input record merged is listed
in its `merged` table, so what adjudication dropped never comes back and no decision is made twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tinydb import where

from annotations.store.history import Change, now
from annotations.store.model import Article, Relation, Span, Stance
from annotations.store.store import Store


@dataclass
class MergeReport:
    articles: int = 0
    spans_in: int = 0
    agreed: int = 0
    conflicts: int = 0
    stance_conflicts: int = 0
    links_agreed: int = 0
    link_conflicts: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Conflict:
    id: str
    article_id: str
    layer: str
    span_ids: tuple[str, ...]
    resolved: str = ""
    """"" while open; then the annotator kept, "both" or "neither"."""

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "layer": self.layer,
            "span_ids": list(self.span_ids),
            "resolved": self.resolved,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Conflict:
        return cls(
            record["id"],
            record["article_id"],
            record["layer"],
            tuple(record["span_ids"]),
            record.get("resolved", ""),
        )


def _groups(spans: list[Span]) -> list[list[Span]]:
    """Connected groups of spans that overlap within a layer."""
    groups: list[list[Span]] = []
    for span in sorted(spans, key=lambda s: (s.layer, s.start, s.end)):
        joined = [
            g
            for g in groups
            if any(o.layer == span.layer and o.start < span.end and span.start < o.end for o in g)
        ]
        merged = [span] + [s for g in joined for s in g]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def merge_stores(
    sources: list[Store], out: Store, symmetric: dict[str, bool] | None = None, update: bool = False
) -> MergeReport:
    """Merge; `symmetric` says which link types go either way (from the schema), so that two annotators'
    same_as links between the same spans count as one, whichever end each started from. `update`: `out` is
    a merged store (perhaps adjudicated already); add only the work that is new since."""
    report = MergeReport()
    existing = {a.id: a for a in out.articles()}
    if existing and not update:
        raise ValueError(
            f"{out.path}: the output store is not empty; merge into a new file, or add new work "
            f"to this merged store with --update"
        )
    articles: dict[str, Article] = {}
    for store in sources:
        for article in store.articles():
            known = articles.get(article.id) or existing.get(article.id)
            if known is None:
                articles[article.id] = article
            elif known.text != article.text:
                report.problems.append(
                    f"{store.path}: article {article.id} has another text than in an earlier "
                    f"store; its annotations there are left out"
                )
            else:
                articles.setdefault(article.id, article)
    seen = _merged_before(out) if existing else set()
    with out.transaction():
        out.table("articles").insert_multiple(a.to_record() for i, a in articles.items() if i not in existing)
        done: set[str] = set()
        merged_in: list[str] = []
        for article_id, article in articles.items():
            spans: list[Span] = []
            stances: list[Stance] = []
            relations: list[Relation] = []
            for store in sources:
                theirs = store.article(article_id)
                if theirs is None or theirs.text != article.text:
                    continue
                spans += store.spans(article_id)
                stances += store.stances(article_id)
                relations += store.relations(article_id)
                done |= store.done_ids() & {article_id}
            merged_in += [s.id for s in spans] + [r.id for r in relations] + [_stance_key(s) for s in stances]
            report.articles += 1
            if article_id in existing:
                _update_article(out, article_id, spans, stances, relations, seen, report, symmetric or {})
            else:
                report.spans_in += len(spans)
                _merge_article(out, article_id, spans, stances, report, relations, symmetric or {})
        already = out.done_ids()
        out.table("status").insert_multiple(
            {"article_id": a, "done": True, "annotator": "merge", "updated": now()}
            for a in sorted(done - already)
        )
        out.table(MERGED_TABLE).insert_multiple({"id": i} for i in dict.fromkeys(merged_in) if i not in seen)
    return report


MERGED_TABLE = "merged"
"""The ids of every input span and link, and the keys of every input stance, merged in so far."""


def _stance_key(stance: Stance) -> str:
    return "\x1f".join(("stance", stance.article_id, stance.target, stance.annotator, stance.value))


def _merged_before(out: Store) -> set[str]:
    """What a merged store already holds or has decided about: listed inputs, and (for stores merged before
    the list was kept) every stored span, link and stance and every span a conflict named."""
    seen = {str(doc.get("id")) for doc in out.table(MERGED_TABLE).all()}
    for name, table in out.storage.read().items():
        kind, _, article_id = name.partition("/")
        for doc in table.values():
            if kind in ("spans", "relations"):
                seen.add(str(doc.get("id")))
            elif kind == "conflicts":
                seen.update(doc.get("span_ids", ()))
            elif kind == "stances":
                seen.add(_stance_key(Stance.from_record(doc)))
    return seen


def _stance_conflicts(out: Store, article_id: str, stances: list[Stance], report: MergeReport) -> None:
    """A conflict for each target given different values, unless one is open for it already."""
    values: dict[str, set[str]] = {}
    for stance in stances:
        values.setdefault(stance.target, set()).add(stance.value)
    open_ones = {c.span_ids[0] for c in conflicts(out, article_id) if c.layer == STANCE_LAYER}
    found = [
        Conflict(uuid.uuid4().hex, article_id, STANCE_LAYER, (target,))
        for target, given in sorted(values.items())
        if len(given) > 1 and target not in open_ones
    ]
    report.stance_conflicts += len(found)
    out.table(f"conflicts/{article_id}").insert_multiple(c.to_record() for c in found)


def _update_article(
    out: Store,
    article_id: str,
    spans: list[Span],
    stances: list[Stance],
    relations: list[Relation],
    seen: set[str],
    report: MergeReport,
    symmetric: dict[str, bool],
) -> None:
    """New work on an article the merged store holds: a span equal to a stored one joins its annotators, a
    new one is added in conflict with the stored spans it overlaps; a changed stance replaces the annotator's
    old one; decisions already made stand."""
    stored = out.spans(article_id)
    by_key = {(s.start, s.end, s.layer, s.label): s for s in stored}
    fresh = [s for s in spans if s.id not in seen]
    report.spans_in += len(fresh)
    table = out.table(f"spans/{article_id}")
    alias = {s.id: s.id for s in stored}
    added: list[Span] = []
    for span in fresh:
        match = by_key.get((span.start, span.end, span.layer, span.label))
        if match is not None:
            who = set(match.annotator.split("+"))
            if span.annotator not in who:
                report.agreed += 1
                table.update({"annotator": "+".join(sorted(who | {span.annotator}))}, where("id") == match.id)
            alias[span.id] = match.id
            continue
        by_key[(span.start, span.end, span.layer, span.label)] = span
        alias[span.id] = span.id
        added.append(span)
    table.insert_multiple(s.to_record() for s in added)
    for span in spans:  # earlier inputs, for the ends of new links
        match = by_key.get((span.start, span.end, span.layer, span.label))
        if match is not None:
            alias.setdefault(span.id, match.id)
    annotators = (
        {a for s in stored for a in s.annotator.split("+")}
        | {s.annotator for s in spans}
        | {s.annotator for s in stances}
    )
    if added and len(annotators) > 1:
        new_ids = {s.id for s in added}
        pool = added + [
            s
            for s in stored
            if any(o.layer == s.layer and o.start < s.end and s.start < o.end for o in added)
        ]
        found = [
            Conflict(uuid.uuid4().hex, article_id, group[0].layer, tuple(s.id for s in group))
            for group in _groups(pool)
            if any(s.id in new_ids for s in group)
        ]
        report.conflicts += len(found)
        out.table(f"conflicts/{article_id}").insert_multiple(c.to_record() for c in found)
    known_links = {(r.type, r.source, r.target) for r in out.relations(article_id)}
    new_links = [
        r
        for r in relations
        if r.id not in seen and (r.type, alias.get(r.source), alias.get(r.target)) not in known_links
    ]
    _merge_links(out, article_id, new_links, alias, symmetric, len(annotators) > 1, report)
    stance_table = out.table(f"stances/{article_id}")
    have = {(s.target, s.annotator, s.value) for s in out.stances(article_id)}
    for stance in stances:
        if _stance_key(stance) in seen or (stance.target, stance.annotator, stance.value) in have:
            continue
        stance_table.remove((where("target") == stance.target) & (where("annotator") == stance.annotator))
        stance_table.insert(stance.to_record())
    _stance_conflicts(out, article_id, out.stances(article_id), report)


def _merge_article(
    out: Store,
    article_id: str,
    spans: list[Span],
    stances: list[Stance],
    report: MergeReport,
    relations: list[Relation],
    symmetric: dict[str, bool],
) -> None:
    annotators = {s.annotator for s in spans} | {s.annotator for s in stances}
    by_key: dict[tuple[int, int, str, str], list[Span]] = {}
    for span in spans:
        by_key.setdefault((span.start, span.end, span.layer, span.label), []).append(span)
    kept: list[Span] = []
    single: list[Span] = []
    alias = {span.id: same[0].id for same in by_key.values() for span in same}  # agreed spans are kept once
    for same in by_key.values():
        who = sorted({s.annotator for s in same})
        if len(who) > 1:
            report.agreed += 1
            notes = " | ".join(dict.fromkeys(s.note for s in same if s.note))
            kept.append(Span.from_record({**same[0].to_record(), "annotator": "+".join(who), "note": notes}))
        else:
            single.append(same[0])
            kept.append(same[0])
    out.table(f"spans/{article_id}").insert_multiple(s.to_record() for s in kept)
    if len(annotators) > 1:
        conflicts = [
            Conflict(uuid.uuid4().hex, article_id, group[0].layer, tuple(s.id for s in group))
            for group in _groups(single)
        ]
        report.conflicts += len(conflicts)
        out.table(f"conflicts/{article_id}").insert_multiple(c.to_record() for c in conflicts)
    _merge_links(out, article_id, relations, alias, symmetric, len(annotators) > 1, report)
    out.table(f"stances/{article_id}").insert_multiple(s.to_record() for s in stances)
    if len(annotators) > 1:
        _stance_conflicts(out, article_id, stances, report)


def _merge_links(
    out: Store,
    article_id: str,
    relations: list[Relation],
    alias: dict[str, str],
    symmetric: dict[str, bool],
    several: bool,
    report: MergeReport,
) -> None:
    """A link is kept when both its ends are (on the spans kept for them); the same link by several
    annotators once, their names joined; one only somebody made, where several worked, is a conflict."""
    by_link: dict[tuple[str, frozenset[str] | tuple[str, str]], list[Relation]] = {}
    for link in relations:
        source, target = alias.get(link.source), alias.get(link.target)
        if source is None or target is None:
            continue
        ends = frozenset((source, target)) if symmetric.get(link.type) else (source, target)
        by_link.setdefault((link.type, ends), []).append(
            Relation(link.id, article_id, link.type, source, target, link.annotator, link.created)
        )
    kept, single = [], []
    for same in by_link.values():
        who = sorted({r.annotator for r in same})
        merged = Relation(
            same[0].id,
            article_id,
            same[0].type,
            same[0].source,
            same[0].target,
            "+".join(who),
            same[0].created,
        )
        kept.append(merged)
        if len(who) > 1:
            report.links_agreed += 1
        elif several:
            single.append(merged)
    out.table(f"relations/{article_id}").insert_multiple(r.to_record() for r in kept)
    link_conflicts = [Conflict(uuid.uuid4().hex, article_id, LINK_LAYER, (r.id,)) for r in single]
    report.link_conflicts += len(link_conflicts)
    out.table(f"conflicts/{article_id}").insert_multiple(c.to_record() for c in link_conflicts)


LINK_LAYER = "link"
"""The `layer` of a conflict about a link (its span_ids then hold the link's id)."""
STANCE_LAYER = "stance"
"""The `layer` of a conflict about a stance (its span_ids then hold the target)."""


# -- adjudication -------------------------------------------------------------------------------------------
def conflicts(store: Store, article_id: str, open_only: bool = True) -> list[Conflict]:
    found = [Conflict.from_record(doc) for doc in store.table(f"conflicts/{article_id}").all()]
    spans = {s.id: s for s in store.spans(article_id)}
    link_start = {r.id: spans[r.source].start for r in store.relations(article_id) if r.source in spans}
    found = [c for c in found if not open_only or not c.resolved]
    # In reading order; an article's stance conflicts after its spans (a stance is about the whole text).
    return sorted(
        found,
        key=lambda c: (
            c.layer == STANCE_LAYER,
            min((spans[i].start if i in spans else link_start.get(i, 0) for i in c.span_ids), default=0),
        ),
    )


def resolve(store: Store, conflict: Conflict, keep: str) -> None:
    """keep: an annotator's name (their spans or link stay, the others go), "both" (all stay) or "neither".
    A span dropped takes its links with it, in the same undoable step."""
    decided = Change(
        "conflict",
        conflict.to_record(),
        Conflict(conflict.id, conflict.article_id, conflict.layer, conflict.span_ids, keep).to_record(),
    )
    if conflict.layer == STANCE_LAYER:
        if keep == "both":
            raise ValueError("a stance takes one value: keep one annotator's, or neither")
        target = conflict.span_ids[0]
        drop = [
            s
            for s in store.stances(conflict.article_id)
            if s.target == target and (keep == "neither" or s.annotator != keep)
        ]
        store.apply(
            conflict.article_id,
            [*(Change("stance", s.to_record(), None) for s in drop), decided],
            f"adjudicate stance: {keep}",
        )
        return
    relations = store.relations(conflict.article_id)
    if conflict.layer == LINK_LAYER:
        involved_links = [r for r in relations if r.id in conflict.span_ids]
        drop_links = (
            [] if keep == "both" else [r for r in involved_links if keep == "neither" or r.annotator != keep]
        )
        changes = [Change("relation", r.to_record(), None) for r in drop_links]
        changes.append(
            Change(
                "conflict",
                conflict.to_record(),
                Conflict(
                    conflict.id, conflict.article_id, conflict.layer, conflict.span_ids, keep
                ).to_record(),
            )
        )
        store.apply(conflict.article_id, changes, f"adjudicate link: {keep}")
        return
    spans = {s.id: s for s in store.spans(conflict.article_id)}
    involved = [spans[i] for i in conflict.span_ids if i in spans]
    dropped_spans = (
        [] if keep == "both" else [s for s in involved if keep == "neither" or s.annotator != keep]
    )
    dropped = {s.id for s in dropped_spans}
    changes = [Change("span", s.to_record(), None) for s in dropped_spans]
    changes += [Change("relation", r.to_record(), None) for r in relations if r.ends & dropped]
    changes.append(
        Change(
            "conflict",
            conflict.to_record(),
            Conflict(conflict.id, conflict.article_id, conflict.layer, conflict.span_ids, keep).to_record(),
        )
    )
    store.apply(conflict.article_id, changes, f"adjudicate: {keep}")
