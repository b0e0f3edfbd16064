"""Keystroke to screen in a browser: `hamish serve` on the sample corpus, headless Chromium, 50 keys.

    python benchmarks/browser_keystroke.py [--keys 50]

A script injected into the page before its own records, for each key, the time from the keydown event to the
next animation frame after the first message the server sends back (xterm.js draws incoming data on that
frame). So each figure holds: the browser's input handling, the websocket to the server, textual-serve's pipe
to the app process, the app's work and its paint (the app runs at textual-serve's TEXTUAL_FPS=60, so up to one
16.7 ms frame period of pacing is included), and the way back. The same keys are measured headless in the
terminal app by benchmarks/keystroke.py; the difference is what serving costs.
Needs chromium and chromedriver (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROBE = """
window.__hamishLatencies = [];
let pending = null;
document.addEventListener("keydown", () => { pending = performance.now(); }, true);
const NativeSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeSocket(...args);
  socket.addEventListener("message", () => {
    if (pending === null) return;
    const began = pending;
    pending = null;
    requestAnimationFrame(() => window.__hamishLatencies.push(performance.now() - began));
  });
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
"""
KEY_CYCLE = ["w"] * 8 + ["b"] * 4 + ["\ue015"] * 4 + ["\ue013"] * 4  # w, b, Down, Up


def main() -> None:
    from tests.serving import browser, chromium_available, open_app, serve, type_keys

    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=50)
    args = parser.parse_args()
    if not chromium_available():
        sys.exit("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    with tempfile.TemporaryDirectory() as folder:
        served = serve(Path(folder) / "news", names=("mona",))
        driver = browser()
        try:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
            started = time.perf_counter()
            open_app(driver, served.url("mona"))
            first_paint = time.perf_counter() - started
            time.sleep(2)  # let the app settle (recommender checks, first layout)
            driver.execute_script("window.__hamishLatencies = [];")
            keys = [KEY_CYCLE[i % len(KEY_CYCLE)] for i in range(args.keys)]
            type_keys(driver, "".join(keys), pause=0.15)
            time.sleep(1)
            latencies = driver.execute_script("return window.__hamishLatencies;")
        finally:
            driver.quit()
            served.stop()
    if len(latencies) < args.keys * 0.9:
        sys.exit(f"only {len(latencies)} of {args.keys} keys were answered")
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * len(latencies)) - 1)]
    print(f"page load to the app's first screen: {first_paint * 1000:.0f} ms")
    print(
        f"keystroke to screen over {len(latencies)} keys (w, b, Down, Up): p50 {statistics.median(latencies):.1f} ms,"
        f" p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
