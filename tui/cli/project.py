"""`hamish project ...`: a folder a team annotates, one store per annotator (annotations.team.project)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from annotations.store.model import Problem
from annotations.store.store import Store, StoreError
from annotations.team.project import Project, ProjectError
from tui.cli.base import cli, one_line_errors, run_import
from tui.reports import progress_table

DEFAULT_URL = "http://127.0.0.1:8000"


def load_project(folder: Path) -> Project:
    with one_line_errors(ProjectError):
        return Project(folder)


@cli.group(
    "project",
    epilog="""\b
Examples:
  hamish project init news/ articles.jsonl       a project whose corpus is articles.jsonl
  hamish project add-annotator news/ mona        mona's store, and the URL she opens
  hamish project add-annotator news/ lead --adjudicator
  hamish project status news/                    who has done how much
  hamish news/ --annotator mona                  mona works in a terminal instead
  hamish serve news/                             everyone else works in a browser""",
)
def project_group() -> None:
    """A folder a team annotates: the corpus, the schema, and one store per annotator, so that annotators never
    see or block each other."""


@project_group.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--name", default=None, help="The corpus name shown in the header (default: the folder's name)."
)
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Label schema (TOML) for the project (default: the bundled one).",
)
def init_command(folder: Path, files: tuple[Path, ...], name: str | None, schema_path: Path | None) -> None:
    """Make a project in FOLDER (new or empty), importing FILES as its corpus."""
    refuse_annotations(folder, files)
    try:
        project = Project.init(folder, name, schema_path)
    except (ProjectError, OSError) as error:
        raise click.ClickException(str(error)) from None
    if files:
        add_to_corpus(project, files)
    click.echo(f"project '{project.name}' in {folder}; next: hamish project add-annotator {folder} NAME")


@project_group.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def import_command(folder: Path, files: tuple[Path, ...]) -> None:
    """Add FILES' articles to the corpus; every annotator gets them the next time they open the project."""
    refuse_annotations(folder, files)
    add_to_corpus(load_project(folder), files)


def refuse_annotations(folder: Path, files: tuple[Path, ...]) -> None:
    """A project's corpus holds articles, which every annotator gets; annotations belong to an annotator. A
    file that carries them is refused (before anything is made), rather than imported with its annotations
    counted and then seen by nobody."""
    from annotations.formats.importers import read

    for path in files:
        spans = stances = 0
        for record in read([path]):
            if not isinstance(record, Problem):
                spans, stances = spans + len(record.spans), stances + len(record.stances)
        if spans or stances:
            raise click.ClickException(
                f"{path}: carries annotations ({spans} spans, {stances} stances), and a project's corpus holds "
                f"articles only; import the articles here, and the annotations into their annotator's store: "
                f"hamish --store {folder / 'annotators' / 'NAME.json'} import {path}"
            )


def add_to_corpus(project: Project, files: tuple[Path, ...]) -> None:
    try:
        corpus = Store(project.corpus_path, annotator="corpus")
    except StoreError as error:
        raise click.ClickException(str(error)) from None
    report = run_import(corpus, list(files), "auto", project.schema_path, None)
    corpus.close()
    if report.problems:
        raise click.exceptions.Exit(1)


@project_group.command("add-annotator")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("name")
@click.option(
    "--adjudicator",
    is_flag=True,
    help="May open the merged store (adjudicated.json), not a store of their own.",
)
@click.option(
    "--new-token", is_flag=True, help="Replace an existing member's token (the old URL stops working)."
)
@click.option(
    "--url",
    "base_url",
    default=DEFAULT_URL,
    show_default=True,
    help="The address `hamish serve` is reached at, for the printed URL.",
)
def add_annotator_command(folder: Path, name: str, adjudicator: bool, new_token: bool, base_url: str) -> None:
    """Add NAME to the project and print the secret URL they open (shown once: hamish keeps only its hash)."""
    project = load_project(folder)
    try:
        token = project.add_member(name, "adjudicator" if adjudicator else "annotator", new_token)
    except (ProjectError, StoreError) as error:
        raise click.ClickException(str(error)) from None
    member = project.member(name)
    role = member.role if member else "annotator"
    click.echo(f"{name} ({role}) in {folder}. Their URL (keep it secret; it is their identity):", err=True)
    click.echo(f"{base_url.rstrip('/')}/?token={token}")
    if role == "annotator":
        click.echo(f"In a terminal: hamish {folder} --annotator {name}", err=True)


@project_group.command("status")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def status_command(folder: Path) -> None:
    """Per annotator: articles done, spans and stances, and their last change."""
    Console().print(progress_table(load_project(folder)))
