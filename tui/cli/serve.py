"""`hamish serve DIR`: the app in the browsers of a project's members (tui.web.server)."""

from __future__ import annotations

from pathlib import Path

import click

from annotations.team.project import Project, ProjectError
from tui.cli.base import FiniteRange, cli


@cli.command(
    "serve",
    epilog="""\b
Examples:
  hamish serve news/                        on http://127.0.0.1:8000/ (this machine only)
  ssh -L 8000:127.0.0.1:8000 server         then members open their URL on their own machine
  hamish serve news/ --max-sessions 10 --idle-minutes 60""",
)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but this machine needs TLS in front (see README).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--max-sessions",
    default=5,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="At most this many app processes at once; more connections are refused (HTTP 429).",
)
@click.option(
    "--idle-minutes",
    default=30.0,
    show_default=True,
    type=FiniteRange(0.05, 24 * 60),
    help="End a session after this long without typing (its app quits; everything is saved).",
)
@click.option(
    "--public-url",
    default=None,
    help="The https:// address a TLS proxy serves this at (quiets the warning for a non-local --host).",
)
@click.option(
    "--font-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder holding DejaVuSansMono.ttf and DejaVuSans.ttf (default: the usual font folders).",
)
def serve_command(
    folder: Path,
    host: str,
    port: int,
    max_sessions: int,
    idle_minutes: float,
    public_url: str | None,
    font_dir: Path | None,
) -> None:
    """Serve a project to its members' browsers: one app process per browser, each member in their own store,
    known by the secret URL `hamish project add-annotator` printed for them."""
    from tui.web.fonts import FontStack
    from tui.web.server import HamishServer, bind_warning

    try:
        project = Project(folder)
        members = project.members()  # a tampered access.json: refused here, before anyone connects
    except ProjectError as error:
        raise click.ClickException(str(error)) from None
    if not members:
        raise click.ClickException(
            f"{folder}: nobody can sign in yet; add someone with `hamish project add-annotator {folder} NAME`"
        )
    warning = bind_warning(host, public_url)
    if warning:
        click.echo(f"hamish: {warning}", err=True)
    fonts = FontStack.find([font_dir] if font_dir else None)
    if fonts.missing():
        click.echo(
            f"hamish: warning: {', '.join(fonts.missing())} not found; browsers draw Arabic with their "
            f"own fonts (install fonts-dejavu-core, or give --font-dir)",
            err=True,
        )
    HamishServer(
        project, host=host, port=port, max_sessions=max_sessions, idle_minutes=idle_minutes, fonts=fonts
    ).serve()
