"""Inter-annotator agreement: Cohen's kappa (two annotators), Krippendorff's alpha (nominal, any number, missing
values allowed), and span precision/recall/F1 per layer and label with exact and overlap matching."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotations.store.model import Relation, Span, Stance


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa for two annotators' labels on the same items; None when undefined (no items, or chance
    agreement is 1)."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(1 for a, b in pairs if a == b) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first.keys() | second.keys()) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Iterable[Iterable[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data. Each unit lists the values the annotators gave (None: missing);
    units with fewer than two values are not pairable and are left out."""
    coincidence: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[(a, b)] += 1 / (m - 1)
    n = sum(coincidence.values())
    if n <= 1:
        return None
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (a, _), count in coincidence.items():
        totals[a] += count
    disagreement_observed = sum(c for (a, b), c in coincidence.items() if a != b)
    disagreement_expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b) / (n - 1)
    if disagreement_expected == 0:
        return None
    return 1 - disagreement_observed / disagreement_expected


@dataclass(frozen=True)
class Scores:
    true_positives: int
    reference: int
    predicted: int

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return 0.0 if (p == 0 or r == 0) else None
        return 2 * p * r / (p + r)


def span_scores(reference: list[Span], predicted: list[Span], overlap: bool) -> Scores:
    """A predicted span counts when it matches a reference span of the same article, layer and label — exactly,
    or (overlap=True) by sharing at least one character; each reference span is matched at most once."""
    used: set[int] = set()
    hits = 0
    for p in predicted:
        for index, r in enumerate(reference):
            if index in used or (r.article_id, r.layer, r.label) != (p.article_id, p.layer, p.label):
                continue
            if (r.start, r.end) == (p.start, p.end) or (overlap and r.start < p.end and p.start < r.end):
                used.add(index)
                hits += 1
                break
    return Scores(hits, len(reference), len(predicted))


def _same_end(a: Span, b: Span, overlap: bool) -> bool:
    if (a.article_id, a.layer, a.label) != (b.article_id, b.layer, b.label):
        return False
    return (a.start, a.end) == (b.start, b.end) or (overlap and a.start < b.end and b.start < a.end)


def relation_scores(
    reference: list[Relation],
    predicted: list[Relation],
    spans: dict[str, Span],
    symmetric: dict[str, bool],
    overlap: bool,
) -> Scores:
    """A predicted link counts when a reference link of the same type joins matching ends in the same
    direction (either way for a symmetric type); ends match exactly or (overlap=True) by sharing a character
    in the same layer and label. Each reference link is matched at most once."""
    used: set[int] = set()
    hits = 0
    for p in predicted:
        ps, pt = spans.get(p.source), spans.get(p.target)
        if ps is None or pt is None:
            continue
        for index, r in enumerate(reference):
            rs, rt = spans.get(r.source), spans.get(r.target)
            if index in used or r.type != p.type or rs is None or rt is None:
                continue
            forward = _same_end(rs, ps, overlap) and _same_end(rt, pt, overlap)
            backward = (
                symmetric.get(r.type, False) and _same_end(rs, pt, overlap) and _same_end(rt, ps, overlap)
            )
            if forward or backward:
                used.add(index)
                hits += 1
                break
    return Scores(hits, len(reference), len(predicted))


@dataclass
class PairReport:
    first: str
    second: str
    articles_both: int
    stance_items: int
    stance_kappa: float | None
    spans: dict[tuple[str, str], dict[str, Scores]]
    """(layer, label) -> {"exact": Scores, "overlap": Scores}; ("*", layer) rows hold a layer's totals."""
    relations: dict[str, dict[str, Scores]] = field(default_factory=dict)
    """link type -> {"exact": Scores, "overlap": Scores} (ends matched exactly, or by overlap); "*": all."""
    confusion: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    """layer -> (first's label, second's label) -> spans whose boundaries both drew the same."""


FEW_ITEMS = 30
"""Below this many items a kappa or alpha is a rough sign, not a measurement: one item moves it by a lot."""


def few_items_warning(what: str, items: int) -> str | None:
    """A warning when `what` (e.g. "stance kappa") rests on too few items; None when there are enough."""
    if items == 0:
        return f"{what}: no items both annotated, so it is undefined"
    if items < FEW_ITEMS:
        return (
            f"{what} rests on {items} item{'s' * (items != 1)} (fewer than {FEW_ITEMS}): read it as a rough "
            f"sign, not a measurement"
        )
    return None


