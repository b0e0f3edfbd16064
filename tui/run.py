"""Running the app in a real terminal: explicit bidi mode around it, a clean exit on SIGTERM/SIGHUP/SIGINT
(128 + the signal), and a crash log with one line on the terminal instead of a traceback."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
import traceback
from datetime import datetime
from pathlib import Path

import click

from annotations.learn.process import stop_training
from annotations.store.paths import crash_log_dir
from annotations.store.store import Store, StoreError
from tui.collector import make_collections_rare
from tui.terminal import EXPLICIT_MODE, IMPLICIT_MODE

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
CRASH_EXIT = 70  # EX_SOFTWARE


def write_crash_log(error: BaseException) -> Path:
    """The traceback, in a file of its own; returns its path."""
    folder = crash_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.log"
    path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    return path


def _write_terminal(sequence: str) -> None:
    # After SIGHUP the terminal may be gone; there is nobody left to tell.
    if sys.__stdout__ is None:
        return
    try:
        sys.__stdout__.write(sequence)
        sys.__stdout__.flush()
    except (OSError, ValueError):
        return


def run_app(app, store: Store, explicit_bidi: bool) -> int:
    """Run `app` on the terminal; returns its exit status. The store is closed (compacted) whatever happens;
    every change was already durable when it was acknowledged, so a failed close loses nothing."""
    app.exit_on_signals = EXIT_SIGNALS
    make_collections_rare()
    if explicit_bidi:
        _write_terminal(EXPLICIT_MODE)
    try:
        app.run()
    finally:
        if explicit_bidi:
            _write_terminal(IMPLICIT_MODE)
        stop_training()
        try:
            store.close()
        except StoreError as error:  # a full disk, a store deleted while open: said, never a traceback
            click.echo(f"hamish: warning: {error}", err=True)
            end_lingering_threads(app.return_code or 1)
            return app.return_code or 1
    end_lingering_threads(app.return_code or 0)
    return app.return_code or 0


LINGER_S = 1.0


def end_lingering_threads(code: int) -> None:
    """The store is closed and the app has ended: a thread still running now would keep the process alive
    with nobody to serve (Textual's input thread spinning on a terminal that was closed under it, a worker
    waiting on something gone). After a second, the process exits with `code` all the same."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    deadline = time.monotonic() + LINGER_S
    for thread in others:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in others):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        os._exit(code)
