"""The `hamish` command: one click group (base.py), one module per command family registering on it."""

from __future__ import annotations

import os
import sys

import click

from tui.collector import make_collections_rare

make_collections_rare(freeze=False)  # first: importing a command's modules makes many objects, none garbage

from annotations.errors import HamishError  # noqa: E402
from tui.cli.base import cli  # noqa: E402  (each command's module is imported when it runs: base.COMMAND_MODULES)

__all__ = ["cli", "main"]


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
    except (
        HamishError
    ) as error:  # a file, a store or a project refused mid-command (full disk, tampered, ...)
        click.echo(f"hamish: error: {error}", err=True)
        sys.exit(1)
    except OSError as error:  # any other file the system refused: one line naming it
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"hamish: error: {where}{error.strerror or error}", err=True)
        sys.exit(1)
