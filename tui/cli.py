"""The `hamish` command. `hamish [PATH]` opens the app; sub-commands do the rest without a screen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from annotations import __version__
from annotations.importers import FORMATS as IMPORT_FORMATS
from annotations.ingest import read_articles
from annotations.paths import annotator_name, config_path, load_config, store_path
from annotations.resources import data_dir, sample_corpus_dir
from annotations.store import Store, StoreError

COMMANDS_HELP = """\
\b
Examples:
  hamish                          open the store (the sample corpus on first run)
  hamish articles.jsonl           import, then open
  hamish import corpus/ more.txt  import without opening
  hamish show article.txt --width 60
  hamish locate                   where the store and config live
"""


class HamishGroup(click.Group):
    """`hamish [OPTIONS] [PATH]` means `hamish open [PATH]`: a first word that is no command is a path."""

    GROUP_OPTIONS_WITH_VALUE = {"--store", "--annotator"}

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        i = 0
        while i < len(args):
            arg = args[i]
            if arg in ("--help", "-h", "--version"):
                return super().parse_args(ctx, args)
            if arg in self.GROUP_OPTIONS_WITH_VALUE:
                i += 2
                continue
            if arg.startswith("--") and "=" in arg and arg.split("=")[0] in self.GROUP_OPTIONS_WITH_VALUE:
                i += 1
                continue
            break
        if i < len(args) and args[i] not in self.commands and args[i].startswith("-"):
            # A command's own option written before the command (`hamish --schema s.toml import x`): the
            # command comes first, as click expects, and its option follows it.
            later = next((j for j in range(i + 1, len(args)) if args[j] in self.commands), None)
            if later is not None:
                args.insert(i, args.pop(later))
        if i >= len(args) or args[i] not in self.commands:
            args.insert(i, "open")
        return super().parse_args(ctx, args)


def open_store(ctx: click.Context, writable: bool = True) -> Store:
    """The store of --store / $HAMISH_STORE. Commands that only read pass writable=False: they never create,
    change or compact a store (so a typo in --store is an error, not a new empty store)."""
    try:
        return Store(ctx.obj["store"], annotator=ctx.obj["annotator"], create=writable, writable=writable)
    except StoreError as error:
        raise click.ClickException(str(error)) from None


@click.group(cls=HamishGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=COMMANDS_HELP)
@click.version_option(__version__, "--version", prog_name="hamish")
@click.option("--store", "store", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store file (default: $HAMISH_STORE, else the platform data folder; see `hamish locate`).")
@click.option("--annotator", default=None, help="Name recorded on every annotation (default: $HAMISH_ANNOTATOR, "
              "the config file's `annotator`, else your user name).")
@click.pass_context
def cli(ctx: click.Context, store: Path | None, annotator: str | None) -> None:
    """hamish (هامش): read and annotate Arabic news articles in the terminal."""
    try:
        config = load_config()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    ctx.obj = {"store": store_path(store), "annotator": annotator_name(annotator, config), "config": config}


@cli.command("open", epilog="""\b
Examples:
  hamish                      the store; on first run it is filled with the sample corpus
  hamish open news.jsonl      import news.jsonl, then open
  hamish --bidi terminal      for Konsole, mlterm, Terminal.app (they reorder Arabic themselves)""")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--bidi", type=click.Choice(["app", "terminal"]), default="app", show_default=True,
              help="app: hamish shapes and reorders; terminal: logical order for terminals that do bidi.")
@click.option("--no-shaping", is_flag=True, help="Draw Arabic letters unjoined (isolated forms).")
@click.option("--schema", "schema_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Label schema (TOML) instead of the bundled data/schema.toml.")
@click.pass_context
def open_command(ctx: click.Context, path: Path | None, bidi: str, no_shaping: bool,
                 schema_path: Path | None) -> None:
    """Open the app on the store (after importing PATH, if given)."""
    from annotations.schema import SchemaError, load_schema
    from annotations.suggestions import load_lexicon
    from tui.keymap import keymap_clash, reserved_keys

    config_keys = dict(ctx.obj["config"].get("keys") or {})
    try:
        schema = load_schema(schema_path, lambda schema_keys: reserved_keys({**schema_keys, **config_keys}))
    except SchemaError as error:
        raise click.ClickException(str(error)) from None
    keymap = {**schema.keys, **config_keys}
    try:
        lexicon = load_lexicon(ctx.obj["config"].get("bias_lexicon"))
    except (OSError, ValueError) as error:
        raise click.ClickException(f"bias lexicon: {error}") from None
    clash = keymap_clash(keymap)
    if clash:
        raise click.ClickException(f"keys ({schema.path} [keys], {config_path()} [keys]): {clash}")
    store = open_store(ctx)
    if path is not None:
        run_import(store, [path], "auto", schema_path, None)
    elif not store.articles():
        store.import_articles(read_articles([sample_corpus_dir()]))
        store.set_corpus_name("sample corpus")
    from tui.app import HamishApp  # imported here so sub-commands start fast
    from tui.run import run_app

    app = HamishApp(store, schema=schema, bidi_mode=bidi, shaping=not no_shaping, keymap=keymap, lexicon=lexicon)
    explicit = bidi == "app" and sys.__stdout__ is not None and sys.__stdout__.isatty()
    ctx.exit(run_app(app, store, explicit))


@cli.command("import", epilog="""\b
Examples:
  hamish import article.txt            title = first non-empty line
  hamish import corpus/                every .txt and .jsonl below, sorted
  hamish import news.jsonl             one {"text", "id"?, "title"?, "url"?, "meta"?} per line
  hamish import export.jsonl           hamish's native export (round-trips byte for byte)
  hamish import doccano.jsonl tasks.json ArMPro_span_dev_V2.jsonl
  hamish import gold.txt --format conll --label-map data/label-maps/newsfane.toml""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), default="auto", show_default=True,
              help="auto: from the file's name and first lines.")
