"""`hamish locate`, `hamish check`, `hamish suggest`: the store without a screen."""

from __future__ import annotations

from pathlib import Path

import click

from annotations.store.paths import config_path
from annotations.store.resources import data_dir, sample_corpus_dir
from tui.cli.base import check_layers, cli, open_store


@cli.command("locate", epilog="\b\nExamples:\n  hamish locate\n  hamish --store team.json locate")
@click.pass_context
def locate_command(ctx: click.Context) -> None:
    """Print where the store, its journal and lock, the config file and the bundled data are."""
    store = Path(ctx.obj["store"])
    rows = [
        ("store", store),
        ("journal", store.with_name(store.name + ".journal")),
        ("lock", store.with_name(store.name + ".lock")),
        ("config", config_path()),
        ("data", data_dir()),
        ("sample corpus", sample_corpus_dir()),
    ]
    for name, path in rows:
        click.echo(f"{name:<14}{path}")
    click.echo(f"{'annotator':<14}{ctx.obj['annotator']}")


@cli.command("name", epilog="\b\nExamples:\n  hamish name\n  hamish name 'Iraq talks 2021'")
@click.argument("name", required=False)
@click.pass_context
def name_command(ctx: click.Context, name: str | None) -> None:
    """Print the corpus's name (shown in the app's header and export file names), or set it to NAME."""
    store = open_store(ctx)
    if name is None:
        click.echo(store.corpus_name)
        return
    if not name.strip():
        raise click.UsageError("the name is empty")
    store.set_corpus_name(" ".join(name.split()))
    click.echo(f"the corpus is now called «{store.corpus_name}»")


@cli.command(
    "check",
    epilog="""\b
Examples:
  hamish check
  hamish --store team.json check && echo clean""",
)
@click.pass_context
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Label schema the links are checked against; default data/schema.toml.",
)
def check_command(ctx: click.Context, schema_path: Path | None) -> None:
    """Verify the store: every annotation's text equals the article text at its offsets, no duplicates, no
    annotations of missing articles, every link between two stored annotations of a type the schema allows
    between them. Prints a summary; exit 1 when anything is wrong."""
    from annotations.store.check import check_store
    from annotations.store.schema import SchemaError, load_schema

    try:
        schema = load_schema(schema_path)
    except SchemaError as error:
        raise click.ClickException(str(error)) from None
    report = check_store(open_store(ctx, writable=False), schema)
    for problem in report.problems:
        click.echo(f"problem: {problem}")
    click.echo(
        f"{ctx.obj['store']}: {report.articles} articles, {report.spans} spans, {report.stances} stances, "
        f"{report.relations} links; {len(report.problems)} problem(s)"
    )
    ctx.exit(0 if report.ok else 1)


@cli.command(
    "suggest",
    epilog="""\b
Examples:
  hamish suggest                 gazetteer of your entities + the bias lexicon, over every article
  hamish suggest --layer bias    only the bias lexicon
  HAMISH_BIAS_LEXICON=mine.txt hamish suggest""",
)
@click.option("--layer", "layers", multiple=True, help="Only these layers (repeat the option).")
@click.pass_context
def suggest_command(ctx: click.Context, layers: tuple[str, ...]) -> None:
    """Pre-annotate every article not marked done: suggestions (shown dimmed in the app, y/r/Y to accept or
    reject) from the gazetteer of your accepted entities and from the bias lexicon. Prints counts per layer
    and label."""
    from annotations.find.suggestions import load_lexicon, pre_annotate
    from annotations.store.schema import SchemaError, load_schema

    store = open_store(ctx)
    try:
        schema = load_schema()
        check_layers(layers, {layer.name for layer in schema.span_layers})
        done = store.done_ids()
        open_articles = [a for a in store.articles() if a.id not in done]  # a done article is decided
        counts = pre_annotate(
            store, schema, open_articles, layers, load_lexicon(ctx.obj["config"].bias_lexicon)
        )
    except (SchemaError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    for (layer, label), count in sorted(counts.items()):
        click.echo(f"{layer:<8} {label:<34} {count:>6}")
    left = f"; {len(done)} done articles left as they are" if done else ""
    click.echo(f"{sum(counts.values())} new suggestion(s) over {len(open_articles)} articles{left}")
    store.close()
