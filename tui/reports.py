"""Tables and bar charts that both a command (`hamish stats`, `hamish agree`) and a screen (statistics) draw."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from annotations.team.agreement import PairReport, few_items_warning
from annotations.team.project import Project
from annotations.team.stats import Stats
from tui.labels import Drawing

BAR = "█"


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def bar(count: int, most: int, width: int = 30) -> Text:
    length = 0 if not most else max(1, round(width * count / most)) if count else 0
    return Text(BAR * length, style="cyan")


def _widest(header: str, cells: Iterable[str], most: int = 34) -> int:
    """A column's width that keeps its header and its cells whole, up to `most` cells."""
    return min(max([len(header), *(cell_len(c) for c in cells)]), most)


def stats_renderables(stats: Stats, drawing: Drawing) -> list[RenderableType]:
    """The statistics: per layer and label, progress per article, stance values and bias categories by source."""
    out: list[RenderableType] = [
        Text(
            f"{stats.articles} articles, {stats.done} done, {sum(stats.labels.values())} spans", style="bold"
        )
    ]
    # No cell wraps (a wrapped right-to-left cell would split its visual line wrongly); the counts and the
    # labels keep their width, and at 80 columns the bars and the sources give way (cut with …).
    labels = Table(title="spans per layer and label", box=None, title_justify="left")
    labels.add_column("layer", no_wrap=True, min_width=_widest("layer", (name for name, _ in stats.labels)))
    labels.add_column("label", no_wrap=True, min_width=_widest("label", (name for _, name in stats.labels)))
    labels.add_column("spans", justify="right", no_wrap=True, min_width=len("spans"))
    labels.add_column("", no_wrap=True, overflow="crop", max_width=30)
    most = max(stats.labels.values(), default=0)
    for (layer, label), count in sorted(stats.labels.items(), key=lambda kv: (kv[0][0], -kv[1])):
        labels.add_row(layer, label, str(count), bar(count, most))
    out.append(labels)
    progress = Table(title="progress per article", box=None, title_justify="left")
    progress.add_column("", no_wrap=True)
    progress.add_column("article", justify="right", no_wrap=True)
    progress.add_column("source", no_wrap=True, overflow="ellipsis", max_width=20)
    progress.add_column("spans", justify="right", no_wrap=True, min_width=len("spans"))
    progress.add_column("stances", justify="right", no_wrap=True, min_width=len("stances"))
    progress.add_column("", no_wrap=True, overflow="crop", max_width=20)
    most = max((p.spans for p in stats.progress), default=0)
    for p in stats.progress:
        progress.add_row(
            "✓" if p.done else "·",
            drawing.label(p.title or p.id, 30),
            p.source,
            str(p.spans),
            str(p.stances),
            bar(p.spans, most, 20),
        )
    out.append(progress)
    for title, by_source in (
        ("stance values by source", stats.stance_by_source),
        ("bias categories by source", stats.bias_by_source),
    ):
        table = Table(title=title, box=None, title_justify="left")
        values = (value for counter in by_source.values() for value in counter)
        table.add_column("source", no_wrap=True, overflow="ellipsis", max_width=24)
        table.add_column("value", no_wrap=True, min_width=_widest("value", values))
        table.add_column("count", justify="right", no_wrap=True, min_width=len("count"))
        table.add_column("", no_wrap=True, overflow="crop", max_width=20)
        most = max((c for counter in by_source.values() for c in counter.values()), default=0)
        for source, counter in sorted(by_source.items()):
            for value, count in counter.most_common():
                table.add_row(source, value, str(count), bar(count, most, 20))
        if not by_source:
            table.add_row(Text("none yet", style="dim"), "", "", "")
        out.append(table)
    return out


def agreement_warnings(reports: list[PairReport], alpha_count: int) -> list[str]:
    """What the numbers rest on, where it is too little to trust them."""
    found = [few_items_warning("stance alpha (all annotators)", alpha_count)]
    found += [few_items_warning(f"stance kappa {r.first} vs {r.second}", r.stance_items) for r in reports]
    return [w for w in found if w]


