"""The `hamish` click group, and what several commands share: opening the store, importing files, checking
--layer. Command modules register on `cli` and import nothing from each other (an import-linter contract)."""

from __future__ import annotations

import importlib
import math
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from annotations import __version__
from annotations.store.config import load_config
from annotations.store.files import InputError, read_text
from annotations.store.paths import annotator_name, store_path
from annotations.store.schema import SchemaError, load_schema
from annotations.store.store import Store, StoreError

if TYPE_CHECKING:
    from annotations.formats.importing import AnnotationImportReport

COMMANDS_HELP = """\
\b
Examples:
  hamish                          open the store (the sample corpus on first run)
  hamish articles.jsonl           import, then open
  hamish import corpus/ more.txt  import without opening
  hamish show article.txt --width 60
  hamish locate                   where the store and config live
"""


COMMAND_MODULES = {
    "open": "open_app",
    "import": "transfer",
    "export": "transfer",
    "show": "show",
    "locate": "store_commands",
    "name": "store_commands",
    "check": "store_commands",
    "suggest": "store_commands",
    "agree": "team",
    "merge": "team",
    "stats": "team",
    "train": "learn",
    "evaluate": "learn",
    "project": "project",
    "serve": "serve",
}
"""Each command and the module of tui/cli that defines it: a command's module is imported when the command
runs (or help lists it), so `hamish show` does not load the recommender, the exporters and the team tools."""


class HamishGroup(click.Group):
    """`hamish [OPTIONS] [PATH]` means `hamish open [PATH]`: a first word that is no command is a path."""

    @property
    def names(self) -> set[str]:
        return set(COMMAND_MODULES) | set(self.commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"tui.cli.{module}")  # its decorators register its commands on `cli`
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """click's hook for the word that names the command. No word, or a first word that is no command,
        is `open` with every word (`hamish`, `hamish news/`, `hamish --bidi terminal`); a command's own
        option written before it (`hamish --schema s.toml import x`) goes to that command."""
        names = self.names
        if args and args[0] in names:
            return super().resolve_command(ctx, args)
        if args and args[0].startswith("-") and args[0] not in ("--help", "-h"):
            later = next((j for j in range(1, len(args)) if args[j] in names), None)
            if later is not None:
                return super().resolve_command(ctx, [args[later], *args[:later], *args[later + 1 :]])
        return super().resolve_command(ctx, ["open", *args])


def _store_option(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.obj["store"] = store_path(value)


def _annotator_option(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.obj["annotator"] = annotator_name(value, ctx.obj["config"].annotator)


def store_options(command: Any) -> Any:
    """--store and --annotator written after the command's words (`hamish news/ --annotator mona`) mean what
    they mean before them."""
    command = click.option(
        "--annotator",
        default=None,
        expose_value=False,
        callback=_annotator_option,
        help="As before the command.",
    )(command)
    return click.option(
        "--store",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        expose_value=False,
        callback=_store_option,
        help="As before the command.",
    )(command)


@contextmanager
def one_line_errors(*kinds: type[Exception]) -> Iterator[None]:
    """These errors are the user's to fix: one line (`hamish: error: ...`), exit 1, no traceback."""
    try:
        yield
    except kinds as error:
        raise click.ClickException(str(error)) from None


def open_store(ctx: click.Context, writable: bool = True) -> Store:
    """The store of --store / $HAMISH_STORE. Commands that only read pass writable=False: they never create,
    change or compact a store (so a typo in --store is an error, not a new empty store)."""
    try:
        return Store(ctx.obj["store"], annotator=ctx.obj["annotator"], create=writable, writable=writable)
    except StoreError as error:
        raise click.ClickException(str(error)) from None


@click.group(
    cls=HamishGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": True},
    epilog=COMMANDS_HELP,
)
@click.version_option(__version__, "--version", prog_name="hamish")
@click.option(
    "--store",
    "store",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Store file (default: $HAMISH_STORE, else the platform data folder; see `hamish locate`).",
)
@click.option(
    "--annotator",
    default=None,
    help="Name recorded on every annotation (default: $HAMISH_ANNOTATOR, "
    "the config file's `annotator`, else your user name).",
)
@click.pass_context
def cli(ctx: click.Context, store: Path | None, annotator: str | None) -> None:
    """hamish (هامش): read and annotate Arabic news articles in the terminal."""
    try:
        config = load_config()
        if os.environ.get(
            "HAMISH_NOISE_PATTERNS"
        ):  # the user's patterns: checked before any command uses them
            from annotations.find.noise import default_rules

            default_rules()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    ctx.obj = {
        "store": store_path(store),
        "annotator": annotator_name(annotator, config.annotator),
        "config": config,
    }
    if ctx.invoked_subcommand is None:  # `hamish` alone opens the store
        command = ctx.command.get_command(ctx, "open") if isinstance(ctx.command, click.Group) else None
        if command is not None:
            ctx.invoke(command)


class FiniteRange(click.FloatRange):
    """click's FloatRange, which lets nan through (every comparison with it is false): a number in range."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


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
            if not file.is_file():
                continue  # a FIFO or a device is refused by the reader, never opened here
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
        raw = tomllib.loads(read_text(path, what="label map"))
    except InputError as error:
        raise click.ClickException(str(error)) from None
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise click.ClickException(f"{path}: not a label map: {error}") from None
    mapping = raw.get("map")
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise click.ClickException(f'{path}: a label map needs a [map] table of "theirs" = "ours"')
    return mapping


SAMPLE_NAME = "sample corpus"
"""The name a store gets when `hamish` fills it with the bundled sample."""


def run_import(
    store,
    paths: list[Path],
    fmt: str,
    schema_path: Path | None,
    label_map: Path | None,
    conll_articles: str = "docstart",
) -> AnnotationImportReport:
    try:
        schema = load_schema(schema_path)
    except SchemaError as error:
        raise click.ClickException(str(error)) from None
    from annotations.formats.importers import read  # what only imports need is loaded by them
    from annotations.formats.importing import import_records
    from tui.progress import progress

    records = progress(read(paths, fmt, conll_articles), estimate_records(paths), "importing")
    report = import_records(store, records, schema, load_label_map(label_map))
    if report.articles_added and store.corpus_name in (SAMPLE_NAME, store.path.stem) and paths:
        # Named after what was imported, unless the user named it (hamish name): the header must never go on
        # saying "sample corpus" once the user's own articles are in.
        store.set_corpus_name(Path(paths[0]).stem if len(paths) == 1 else f"{Path(paths[0]).stem} and more")
    for problem in report.problems:
        click.echo(f"hamish: {problem}", err=True)
    for warning in report.warnings:
        click.echo(f"hamish: warning: {warning}", err=True)
    click.echo(
        f"imported {report.articles_added} new articles ({report.articles_known} already stored), "
        f"{report.spans_added} spans ({report.spans_known} already stored), {report.stances} stances, "
        f"{report.relations} links; "
        f"{len(report.problems)} records skipped, {report.skipped} spans/stances skipped, "
        f"{len(report.warnings)} warnings",
        err=True,
    )
    return report