def label_confusion(reference: list[Span], predicted: list[Span]) -> dict[str, dict[tuple[str, str], int]]:
    """Per layer, how the labels of spans with the same boundaries (article, start, end) compare: the
    diagonal is agreement, the rest says which labels the two confuse."""
    theirs: dict[tuple[str, str, int, int], list[str]] = {}
    for span in predicted:
        theirs.setdefault((span.article_id, span.layer, span.start, span.end), []).append(span.label)
    table: dict[str, dict[tuple[str, str], int]] = {}
    for span in reference:
        labels = theirs.get((span.article_id, span.layer, span.start, span.end))
        if not labels:
            continue
        other = span.label if span.label in labels else labels[0]
        labels.remove(other)
        cell = table.setdefault(span.layer, {})
        cell[(span.label, other)] = cell.get((span.label, other), 0) + 1
    return table


def compare(
    spans: list[Span],
    stances: list[Stance],
    annotators: list[str],
    relations: list[Relation] | None = None,
    symmetric: dict[str, bool] | None = None,
) -> tuple[list[PairReport], float | None]:
    """Pairwise reports for every pair of annotators, and Krippendorff's alpha over all of them for stance."""
    span_by_id = {s.id: s for s in spans}
    relations = relations or []
    by_annotator = {a: [s for s in spans if s.annotator == a] for a in annotators}
    articles = {
        a: {s.article_id for s in by_annotator[a]} | {s.article_id for s in stances if s.annotator == a}
        for a in annotators
    }
    stance_value = {(s.article_id, s.target, s.annotator): s.value for s in stances}
    items = sorted({(s.article_id, s.target) for s in stances})
    reports = []
    for first, second in combinations(annotators, 2):
        both = articles[first] & articles[second]
        pairs = [
            (stance_value[(a, t, first)], stance_value[(a, t, second)])
            for a, t in items
            if (a, t, first) in stance_value and (a, t, second) in stance_value
        ]
        reference = [s for s in by_annotator[first] if s.article_id in both]
        predicted = [s for s in by_annotator[second] if s.article_id in both]
        table: dict[tuple[str, str], dict[str, Scores]] = {}
        keys = sorted({(s.layer, s.label) for s in reference + predicted})
        for layer, label in keys:
            ref = [s for s in reference if (s.layer, s.label) == (layer, label)]
            pred = [s for s in predicted if (s.layer, s.label) == (layer, label)]
            table[(layer, label)] = {
                "exact": span_scores(ref, pred, False),
                "overlap": span_scores(ref, pred, True),
            }
        for layer in sorted({layer for layer, _ in keys}):
            ref = [s for s in reference if s.layer == layer]
            pred = [s for s in predicted if s.layer == layer]
            table[("*", layer)] = {
                "exact": span_scores(ref, pred, False),
                "overlap": span_scores(ref, pred, True),
            }
        links: dict[str, dict[str, Scores]] = {}
        ref_links = [r for r in relations if r.annotator == first and r.article_id in both]
        pred_links = [r for r in relations if r.annotator == second and r.article_id in both]
        for kind in sorted({r.type for r in ref_links + pred_links}) + (
            ["*"] if ref_links or pred_links else []
        ):
            ref_kind = [r for r in ref_links if kind in ("*", r.type)]
            pred_kind = [r for r in pred_links if kind in ("*", r.type)]
            links[kind] = {
                m: relation_scores(ref_kind, pred_kind, span_by_id, symmetric or {}, m == "overlap")
                for m in ("exact", "overlap")
            }
        reports.append(
            PairReport(
                first,
                second,
                len(both),
                len(pairs),
                cohen_kappa(pairs),
                table,
                links,
                label_confusion(reference, predicted),
            )
        )
    alpha = krippendorff_alpha([[stance_value.get((a, t, who)) for who in annotators] for a, t in items])
    return reports, alpha


def alpha_items(stances: list[Stance], annotators: list[str]) -> int:
    """Stance items (article, target) that at least two of the annotators gave a value: what alpha rests on."""
    given: dict[tuple[str, str], set[str]] = {}
    for stance in stances:
        if stance.annotator in annotators:
            given.setdefault((stance.article_id, stance.target), set()).add(stance.annotator)
    return sum(len(who) >= 2 for who in given.values())