def confusion_table(layer: str, cells: dict[tuple[str, str], int], first: str, second: str) -> RenderableType:
    """Rows: the first annotator's label; columns: the second's; spans whose boundaries match."""
    rows = sorted({a for a, _ in cells})
    columns = sorted({b for _, b in cells})
    title = Text(f"{layer}: labels where the boundaries match ({first} down, {second} across)", style="bold")
    table = Table(box=None)
    table.add_column("")
    for column in columns:
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            row,
            *[
                Text(
                    str(cells.get((row, c), "")),
                    style="bold green" if row == c else "bold red" if cells.get((row, c)) else "",
                )
                for c in columns
            ],
        )
    return Group(title, table)


def agreement_tables(
    reports: list[PairReport], alpha: float | None, annotators: list[str], alpha_count: int | None = None
) -> list[RenderableType]:
    out: list[RenderableType] = [
        Text(
            f"annotators: {', '.join(annotators)}; stance, Krippendorff's alpha "
            f"(nominal) over all: {_fmt(alpha)}",
            style="bold",
        )
    ]
    if alpha_count is not None:
        out += [Text(f"warning: {w}", style="yellow") for w in agreement_warnings(reports, alpha_count)]
    for report in reports:
        out.append(
            Text(
                f"{report.first} (reference) vs {report.second}: {report.articles_both} articles annotated "
                f"by both; stance: {report.stance_items} items, Cohen's kappa {_fmt(report.stance_kappa)}",
                style="bold",
            )
        )
        table = Table(box=None)
        for column in (
            "layer",
            "label",
            "ref",
            "theirs",
            "exact P",
            "exact R",
            "exact F1",
            "overlap P",
            "overlap R",
            "overlap F1",
        ):
            table.add_column(column, justify="left" if column in ("layer", "label") else "right")
        for (layer, label), scores in report.spans.items():
            exact, overlap = scores["exact"], scores["overlap"]
            row_style = "bold" if layer == "*" else ""
            table.add_row(
                label if layer == "*" else layer,
                "(all)" if layer == "*" else label,
                str(exact.reference),
                str(exact.predicted),
                _fmt(exact.precision),
                _fmt(exact.recall),
                _fmt(exact.f1),
                _fmt(overlap.precision),
                _fmt(overlap.recall),
                _fmt(overlap.f1),
                style=row_style,
            )
        for kind, scores in report.relations.items():
            exact, overlap = scores["exact"], scores["overlap"]
            table.add_row(
                "link",
                "(all)" if kind == "*" else kind,
                str(exact.reference),
                str(exact.predicted),
                _fmt(exact.precision),
                _fmt(exact.recall),
                _fmt(exact.f1),
                _fmt(overlap.precision),
                _fmt(overlap.recall),
                _fmt(overlap.f1),
                style="bold" if kind == "*" else "",
            )
        out.append(table)
        for layer, cells in report.confusion.items():
            out.append(confusion_table(layer, cells, report.first, report.second))
    return out


def recommender_table(recommenders: dict) -> RenderableType:
    """Each layer's model: what it was trained on and its held-out scores; whether it suggests."""
    table = Table(
        title="recommender (articles; scores of the held-out ones, by the model kept)",
        box=None,
        title_justify="left",
    )
    for column in ("layer", "model", "trained on", "held out", "P", "R", "F1", "suggesting"):
        table.add_column(column, justify="left" if column in ("layer", "model", "suggesting") else "right")
    for layer, recommender in recommenders.items():
        info = recommender.info
        if info is None:
            table.add_row(layer, Text("not trained yet", style="dim"), "", "", "", "", "", "no")
            continue
        table.add_row(
            layer,
            info.kind,
            str(info.articles),
            str(info.held_out_articles),
            _fmt(info.precision),
            _fmt(info.recall),
            _fmt(info.f1),
            "yes" if recommender.enabled else "no (below threshold)",
        )
    return table


def progress_table(project: Project) -> Table:
    table = Table(title=f"{project.name}: progress per annotator")
    for column in ("annotator", "role", "done", "spans", "stances", "last change"):
        table.add_column(
            column, justify="left" if column in ("annotator", "role", "last change") else "right"
        )
    for row in project.progress():
        done = f"{row.done}/{row.articles}" if row.role == "annotator" else "-"
        table.add_row(row.name, row.role, done, str(row.spans), str(row.stances), row.last_change or "-")
    return table
