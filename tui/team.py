"""`hamish agree`, `hamish merge`, `hamish stats`, and the tables and bar charts they (and the app) draw."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from annotations.agreement import PairReport, compare
from annotations.merge import merge_stores
from annotations.stats import Stats, compute
from annotations.store import Store, StoreError
from tui.labels import label as visual_label

BAR = "█"


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def bar(count: int, most: int, width: int = 30) -> Text:
    length = 0 if not most else max(1, round(width * count / most)) if count else 0
    return Text(BAR * length, style="cyan")


def stats_renderables(stats: Stats) -> list[RenderableType]:
    """The statistics: per layer and label, progress per article, stance values and bias categories by source."""
    out: list[RenderableType] = [Text(f"{stats.articles} articles, {stats.done} done, "
                                      f"{sum(stats.labels.values())} spans", style="bold")]
    labels = Table(title="spans per layer and label", box=None, title_justify="left")
    for column in ("layer", "label", "spans", ""):
        labels.add_column(column, justify="right" if column == "spans" else "left")
    most = max(stats.labels.values(), default=0)
    for (layer, label), count in sorted(stats.labels.items(), key=lambda kv: (kv[0][0], -kv[1])):
        labels.add_row(layer, label, str(count), bar(count, most))
    out.append(labels)
    progress = Table(title="progress per article", box=None, title_justify="left")
    for column in ("", "article", "source", "spans", "stances", ""):
        progress.add_column(column, justify="right" if column in ("spans", "stances") else "left",
                            no_wrap=True)  # a wrapped right-to-left cell would split its visual line wrongly
    most = max((p.spans for p in stats.progress), default=0)
    for p in stats.progress:
        progress.add_row("✓" if p.done else "·", visual_label(p.title or p.id, 30), p.source, str(p.spans),
                         str(p.stances), bar(p.spans, most, 20))
    out.append(progress)
    for title, by_source in (("stance values by source", stats.stance_by_source),
                             ("bias categories by source", stats.bias_by_source)):
        table = Table(title=title, box=None, title_justify="left")
        for column in ("source", "value", "count", ""):
            table.add_column(column, justify="right" if column == "count" else "left")
        most = max((c for counter in by_source.values() for c in counter.values()), default=0)
        for source, counter in sorted(by_source.items()):
            for value, count in counter.most_common():
                table.add_row(source, value, str(count), bar(count, most, 20))
        if not by_source:
            table.add_row(Text("none yet", style="dim"), "", "", "")
        out.append(table)
    return out


def open_stores(paths: tuple[Path, ...]) -> list[Store]:
    stores = []
    for path in paths:
        try:
            stores.append(Store(path, annotator="reader", create=False, writable=False))
        except StoreError as error:
            raise click.ClickException(str(error)) from None
    return stores


def agreement_tables(reports: list[PairReport], alpha: float | None, annotators: list[str]) -> list[RenderableType]:
    out: list[RenderableType] = [Text(f"annotators: {', '.join(annotators)}; stance, Krippendorff's alpha "
                                      f"(nominal) over all: {_fmt(alpha)}", style="bold")]
    for report in reports:
        out.append(Text(f"{report.first} (reference) vs {report.second}: {report.articles_both} articles annotated "
                        f"by both; stance: {report.stance_items} items, Cohen's kappa {_fmt(report.stance_kappa)}",
                        style="bold"))
        table = Table(box=None)
        for column in ("layer", "label", "ref", "theirs", "exact P", "exact R", "exact F1", "overlap P",
                       "overlap R", "overlap F1"):
            table.add_column(column, justify="left" if column in ("layer", "label") else "right")
        for (layer, label), scores in report.spans.items():
            exact, overlap = scores["exact"], scores["overlap"]
            row_style = "bold" if layer == "*" else ""
            table.add_row(label if layer == "*" else layer, "(all)" if layer == "*" else label,
                          str(exact.reference), str(exact.predicted), _fmt(exact.precision), _fmt(exact.recall),
                          _fmt(exact.f1), _fmt(overlap.precision), _fmt(overlap.recall), _fmt(overlap.f1),
                          style=row_style)
        out.append(table)
    return out


def agreement_json(reports: list[PairReport], alpha: float | None, annotators: list[str]) -> dict:
    return {"annotators": annotators, "stance_alpha": alpha, "pairs": [{
        "reference": r.first, "other": r.second, "articles_both": r.articles_both, "stance_items": r.stance_items,
        "stance_kappa": r.stance_kappa,
        "spans": [{"layer": label if layer == "*" else layer, "label": None if layer == "*" else label,
                   **{f"{kind}_{m}": getattr(s, m) for kind, s in scores.items()
                      for m in ("precision", "recall", "f1")},
                   "reference": scores["exact"].reference, "other": scores["exact"].predicted}
                  for (layer, label), scores in r.spans.items()]} for r in reports]}


@click.command("agree", context_settings={"ignore_unknown_options": True}, epilog="""\b
Examples:
  hamish agree mona.json sami.json
  hamish agree team.json --annotators mona sami --json > agreement.json""")
@click.argument("words", nargs=-1, required=True, type=click.UNPROCESSED,
                metavar="STORE... [--annotators NAME...]")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def agree_command(words: tuple[str, ...], as_json: bool) -> None:
    """Agreement between annotators (in separate stores or one): stance kappa/alpha, span P/R/F1 per layer
    and label with exact and overlap matching, and the number of articles both annotated. `--annotators A B
    ...` (after the stores) chooses whom to compare; by default, everyone found."""
    if "--annotators" in words:
        cut = words.index("--annotators")
        store_words, names = words[:cut], words[cut + 1:]
        if not names:
            raise click.UsageError("--annotators needs at least one name")
    else:
        store_words, names = words, ()
    unknown = [w for w in store_words if w.startswith("--")]
    if unknown:
        raise click.UsageError(f"No such option: {unknown[0]}")
    if not store_words:
        raise click.UsageError("give at least one store")
    stores = tuple(Path(w) for w in store_words)
    spans, stances, texts = [], [], {}
    for store in open_stores(stores):
        for article in store.articles():
            if texts.setdefault(article.id, article.text) != article.text:
                click.echo(f"hamish: warning: {store.path}: article {article.id} differs from an earlier store; "
                           f"left out", err=True)
                continue
            spans += store.spans(article.id)
            stances += store.stances(article.id)
    found = sorted({s.annotator for s in spans} | {s.annotator for s in stances})
    annotators = list(names) or found
    if len(annotators) < 2:
        raise click.ClickException(f"agreement needs two annotators; found {found or 'none'}")
    reports, alpha = compare(spans, stances, annotators)
    if as_json:
        click.echo(json.dumps(agreement_json(reports, alpha, annotators), ensure_ascii=False, indent=1))
        return
    Console().print(Group(*agreement_tables(reports, alpha, annotators)))


@click.command("merge", epilog="""\b
Examples:
  hamish merge mona.json sami.json --out team.json
  hamish --store team.json          then press c to adjudicate conflict by conflict""")
@click.argument("stores", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="A new store.")
def merge_command(stores: tuple[Path, ...], out: Path) -> None:
    """Union of several stores: agreements kept once, conflicts flagged for adjudication (`c` in the app)."""
    sources = open_stores(stores)
    try:
        merged = Store(out, annotator="merge")
        report = merge_stores(sources, merged)
        merged.close()
    except (StoreError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    for problem in report.problems:
        click.echo(f"hamish: {problem}", err=True)
    click.echo(f"merged {report.articles} articles, {report.spans_in} spans in: {report.agreed} agreed (kept once), "
               f"{report.conflicts} conflicts to adjudicate, {report.stance_conflicts} stance conflicts -> {out}")


@click.command("stats", epilog="\b\nExamples:\n  hamish stats\n  hamish --store team.json stats")
@click.pass_context
def stats_command(ctx: click.Context) -> None:
    """Counts per label and layer, progress per article, stance values and bias categories by source."""
    from tui.cli import open_store

    Console().print(Group(*stats_renderables(compute(open_store(ctx, writable=False)))))
