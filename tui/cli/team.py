"""`hamish agree`, `hamish merge`, `hamish stats`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console, Group

from annotations.store.model import Relation, Span, Stance
from annotations.store.schema import load_schema
from annotations.store.store import Store, StoreError
from annotations.team.agreement import PairReport, alpha_items, compare
from annotations.team.merge import merge_stores
from annotations.team.project import Project, ProjectError, is_project
from annotations.team.stats import compute
from tui.cli.base import cli, open_store
from tui.labels import Drawing
from tui.reports import agreement_tables, agreement_warnings, stats_renderables


def project_stores(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """A project folder stands for every annotator's store in it."""
    expanded: list[Path] = []
    for path in paths:
        if is_project(path):
            try:
                expanded += Project(path).annotator_stores()
            except ProjectError as error:
                raise click.ClickException(str(error)) from None
        else:
            expanded.append(path)
    return tuple(expanded)


def symmetric_links(paths: tuple[Path, ...]) -> dict[str, bool]:
    """Which link types go either way, from a project's schema if a project is given, else the bundled one."""
    folder = next((p for p in paths if is_project(p)), None)
    schema = load_schema(Project(folder).schema_path if folder else None)
    return {r.name: not r.directed for r in schema.relations}


def open_stores(paths: tuple[Path, ...]) -> list[Store]:
    stores = []
    for path in project_stores(paths):
        try:
            stores.append(Store(path, annotator="reader", create=False, writable=False))
        except StoreError as error:
            raise click.ClickException(str(error)) from None
    return stores


def agreement_json(reports: list[PairReport], alpha: float | None, annotators: list[str]) -> dict:
    return {
        "annotators": annotators,
        "stance_alpha": alpha,
        "pairs": [
            {
                "reference": r.first,
                "other": r.second,
                "articles_both": r.articles_both,
                "stance_items": r.stance_items,
                "stance_kappa": r.stance_kappa,
                "spans": [
                    {
                        "layer": label if layer == "*" else layer,
                        "label": None if layer == "*" else label,
                        **{
                            f"{kind}_{m}": getattr(s, m)
                            for kind, s in scores.items()
                            for m in ("precision", "recall", "f1")
                        },
                        "reference": scores["exact"].reference,
                        "other": scores["exact"].predicted,
                    }
                    for (layer, label), scores in r.spans.items()
                ],
                "relations": [
                    {
                        "type": None if kind == "*" else kind,
                        **{
                            f"{m}_{x}": getattr(sc, x)
                            for m, sc in scores.items()
                            for x in ("precision", "recall", "f1")
                        },
                        "reference": scores["exact"].reference,
                        "other": scores["exact"].predicted,
                    }
                    for kind, scores in r.relations.items()
                ],
                "label_confusion": [
                    {"layer": layer, "reference_label": a, "other_label": b, "spans": n}
                    for layer, cells in r.confusion.items()
                    for (a, b), n in sorted(cells.items())
                ],
            }
            for r in reports
        ],
    }


@cli.command(
    "agree",
    context_settings={"ignore_unknown_options": True},
    epilog="""\b
Examples:
  hamish agree mona.json sami.json
  hamish agree news/                      every annotator of the project news/
  hamish agree team.json --annotators mona sami --json > agreement.json""",
)
@click.argument(
    "words", nargs=-1, required=True, type=click.UNPROCESSED, metavar="STORE... [--annotators NAME...]"
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def agree_command(words: tuple[str, ...], as_json: bool) -> None:
    """Agreement between annotators (in separate stores or one): stance kappa/alpha, span P/R/F1 per layer
    and label with exact and overlap matching, and the number of articles both annotated. `--annotators A B
    ...` (after the stores) chooses whom to compare; by default, everyone found."""
    if "--annotators" in words:
        cut = words.index("--annotators")
        store_words, names = words[:cut], words[cut + 1 :]
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
    spans: list[Span] = []
    stances: list[Stance] = []
    relations: list[Relation] = []
    texts: dict[str, str] = {}
    for store in open_stores(stores):
        for article in store.articles():
            if texts.setdefault(article.id, article.text) != article.text:
                click.echo(
                    f"hamish: warning: {store.path}: article {article.id} differs from an earlier store; "
                    f"left out",
                    err=True,
                )
                continue
            spans += store.spans(article.id)
            stances += store.stances(article.id)
            relations += store.relations(article.id)
    found = sorted({s.annotator for s in spans} | {s.annotator for s in stances})
    annotators = list(names) or found
    if len(annotators) < 2:
        names_found = ", ".join(found) if found else "no annotations at all"
        raise click.ClickException(
            f"agreement needs two annotators; found {len(found)} ({names_found}) in {len(stores)} store(s)"
        )
    symmetric = symmetric_links(stores)
    reports, alpha = compare(spans, stances, annotators, relations, symmetric)
    alpha_count = alpha_items(stances, annotators)
    if as_json:
        out = {
            **agreement_json(reports, alpha, annotators),
            "stance_alpha_items": alpha_count,
            "warnings": agreement_warnings(reports, alpha_count),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for warning in agreement_warnings(reports, alpha_count):
        click.echo(f"hamish: warning: {warning}", err=True)
    Console().print(Group(*agreement_tables(reports, alpha, annotators)))


@cli.command(
    "merge",
    epilog="""\b
Examples:
  hamish merge mona.json sami.json --out team.json
  hamish merge news/ --out news/adjudicated.json   a project's annotators (what its adjudicator opens)
  hamish merge mona.json sami.json --out team.json --update   new work in, decisions kept
  hamish --store team.json          then press c to adjudicate conflict by conflict""",
)
@click.argument("stores", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="A new store (or, with --update, a merged store to add new work to).",
)
@click.option(
    "--update",
    is_flag=True,
    help="Add the work done since the last merge to the --out store, keeping "
    "every adjudication decision made there.",
)
def merge_command(stores: tuple[Path, ...], out: Path, update: bool) -> None:
    """Union of several stores: agreements kept once, conflicts (spans, links, stances) flagged for
    adjudication (`c` in the app)."""
    sources = open_stores(stores)
    try:
        merged = Store(out, annotator="merge")
        report = merge_stores(sources, merged, symmetric_links(stores), update=update)
        merged.close()
    except (StoreError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    for problem in report.problems:
        click.echo(f"hamish: {problem}", err=True)
    click.echo(
        f"merged {report.articles} articles, {report.spans_in} spans in: {report.agreed} agreed (kept once), "
        f"{report.conflicts} conflicts to adjudicate, {report.stance_conflicts} stance conflicts, "
        f"{report.links_agreed} links agreed, {report.link_conflicts} link conflicts -> {out}"
    )


@cli.command("stats", epilog="\b\nExamples:\n  hamish stats\n  hamish --store team.json stats")
@click.pass_context
def stats_command(ctx: click.Context) -> None:
    """Counts per label and layer, progress per article, stance values and bias categories by source."""
    Console().print(Group(*stats_renderables(compute(open_store(ctx, writable=False)), Drawing())))
