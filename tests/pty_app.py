"""The real `hamish` program in a pseudo-terminal, for tests that need a real process and a real terminal:
several processes on one store, signals, crashes. A thread drains the terminal so the app never blocks."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
    "ctrl+z": b"\x1a",
    "ctrl+y": b"\x19",
    "ctrl+c": b"\x03",
}


def hamish(*args: str) -> list[str]:
    """The `hamish` command line, run from this checkout by the running Python."""
    return [sys.executable, "-c", "from tui.cli import main; main()", *args]


def wait_until(condition: Callable[[], object], timeout: float = 20, what: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


async def pilot_until(
    pilot, condition: Callable[[], object], timeout: float = 20, what: str = "condition"
) -> object:
    """wait_until for a Pilot test: the app runs (its timers, workers and frames) while we wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await pilot.pause(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class PtyApp:
    def __init__(
        self,
        *args: str,
        cols: int = 120,
        rows: int = 40,
        module: str = "tui.cli",
        env: dict[str, str] | None = None,
    ) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})}
        environment.pop("TEXTUAL", None)
        code = f"import sys; from {module} import main; main()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=environment,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def text(self) -> str:
        """What was written, without escape sequences (enough to find a word the app drew)."""
        return CSI.sub("", self.output.decode("utf-8", "replace"))

    def wait_for(self, needle: str, timeout: float = 20) -> None:
        wait_until(lambda: needle in self.text(), timeout, f"«{needle}» on the screen")

    def ready(self) -> PtyApp:
        """Wait until the app has drawn its footer and settled."""
        self.wait_for("offset", timeout=30)  # the status line
        time.sleep(0.5)
        return self

    def press(self, *keys: str, pause: float = 0.08) -> None:
        for key in keys:
            os.write(self.master, KEYS.get(key, key.encode("utf-8")))
            time.sleep(pause)

    def wait_exit(self, timeout: float = 20) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=2)
        return code

    def quit(self) -> int:
        self.press("q")
        return self.wait_exit()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
