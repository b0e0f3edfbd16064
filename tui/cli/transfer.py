"""`hamish import` and `hamish export`."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from annotations.formats.brat import brat_files
from annotations.formats.conll import CONLL_ARTICLES
from annotations.formats.exporters import FORMATS as EXPORT_FORMATS
from annotations.formats.exporters import (
    ExportError,
    ExportOptions,
    checked,
    export,
    without_noise,
)
from annotations.formats.importers import FORMATS as IMPORT_FORMATS
from annotations.formats.labelstudio_export import labelstudio_config
from annotations.store.files import OutputError, output_target, text_output, umask
from annotations.store.schema import SchemaError, load_schema
from tui.cli.base import check_layers, cli, open_store, run_import
from tui.progress import progress


@cli.command(
    "import",
    epilog="""\b
Examples:
  hamish import article.txt            title = first non-empty line
  hamish import corpus/                every .txt and .jsonl below, sorted
  hamish import news.jsonl             one {"text", "id"?, "title"?, "url"?, "meta"?} per line
  hamish import export.jsonl           hamish's native export (round-trips byte for byte)
  hamish import doccano.jsonl tasks.json ArMPro_span_dev_V2.jsonl
  hamish import gold.txt --format conll --label-map data/label-maps/newsfane.toml
  hamish import project.conll --conll-articles block   Label Studio's CONLL2003: an article per task""",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    default="auto",
    show_default=True,
    help="auto: from the file's name and first lines.",
)
@click.option(
    "--label-map",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML [map] of their labels to the schema's (e.g. fine-grained NER classes to PER/ORG/...).",
)
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Label schema the labels are checked against.",
)
@click.option(
    "--conll-articles",
    type=click.Choice(CONLL_ARTICLES),
    default="docstart",
    show_default=True,
    help="CoNLL: an article is a -DOCSTART- document, or each blank-line block (Label Studio's CONLL2003 "
    "export: one -DOCSTART- for the project, a block per task).",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str,
    label_map: Path | None,
    schema_path: Path | None,
    conll_articles: str,
) -> None:
    """Import articles, or annotated files (native, doccano, Label Studio, ArMPro, CoNLL BIO). A bad record is
    reported with file and line and skipped; a bad span or stance is reported and left out, the rest of its
    record imported. Exit 1 if anything was left out."""
    store = open_store(ctx)
    report = run_import(store, list(paths), fmt, schema_path, label_map, conll_articles)
    store.close()
    ctx.exit(0 if not report.problems and not report.skipped else 1)


@cli.command(
    "export",
    epilog="""\b
Examples:
  hamish export > corpus.jsonl                      native JSONL (round-trips through import)
  hamish export --format doccano --layer entity --out ner.jsonl
  hamish export --format conll --layer entity --done-only --skip-noise > train.conll
  hamish export --format labelstudio --out tasks.json --config config.xml
  hamish export --format brat --out corpus-brat/     a .txt and .ann per article, annotation.conf""",
)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="native", show_default=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (default, or -: standard output); for brat a new folder.",
)
@click.option(
    "--layer", "layers", multiple=True, help="Only these layers (repeat the option); CoNLL takes one."
)
@click.option("--done-only", is_flag=True, help="Only articles marked done.")
@click.option("--annotator", "annotator", default=None, help="Only this annotator's annotations.")
@click.option("--skip-noise", is_flag=True, help="Leave scrape-noise lines out of the text (offsets follow).")
@click.option(
    "--config",
    "config_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="labelstudio: also write the labeling config (XML) that matches the file, for a new project.",
)
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Label schema (for --config and --layer); default data/schema.toml.",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str,
    out: Path | None,
    layers: tuple[str, ...],
    done_only: bool,
    annotator: str | None,
    skip_noise: bool,
    config_out: Path | None,
    schema_path: Path | None,
) -> None:
    """Export annotations: every span is checked against its article before anything is written. What the
    format cannot hold (overlaps in CoNLL, notes, stances) is said once on stderr, with how many."""
    if config_out is not None and fmt != "labelstudio":
        raise click.UsageError("--config goes with --format labelstudio")
    try:
        schema = load_schema(schema_path)
    except SchemaError as error:
        raise click.ClickException(str(error)) from None
    store = open_store(ctx, writable=False)
    check_layers(layers, store.layer_names() | {layer.name for layer in schema.span_layers})
    options = ExportOptions(fmt, layers, done_only, annotator, skip_noise)
    options.symmetric = {r.name: not r.directed for r in schema.relations}
    if fmt == "brat":
        write_brat(store, options, schema, out)
        say_left_out(fmt, options)
        return
    try:
        if config_out is not None:
            output_target(config_out)  # a config that cannot be written is said before the export is
        pieces = export(store, options)
        # A file is replaced whole once written (through a link: its target); a FIFO, a character device or
        # standard output is streamed into. A failure leaves no partial file.
        with text_output(out) as handle:
            for piece in progress(pieces, options.total, f"exporting {fmt}"):
                handle.write(piece)
        if config_out is not None:
            with text_output(config_out) as handle:
                handle.write(labelstudio_config(schema, options))
    except (ExportError, OutputError) as error:
        raise click.ClickException(str(error)) from None
    say_left_out(fmt, options)


def say_left_out(fmt: str, options: ExportOptions) -> None:
    for warning in options.warnings:
        click.echo(f"hamish: warning: {warning}", err=True)
    for what, count in options.left_out.items():
        if count:
            click.echo(f"hamish: note: the {fmt} format cannot hold {what}: {count} left out", err=True)
    for what, count in options.changed.items():
        if count:
            click.echo(f"hamish: note: {fmt}: {what}: {count}", err=True)


def write_brat(store, options: ExportOptions, schema, out: Path | None) -> None:
    """brat is a folder: written in a new hidden folder beside it, renamed to DIR once complete (a failure
    removes only that folder of our own)."""
    if out is None or str(out) == "-":
        raise click.UsageError("--format brat writes a folder: give --out DIR")
    if out.exists() or out.is_symlink():
        raise click.UsageError(f"{out} exists: give a new folder for the brat files")
    if not out.parent.is_dir():
        raise click.ClickException(f"{out}: the folder {out.parent} does not exist; nothing was written")
    try:
        items = checked(store, options)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    if options.skip_noise:
        items = [without_noise(item, options.warnings) for item in items]
    try:
        partial = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))
    except OSError as error:
        raise click.ClickException(f"{out}: cannot be written ({error.strerror})") from None
    try:
        for name, content in brat_files(items, options, schema):
            (partial / name).write_text(content, encoding="utf-8", newline="\n")
        os.chmod(partial, 0o777 & ~umask())
        os.rename(partial, out)  # never over a folder someone made meanwhile: rename refuses a full one
    except (OSError, ExportError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise click.ClickException(f"{out}: not written ({reason})") from None
