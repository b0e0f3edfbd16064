"""`hamish serve` as its users meet it: a real server process, real websockets, a real browser (Debian's
headless Chromium through selenium). Each browser test types keys into the page and reads the annotator's store
from disk."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import aiohttp
import pytest

from annotations.store.store import Store
from tests.pty_app import wait_until
from tests.serving import Served, browser, chromium_available, open_app, serve, type_keys
from tui.web.fonts import FontStack, shaper_glyphs, standard_arabic_glyphs
from tui.web.server import bind_warning

ARTIFACTS = Path(os.environ.get("HAMISH_ARTIFACTS", Path(__file__).parent / "artifacts"))
needs_browser = pytest.mark.skipif(
    not chromium_available() and not os.environ.get("CI"),
    reason="chromium and chromedriver are not installed (.ci/run installs them)",
)


@pytest.fixture
def served(tmp_path: Path):
    server = serve(tmp_path / "news", "--max-sessions", "2")
    yield server
    server.stop()


def spans_of(served: Served, name: str) -> list[tuple[str, int, int, str]]:
    store = Store(served.project.store_path(name), create=False, writable=False)
    return sorted((s.annotator, s.start, s.end, s.label) for a in store.articles() for s in store.spans(a.id))


async def connect(
    served: Served, token: str
) -> tuple[aiohttp.ClientSession, aiohttp.ClientWebSocketResponse]:
    session = aiohttp.ClientSession()
    try:
        return session, await session.ws_connect(
            f"ws://127.0.0.1:{served.port}/ws/{token}?width=100&height=30"
        )
    except BaseException:
        await session.close()
        raise


def test_the_page_and_the_websocket_are_refused_without_a_valid_token(served: Served) -> None:
    assert served.status("/") == 403
    assert served.status("/?token=") == 403
    assert served.status("/?token=" + served.tokens["mona"][:-2]) == 403
    assert served.status("/ws/not-a-token") == 403
    assert served.status("/?token=" + served.tokens["mona"]) == 200
    assert served.app_processes() == []  # nothing was started for any of them
    log = served.stop()
    assert served.tokens["mona"] not in log  # the access log never shows a token


def test_past_max_sessions_a_connection_is_refused_and_starts_nothing(served: Served) -> None:
    async def scenario() -> None:
        first = await connect(served, served.tokens["mona"])
        second = await connect(served, served.tokens["sami"])
        wait_until(lambda: len(served.app_processes()) >= 2, 30, "two app processes")
        started = len(served.app_processes())
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connect(served, served.tokens["mona"])
        assert refused.value.status == 429
        assert served.status("/?token=" + served.tokens["mona"]) == 429
        assert len(served.app_processes()) == started
        for session, websocket in (first, second):
            await websocket.close()
            await session.close()

    asyncio.run(scenario())
    wait_until(lambda: not served.app_processes(), 30, "the app processes to end")


def test_an_idle_session_ends_and_its_app_quits(tmp_path: Path) -> None:
    server = serve(tmp_path / "news", "--idle-minutes", "0.05")  # 3 s

    async def scenario() -> float:
        session, websocket = await connect(server, server.tokens["mona"])
        wait_until(lambda: server.app_processes(), 30, "the app process")
        began = time.monotonic()
        async for _message in websocket:  # until the server closes it
            pass
        await session.close()
        return time.monotonic() - began

    try:
        waited = asyncio.run(scenario())
        assert 2 <= waited <= 40
        wait_until(lambda: not server.app_processes(), 30, "the idle app to quit")
    finally:
        server.stop()


def test_the_page_loads_nothing_from_elsewhere(served: Served) -> None:
    import urllib.request

    with urllib.request.urlopen(served.url("mona"), timeout=10) as response:
        page = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    addresses = [word for word in page.replace("'", '"').split('"') if "://" in word]
    assert addresses == [f"ws://127.0.0.1:{served.port}/ws/{served.tokens['mona']}"]
    assert "/fonts/arabic.ttf" in page or FontStack.find().missing()


def test_an_adjudicator_token_opens_the_merged_store(tmp_path: Path) -> None:
    server = serve(tmp_path / "news", names=("mona",))
    token = server.project.add_member("lead", "adjudicator")

    async def scenario() -> None:
        session, websocket = await connect(server, token)
        apps = wait_until(lambda: server.app_processes(), 30, "the adjudicator's app")
        argv = Path(f"/proc/{apps[0]}/cmdline").read_bytes().split(b"\0")
        assert argv[-3:-1] == [b"--annotator", b"lead"] or b"lead" in argv
        wait_until(lambda: server.project.adjudicated_path.exists(), 30, "the merged store")
        await websocket.close()
        await session.close()

    try:
        asyncio.run(scenario())
    finally:
        server.stop()


def test_binding_beyond_this_machine_without_tls_warns() -> None:
    assert bind_warning("127.0.0.1", None) is None
    assert bind_warning("0.0.0.0", "https://annotate.example.org") is None
    assert "without TLS" in bind_warning("0.0.0.0", None)


def test_the_fonts_given_to_the_page_hold_every_standard_arabic_glyph() -> None:
    fonts = FontStack.find()
    if fonts.missing() and not os.environ.get("CI"):
        pytest.skip("DejaVu fonts not installed (.ci/run installs fonts-dejavu-core)")
    covered, missing = fonts.coverage(standard_arabic_glyphs())
    assert not missing, sorted(f"U+{ord(c):04X}" for c in missing)
    covered, missing = fonts.coverage(shaper_glyphs())
    assert (
        len(covered) >= 300
    )  # the rest are Persian/Urdu forms neither DejaVu face has (the browser's own fall back)


@needs_browser
def test_two_annotators_tag_from_their_browsers_into_their_own_stores(served: Served) -> None:
    mona, sami = browser(), browser()
    try:
        open_app(mona, served.url("mona"))
        open_app(sami, served.url("sami"))
        type_keys(mona, "www1")
        wait_until(lambda: spans_of(served, "mona"), 30, "mona's span")
        type_keys(sami, "ww2")
        wait_until(lambda: spans_of(served, "sami"), 30, "sami's span")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        mona.save_screenshot(str(ARTIFACTS / "serve-mona.png"))
        external = [
            entry
            for entry in mona.get_log("browser")
            if "127.0.0.1" not in entry.get("message", "") or "Refused to" in entry.get("message", "")
        ]
    finally:
        mona.quit()
        sami.quit()
    assert spans_of(served, "mona") == [("mona", 26, 33, "PER")]  # «الكاظمي»
    assert spans_of(served, "sami") == [("sami", 18, 24, "ORG")]  # «العربي»
    assert not [e for e in external if "Refused to" in e["message"]]  # nothing blocked by the page's policy


@needs_browser
def test_the_export_downloads_in_the_browser(served: Served, tmp_path: Path) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = browser(downloads)
    try:
        open_app(driver, served.url("mona"))
        type_keys(driver, "www1")
        wait_until(lambda: spans_of(served, "mona"), 30, "mona's span")
        type_keys(driver, "E")
        type_keys(driver, "\ue007")  # enter: the first format, hamish's own JSONL
        files = wait_until(lambda: [p for p in downloads.glob("*.jsonl")], 30, "the download")
    finally:
        driver.quit()
    records = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
    assert files[0].name == "news-native.jsonl"
    spans = [(s["start"], s["end"], s["label"], s["annotator"]) for r in records[1:] for s in r["spans"]]
    assert spans == [(26, 33, "PER", "mona")]


def test_a_token_pasted_anywhere_in_the_path_is_never_logged(served: Served) -> None:
    token = served.tokens["mona"]
    for path in (
        f"/{token}",
        f"/static/{token}",
        f"/hamish/{token}",
        f"/fonts/{token}",
        f"/download/{token}",
        f"/x/{token}/y",
    ):
        assert served.status(path) in (403, 404)
    log = served.stop()
    assert token not in log and token[:12] not in log
    assert "/… (" in log  # each logged by its length


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '{"members": []}',
        '{"members": {"mona": "x"}}',
        "not json",
        '{"members": {"mona": {"role": 5}}}',
        '{"members": {"mona": {"role": "boss"}}}',
    ],
)
def test_a_tampered_access_file_is_one_line_and_serve_refuses_to_start(content: str, tmp_path: Path) -> None:
    from tests.serving import make_project
    from tests.test_hostile_files import cli

    project, _ = make_project(tmp_path / "news")
    access = project.folder / "access.json"
    access.write_text(content, encoding="utf-8")
    for command in (
        ["serve", str(project.folder), "--port", "1"],
        ["project", "status", str(project.folder)],
    ):
        result = cli(*command, timeout=30)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        rows = [row for row in result.stderr.splitlines() if str(access) in row]
        assert len(rows) == 1 and "nobody can sign in until it is fixed" in rows[0], result.stderr


def test_an_access_file_damaged_while_serving_lets_nobody_in(served: Served) -> None:
    (served.project.folder / "access.json").write_bytes(b"\xff\xfe binary")
    assert served.status("/?token=" + served.tokens["mona"]) == 503
    assert served.app_processes() == []
