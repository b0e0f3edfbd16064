"""`hamish export` and the annotated-file side of `hamish import`."""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import click

from annotations.exporters import FORMATS as EXPORT_FORMATS
from annotations.exporters import ExportError, ExportOptions, export, selected
from annotations.importers import read
from annotations.importing import AnnotationImportReport, import_records
from annotations.schema import SchemaError, load_schema
from tui.progress import progress


def check_layers(asked: tuple[str, ...], known: set[str]) -> None:
    """--layer names a layer of the schema or of the store; a typo is an error, not an empty result."""
    unknown = [layer for layer in asked if layer not in known]
    if unknown:
        raise click.UsageError(f"unknown layer '{unknown[0]}' (the layers are {', '.join(sorted(known))})")


def estimate_records(paths: list[Path]) -> int:
    """Roughly how many records the files hold (for the progress bar): non-blank lines, or sentences."""
    total = 0
    for path in paths:
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        for file in files:
            try:
                with open(file, "rb") as handle:
                    total += sum(1 for line in handle if line.strip() or file.suffix != ".jsonl")
            except OSError:
                continue
    return total


def load_label_map(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: not a label map: {error}") from None
    mapping = raw.get("map")
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise click.ClickException(f"{path}: a label map needs a [map] table of \"theirs\" = \"ours\"")
    return mapping


def run_import(store, paths: list[Path], fmt: str, schema_path: Path | None, label_map: Path | None
               ) -> AnnotationImportReport:
    try:
        schema = load_schema(schema_path)
    except SchemaError as error:
        raise click.ClickException(str(error)) from None
    records = progress(read(paths, fmt), estimate_records(paths), "importing")
    report = import_records(store, records, schema, load_label_map(label_map))
    for problem in report.problems:
        click.echo(f"hamish: {problem}", err=True)
    for warning in report.warnings:
        click.echo(f"hamish: warning: {warning}", err=True)
    click.echo(f"imported {report.articles_added} new articles ({report.articles_known} already stored), "
               f"{report.spans_added} spans ({report.spans_known} already stored), {report.stances} stances; "
               f"{len(report.problems)} records skipped, {report.skipped} spans/stances skipped, "
               f"{len(report.warnings)} warnings", err=True)
    return report


@click.command("export", epilog="""\b
Examples:
  hamish export > corpus.jsonl                      native JSONL (round-trips through import)
  hamish export --format doccano --layer entity --out ner.jsonl
  hamish export --format conll --layer entity --done-only --skip-noise > train.conll
  hamish export --format labelstudio --out tasks.json""")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="native", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default, or -: standard output).")
@click.option("--layer", "layers", multiple=True, help="Only these layers (repeat the option); CoNLL takes one.")
@click.option("--done-only", is_flag=True, help="Only articles marked done.")
@click.option("--annotator", "annotator", default=None, help="Only this annotator's annotations.")
@click.option("--skip-noise", is_flag=True, help="Leave scrape-noise lines out of the text (offsets follow).")
@click.pass_context
def export_command(ctx: click.Context, fmt: str, out: Path | None, layers: tuple[str, ...], done_only: bool,
                   annotator: str | None, skip_noise: bool) -> None:
    """Export annotations: every span is checked against its article before anything is written."""
    from tui.cli import open_store

    store = open_store(ctx, writable=False)
    check_layers(layers, store.layer_names() | {layer.name for layer in load_schema().span_layers})
    options = ExportOptions(fmt, layers, done_only, annotator, skip_noise)
    try:
        pieces = export(store, options)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    total = sum(1 for _ in selected(store, options))
    to_file = out is not None and str(out) != "-"
    temp = out.with_name(out.name + ".partial") if to_file else None
    try:
        with (open(temp, "w", encoding="utf-8", newline="\n") if to_file else _stdout()) as handle:
            for piece in progress(pieces, total, f"exporting {fmt}"):
                handle.write(piece)
    except ExportError as error:
        if temp and temp.exists():
            temp.unlink()
        raise click.ClickException(str(error)) from None
    if temp:
        os.replace(temp, out)
    for warning in options.warnings:
        click.echo(f"hamish: warning: {warning}", err=True)


class _stdout:
    """sys.stdout as a context manager that is not closed afterwards."""

    def __enter__(self):
        return sys.stdout

    def __exit__(self, *exc) -> None:
        sys.stdout.flush()

