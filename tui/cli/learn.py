"""`hamish train` and `hamish evaluate`: the recommender from the command line."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from annotations.formats.importers import FORMATS as IMPORT_FORMATS
from annotations.formats.importers import read
from annotations.formats.importing import import_records
from annotations.learn.recommender import NoTrainingData, Recommender
from annotations.learn.sequences import Scores, span_scores
from annotations.store.files import InputError, check_regular
from annotations.store.schema import SchemaError, load_schema
from annotations.store.store import Store
from tui.cli.base import check_layers, cli, load_label_map, one_line_errors, open_store


def row(scores: Scores) -> dict[str, float]:
    return {
        "precision": scores.precision,
        "recall": scores.recall,
        "f1": scores.f1,
        "support": scores.reference,
    }


def _schema(path: Path | None):
    with one_line_errors(SchemaError):
        return load_schema(path)


@contextmanager
def training_spinner(description: str) -> Iterator[None]:
    """A spinner with the time spent, on stderr when it is a terminal; gone before anything is printed (a line
    printed on stdout while it spins would share its line)."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as bar:
        bar.add_task(description, total=None)
        yield


@cli.command(
    "train",
    epilog="""\b
Examples:
  hamish train                     every span layer, on the articles marked done
  hamish train --layer entity --all-annotated
  hamish train --json              {"layers": {"entity": {"trained", "heldout", "seconds", "sentences"}}}""",
)
@click.option("--layer", "layers", multiple=True, help="Only these layers (repeat the option).")
@click.option(
    "--all-annotated",
    is_flag=True,
    help="Train on every article with spans of the layer, not only the ones marked done.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result of each layer as JSON.")
@click.option(
    "--schema", "schema_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None
)
@click.pass_context
def train_command(
    ctx: click.Context, layers: tuple[str, ...], all_annotated: bool, as_json: bool, schema_path: Path | None
) -> None:
    """Train the recommender (a CRF per span layer) on the store's own annotations, once, on all but a fifth
    of the articles (split by document: a page, a url, else a contiguous block); print that fifth's precision,
    recall and F1, measured on the model kept. Exit 1 when no layer could be trained."""
    schema = _schema(schema_path)
    check_layers(layers, {layer.name for layer in schema.span_layers})
    store = open_store(ctx, writable=False)
    chosen = [layer for layer in schema.span_layers if not layers or layer.name in layers]
    results: dict[str, dict[str, object]] = {}
    for layer in chosen:
        recommender = Recommender(
            store, layer.name, done_only=not all_annotated, labels=[x.name for x in layer.labels]
        )
        try:
            with training_spinner(f"training the {layer.name} model (a CRF, in this process)"):
                info = recommender.train()
        except NoTrainingData as error:
            results[layer.name] = {"trained": False, "heldout": None, "seconds": 0.0, "sentences": 0}
            if not as_json:
                click.echo(f"{layer.name:<12} {error} (or --all-annotated)")
            continue
        heldout = (
            None if info.f1 is None else {"precision": info.precision, "recall": info.recall, "f1": info.f1}
        )
        results[layer.name] = {
            "trained": True,
            "heldout": heldout,
            "seconds": round(info.seconds, 3),
            "sentences": info.sentences,
        }
        if not as_json:
            f1 = (
                "not measured (too few articles to hold some out)"
                if info.f1 is None
                else f"held-out P {info.precision:.3f} R {info.recall:.3f} F1 {info.f1:.3f} "
                f"({info.held_out_articles} articles held out)"
            )
            click.echo(
                f"{layer.name:<12} {info.kind} model, {info.sentences} sentences of {info.articles} "
                f"articles, {f1}, {info.seconds:.1f} s -> {recommender.folder}"
            )
    if as_json:
        click.echo(json.dumps({"layers": results}, ensure_ascii=False))
    ctx.exit(0 if any(r["trained"] for r in results.values()) else 1)


@cli.command(
    "evaluate",
    epilog="""\b
Examples:
  hamish evaluate --layer entity gold.conll --label-map data/label-maps/newsfane.toml
  hamish evaluate --layer bias test.jsonl --json""",
)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--layer", required=True, help="The span layer whose model is evaluated.")
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), default="auto", show_default=True)
@click.option("--label-map", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option(
    "--json", "as_json", is_flag=True, help='Print {"micro": {"precision", "recall", "f1"}, "labels": {...}}.'
)
@click.option(
    "--schema", "schema_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None
)
@click.pass_context
def evaluate_command(
    ctx: click.Context,
    path: Path,
    layer: str,
    fmt: str,
    label_map: Path | None,
    as_json: bool,
    schema_path: Path | None,
) -> None:
    """Entity-level precision, recall and F1 per label of the layer's model against an annotated file in any
    importable format (exact span and label, as seqeval counts them, so figures compare with published ones)."""
    schema = _schema(schema_path)
    check_layers((layer,), {x.name for x in schema.span_layers})
    if not path.is_dir():
        with one_line_errors(InputError):
            check_regular(path, what="gold file")  # a FIFO or a device: refused before training starts
    store = open_store(ctx, writable=False)
    recommender = Recommender(
        store,
        layer,
        labels=[label.name for x in schema.span_layers if x.name == layer for label in x.labels] or None,
    )
    saved = recommender.saved_done_only()
    if saved is not None:  # judged by what it was trained on (hamish train --all-annotated, or done only)
        recommender.done_only = saved
    problem = recommender.load()
    if problem is not None or recommender.stale():
        click.echo(
            f"hamish: {problem or f'the {layer} model is older than the annotations'}; training it now",
            err=True,
        )
        try:
            recommender.train()
        except NoTrainingData as error:
            raise click.ClickException(str(error)) from None
    with tempfile.TemporaryDirectory() as folder:
        gold = Store(Path(folder) / "gold.json", annotator="gold")
        report = import_records(gold, read([path], fmt), schema, load_label_map(label_map))
        for bad in report.problems[:5]:
            click.echo(f"hamish: {bad}", err=True)
        totals: dict[str, Scores] = {}
        micro = Scores()
        for article in gold.articles():
            reference = {(s.start, s.end, s.label) for s in gold.spans(article.id) if s.layer == layer}
            predicted = {(a, b, label) for a, b, label, _ in recommender.predict(article, best_only=True)}
            for label in {r[2] for r in reference} | {p[2] for p in predicted}:
                scores = span_scores(
                    {r for r in reference if r[2] == label}, {p for p in predicted if p[2] == label}
                )
                totals.setdefault(label, Scores()).add(scores)
                micro.add(scores)
    if as_json:
        click.echo(
            json.dumps(
                {"micro": row(micro), "labels": {k: row(v) for k, v in sorted(totals.items())}},
                ensure_ascii=False,
            )
        )
        return
    click.echo(f"{'label':<34} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
    for label, scores in sorted(totals.items()):
        click.echo(
            f"{label:<34} {scores.precision:6.3f} {scores.recall:6.3f} {scores.f1:6.3f} {scores.reference:8d}"
        )
    click.echo(
        f"{'micro':<34} {micro.precision:6.3f} {micro.recall:6.3f} {micro.f1:6.3f} {micro.reference:8d}"
    )