@click.option("--label-map", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="TOML [map] of their labels to the schema's (e.g. fine-grained NER classes to PER/ORG/...).")
@click.option("--schema", "schema_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Label schema the labels are checked against.")
@click.pass_context
def import_command(ctx: click.Context, paths: tuple[Path, ...], fmt: str, label_map: Path | None,
                   schema_path: Path | None) -> None:
    """Import articles, or annotated files (native, doccano, Label Studio, ArMPro, CoNLL BIO). A bad record is
    reported with file and line and skipped; a bad span or stance is reported and left out, the rest of its
    record imported. Exit 1 if anything was left out."""
    store = open_store(ctx)
    report = run_import(store, list(paths), fmt, schema_path, label_map)
    store.close()
    ctx.exit(0 if not report.problems and not report.skipped else 1)


@cli.command("locate", epilog="\b\nExamples:\n  hamish locate\n  hamish --store team.json locate")
@click.pass_context
def locate_command(ctx: click.Context) -> None:
    """Print where the store, its journal and lock, the config file and the bundled data are."""
    store = Path(ctx.obj["store"])
    rows = [("store", store), ("journal", store.with_name(store.name + ".journal")),
            ("lock", store.with_name(store.name + ".lock")), ("config", config_path()),
            ("data", data_dir()), ("sample corpus", sample_corpus_dir())]
    for name, path in rows:
        click.echo(f"{name:<14}{path}")
    click.echo(f"{'annotator':<14}{ctx.obj['annotator']}")


@cli.command("check", epilog="""\b
Examples:
  hamish check
  hamish --store team.json check && echo clean""")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Verify the store: every annotation's text equals the article text at its offsets, no duplicates, no
    annotations of missing articles. Prints a summary; exit 1 when anything is wrong."""
    from annotations.check import check_store

    report = check_store(open_store(ctx, writable=False))
    for problem in report.problems:
        click.echo(f"problem: {problem}")
    click.echo(f"{ctx.obj['store']}: {report.articles} articles, {report.spans} spans, {report.stances} stances; "
               f"{len(report.problems)} problem(s)")
    ctx.exit(0 if report.ok else 1)


@cli.command("suggest", epilog="""\b
Examples:
  hamish suggest                 gazetteer of your entities + the bias lexicon, over every article
  hamish suggest --layer bias    only the bias lexicon
  HAMISH_BIAS_LEXICON=mine.txt hamish suggest""")
@click.option("--layer", "layers", multiple=True, help="Only these layers (repeat the option).")
@click.pass_context
def suggest_command(ctx: click.Context, layers: tuple[str, ...]) -> None:
    """Pre-annotate the whole store: suggestions (shown dimmed in the app, y/r/Y to accept or reject) from the
    gazetteer of your accepted entities and from the bias lexicon. Prints counts per layer and label."""
    from annotations.schema import SchemaError, load_schema
    from annotations.suggestions import load_lexicon, pre_annotate
    from tui.transfer import check_layers

    store = open_store(ctx)
    try:
        schema = load_schema()
        check_layers(layers, {layer.name for layer in schema.span_layers})
        counts = pre_annotate(store, schema, store.articles(), layers,
                              load_lexicon(ctx.obj["config"].get("bias_lexicon")))
    except (SchemaError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    for (layer, label), count in sorted(counts.items()):
        click.echo(f"{layer:<8} {label:<34} {count:>6}")
    click.echo(f"{sum(counts.values())} new suggestion(s) over {len(store.articles())} articles")
    store.close()


from tui.show import show_command  # noqa: E402  (registers `hamish show`)
from tui.team import agree_command, merge_command, stats_command  # noqa: E402
from tui.transfer import export_command, run_import  # noqa: E402

for command in (show_command, export_command, agree_command, merge_command, stats_command):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors are one line on stderr with exit status 2."""
    try:
        code = cli.main(args=argv, prog_name="hamish", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.UsageError as error:
        hint = f" (try '{error.ctx.command_path} --help')" if error.ctx else ""
        click.echo(f"hamish: error: {error.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as error:
        click.echo(f"hamish: error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.Abort:
        sys.exit(1)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)

