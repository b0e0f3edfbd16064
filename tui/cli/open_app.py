"""`hamish [PATH]` / `hamish open`: the app on a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annotations.formats.ingest import read_articles
from annotations.store.config import Config
from annotations.store.paths import config_path
from annotations.store.resources import sample_corpus_dir
from tui.cli.base import SAMPLE_NAME, cli, open_store, run_import, store_options


@cli.command(
    "open",
    epilog="""\b
Examples:
  hamish                      the store; on first run it is filled with the sample corpus
  hamish open news.jsonl      import news.jsonl, then open
  hamish news/ --annotator mona   mona's own store in the project news/ (see `hamish project`)
  hamish --bidi terminal      for Konsole, mlterm, Terminal.app (they reorder Arabic themselves)""",
)
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--bidi",
    type=click.Choice(["app", "terminal"]),
    default="app",
    show_default=True,
    help="app: hamish shapes and reorders; terminal: logical order for terminals that do bidi.",
)
@click.option("--no-shaping", is_flag=True, help="Draw Arabic letters unjoined (isolated forms).")
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Label schema (TOML) instead of the bundled data/schema.toml.",
)
@store_options
@click.pass_context
def open_command(
    ctx: click.Context, path: Path | None, bidi: str, no_shaping: bool, schema_path: Path | None
) -> None:
    """Open the app on the store (after importing PATH, if given). PATH may be a project folder: then the
    store is the annotator's own in it (an adjudicator's is the merged store) and the schema is the project's."""
    from annotations.find.suggestions import load_lexicon
    from annotations.team.project import is_project

    project = None
    if path is not None and is_project(path):
        project, path = path, None
        schema_path = schema_path or project / "schema.toml"
    from annotations.store.schema import SchemaError, load_schema
    from tui.keymap import keymap_clash, reserved_keys

    config: Config = ctx.obj["config"]
    config_keys = dict(config.keys)
    try:
        schema = load_schema(schema_path, lambda schema_keys: reserved_keys({**schema_keys, **config_keys}))
    except SchemaError as error:
        raise click.ClickException(str(error)) from None
    keymap = {**schema.keys, **config_keys}
    try:
        lexicon = load_lexicon(config.bias_lexicon)
    except (OSError, ValueError) as error:
        raise click.ClickException(f"bias lexicon: {error}") from None
    clash = keymap_clash(keymap)
    if clash:
        raise click.ClickException(f"keys ({schema.path} [keys], {config_path()} [keys]): {clash}")
    store = open_project_store(project, ctx.obj["annotator"]) if project else open_store(ctx)
    if path is not None:
        run_import(store, [path], "auto", schema_path, None)
    elif not store.articles():
        store.import_articles(read_articles([sample_corpus_dir()]))
        store.set_corpus_name(SAMPLE_NAME)
    from tui.app import HamishApp  # imported here so sub-commands start fast
    from tui.run import run_app

    app = HamishApp(
        store,
        schema=schema,
        project=project,
        bidi_mode="terminal" if bidi == "terminal" else "app",
        shaping=not no_shaping,
        keymap=keymap,
        lexicon=lexicon,
        recommend=config.recommender,
        min_f1=config.recommender_min_f1,
        train_on_done_only=config.recommender_train_on == "done",
        threshold=config.recommender_threshold,
    )
    explicit = bidi == "app" and sys.__stdout__ is not None and sys.__stdout__.isatty()
    ctx.exit(run_app(app, store, explicit))


def open_project_store(folder: Path, name: str):
    """The member's store in a project: an annotator's own (with new corpus articles added), an adjudicator's
    the merged one (made from every annotator's store the first time, and brought up to date with their new
    work on every later opening, without redoing a decision)."""
    from annotations.store.schema import load_schema
    from annotations.store.store import Store, StoreError
    from annotations.team.merge import merge_stores
    from annotations.team.project import Project, ProjectError

    try:
        project = Project(folder)
        member = project.member(name)
        if member is None or member.role == "annotator":
            return project.open_store(name)
        sources = [
            Store(p, annotator="reader", create=False, writable=False) for p in project.annotator_stores()
        ]
        update = project.adjudicated_path.exists()
        merged = Store(project.adjudicated_path, annotator="merge")
        schema = load_schema(project.schema_path)
        merge_stores(sources, merged, {r.name: not r.directed for r in schema.relations}, update=update)
        merged.close()
        store = Store(project.adjudicated_path, annotator=name)
        project.sync(store)
        return store
    except (ProjectError, StoreError, ValueError) as error:
        raise click.ClickException(str(error)) from None
