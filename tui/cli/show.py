"""`hamish show`: print an article's visual lines like `cat`, wrapped exactly as the app wraps them."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from annotations.store.model import Problem
from annotations.text.layout import Layout
from tui.cli.base import cli
from tui.collector import make_collections_rare

MAX_WIDTH = 2000
"""The widest line `show` lays out (a terminal is rarely 400 cells; a wider number is a typo)."""


def render_lines(text: str, width: int, mode: str = "app", shaping: bool = True) -> Iterator[str]:
    """One string per visual line, as they are laid out (the first is printed before the last paragraph is
    wrapped). App mode: shaped, reordered, right-aligned; terminal mode: logical order."""
    layout = Layout(text, width, mode=mode, shaping=shaping)  # type: ignore[arg-type]
    for line in layout.lines:
        if mode == "app":
            drawn = " " * line.indent + line.text
        else:
            drawn = text[line.start : line.end].replace("\n", "")
        yield drawn.rstrip()


@cli.command(
    "show",
    epilog="""\b
Examples:
  hamish show data/sample/000_bd41f7afd87b55b5.txt --width 60
  hamish show news.jsonl --id 42 --bidi terminal | less""",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "article_id", default=None, help="Which article of a .jsonl file (default: the first).")
@click.option(
    "--width",
    type=click.IntRange(min=10, max=MAX_WIDTH),
    default=None,
    help=f"Line width in cells, 10 to {MAX_WIDTH} (default: the terminal's width).",
)
@click.option(
    "--bidi",
    type=click.Choice(["app", "terminal"]),
    default="app",
    show_default=True,
    help="app: shaped and reordered here; terminal: the same line breaks in logical order, unshaped.",
)
@click.option("--no-shaping", is_flag=True, help="Do not join Arabic letters.")
def show_command(path: Path, article_id: str | None, width: int | None, bidi: str, no_shaping: bool) -> None:
    """Print an article's lines to stdout, one output line per visual line."""
    from annotations.formats.importers import read  # every format import reads (loaded when used)

    chosen = None
    said = False
    for item in read([path]):
        if isinstance(item, Problem):
            click.echo(f"hamish: {item}", err=True)
            said = True
            continue
        article = item.source.article
        if article_id is None or article.id == article_id:
            chosen = article
            break
    if chosen is None and said and article_id is None:
        sys.exit(1)  # what was wrong is said above, in one line per problem
    if chosen is None:
        raise click.ClickException(f"{path}: no article" + (f" with id '{article_id}'" if article_id else ""))
    width = min(width or shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH)
    make_collections_rare(freeze=False)  # no freeze: a test run calls this command in its own process
    # The first line at once (a pager shows it while the rest is laid out), then in blocks of ~64 KB: with
    # PYTHONUNBUFFERED (or a write-through stdout) a write per line is a system call per line.
    pending: list[str] = []
    size = 0
    for number, line in enumerate(render_lines(chosen.text, width, bidi, not no_shaping)):
        pending.append(line)
        size += len(line) + 1
        if number == 0 or size > 65_536:
            sys.stdout.write("\n".join(pending) + "\n")
            sys.stdout.flush()
            pending, size = [], 0
    if pending:
        sys.stdout.write("\n".join(pending) + "\n")
