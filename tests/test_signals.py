"""The app in a real pseudo-terminal: SIGTERM, SIGHUP and SIGINT end it cleanly (terminal restored, store
closed, exit 128 + signal), and an unexpected exception leaves one line and a crash log, never a traceback."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from annotations.store.store import Store
from tests.pty_app import PtyApp, wait_until

LEAVE_ALT_SCREEN = "\x1b[?1049l"
MOUSE_OFF = "\x1b[?1000l"
IMPLICIT_BIDI = "\x1b[8h"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_ends_the_app_cleanly(signum: int, sample_store: Store, store_path: Path) -> None:
    sample_store.close()
    app = PtyApp("--store", str(store_path)).ready()
    try:
        app.press("w", "1")
        wait_until(lambda: "saved ✓" in app.text(), what="the tag saved")
        drawn = len(app.output)
        app.process.send_signal(signum)
        assert app.wait_exit() == 128 + signum
    finally:
        app.close()
    after = app.output[drawn:].decode("utf-8", "replace")
    for sequence in (LEAVE_ALT_SCREEN, MOUSE_OFF, IMPLICIT_BIDI):
        assert sequence in after, f"{sequence!r} was not written back"
    assert "Traceback" not in after
    journal = store_path.with_name(store_path.name + ".journal")
    assert not journal.exists() or journal.stat().st_size == 0  # closed: the journal was folded in
    store = Store(store_path, create=False, writable=False)
    assert sum(len(store.spans(a.id)) for a in store.articles()) == 1


def test_an_unexpected_error_exits_non_zero_with_one_line_and_a_crash_log(
    sample_store: Store, store_path: Path, isolated_home: Path
) -> None:
    sample_store.close()
    logs = isolated_home / "logs"
    app = PtyApp(
        "--store", str(store_path), module="tests.crashing_app", env={"HAMISH_LOG_DIR": str(logs)}
    ).ready()
    try:
        app.press("w", "1")
        wait_until(lambda: "saved ✓" in app.text(), what="the tag saved")
        app.press("%")  # the test app's key that raises
        code = app.wait_exit()
    finally:
        app.close()
    assert code == 70
    text = app.text()
    assert "Traceback" not in text
    (log,) = logs.glob("crash-*.log")
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert f"details are in {log}" in text.replace("\r\n", "").replace("\n", "")
    store = Store(store_path, create=False, writable=False)
    assert sum(len(store.spans(a.id)) for a in store.articles()) == 1  # what was saved is still there
