"""`hamish serve`: the app in browsers, through textual-serve (one app process per connection, xterm.js in the
page), with what textual-serve leaves out: a secret token per project member (the page and the websocket are
refused without one, and no process is started), a cap on concurrent sessions, an end to idle ones, and a page
that loads nothing from outside the server.

A member's identity comes from their token alone: the server starts `hamish PROJECT --annotator NAME` with the
name the token belongs to, so nothing typed in the page can make one annotator write into another's store.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.app_service import AppService
from textual_serve.server import Server

from annotations.team.project import Member, Project, ProjectError
from tui.web.fonts import FontStack

log = logging.getLogger("hamish.serve")
HERE = Path(__file__).parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SECURITY_HEADERS = {
    # Everything from this server only: no web fonts, scripts or styles from elsewhere.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; "
    "worker-src 'self' blob:; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never hand it to another site
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@dataclass
class Session:
    member: Member
    started: float = field(default_factory=time.monotonic)
    last_input: float = field(default_factory=time.monotonic)


def app_command(project: Project, member: Member) -> str:
    """The shell command textual-serve starts for one connection (it runs it with a shell, hence the quoting)."""
    return shlex.join([sys.executable, "-m", "tui.cli", "--annotator", member.name, str(project.folder)])


class HamishServer(Server):
    def __init__(
        self,
        project: Project,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        max_sessions: int = 5,
        idle_minutes: float = 30,
        fonts: FontStack | None = None,
    ) -> None:
        super().__init__(
            command="hamish",
            host=host,
            port=port,
            title=f"hamish — {project.name}",
            templates_path=HERE / "templates",
        )
        self.project = project
        self.max_sessions = max_sessions
        self.idle_seconds = idle_minutes * 60
        self.fonts = fonts or FontStack.find()
        self.sessions: dict[int, Session] = {}
        """Open app processes, by their websocket's id."""
        self.refused = 0
        """Connections refused (bad token, or too many sessions): counted for the log and the tests."""

    # -- the web application ---------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.security_headers])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/fonts/{name}", self.handle_font, name="font"),
                web.get("/favicon.ico", self.handle_favicon),
                web.static("/static", self.statics_path, name="static"),
                web.static("/hamish", HERE / "static", name="hamish"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C or SIGTERM (textual-serve's serve(), with an access log that never shows a token)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        web.run_app(
            self.make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            access_log_class=TokenlessAccessLogger,
            print=lambda *args: None,
        )

    @web.middleware
    async def security_headers(self, request: web.Request, handler) -> web.StreamResponse:
        response = await handler(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            f"hamish serves [b]{self.project.name}[/b] ({self.project.folder}) on "
            f"http://{self.host}:{self.port}/ — each member opens the URL "
            f"`hamish project add-annotator` printed for them. Ctrl+C stops.",
            highlight=False,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(app.get("websockets", [])):
            await websocket.close()

    # -- access ----------------------------------------------------------------------------------------------
    def refuse(self, status: type[web.HTTPException], message: str) -> web.HTTPException:
        self.refused += 1
        log.warning("refused: %s", message)
        return status(text=f"{message}\n", content_type="text/plain")

    def admit(self, token: str | None) -> Member:
        """The member the token belongs to, or an HTTP error (403 without a valid token, 429 when full)."""
        try:
            member = self.project.verify(token)
        except ProjectError as error:  # access.json tampered with while serving: nobody is let in
            raise self.refuse(web.HTTPServiceUnavailable, f"503: {error}") from None
        if member is None:
            raise self.refuse(
                web.HTTPForbidden,
                "403: this page needs a valid token; ask your project lead "
                "for your URL (hamish project add-annotator)",
            )
        if len(self.sessions) >= self.max_sessions:
            raise self.refuse(
                web.HTTPTooManyRequests,
                f"429: all {self.max_sessions} sessions are in use; try again when somebody has finished",
            )
        return member

    # -- pages -----------------------------------------------------------------------------------------------
    async def handle_index(self, request: web.Request) -> web.Response:
        token = request.query.get("token")
        member = self.admit(token)
        secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
        websocket_url = f"{'wss' if secure else 'ws'}://{request.host}/ws/{token}"
        context = {
            "title": self.title,
            "member": member.name,
            "websocket_url": websocket_url,
            "font_size": _int(request.query.get("fontsize"), 16),
            "fonts": self.fonts.css_faces("/fonts/"),
            "idle_minutes": round(self.idle_seconds / 60),
        }
        return aiohttp_jinja2.render_template("index.html", request, context)

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def handle_font(self, request: web.Request) -> web.FileResponse:
        path = self.fonts.file(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Content-Type": "font/ttf"})

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        member = self.admit(request.match_info["token"])  # before anything starts
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        session = Session(member)
        self.sessions[id(websocket)] = session
        request.app.setdefault("websockets", set()).add(websocket)
        service = AppService(
            app_command(self.project, member),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=self._closer(websocket),
            download_manager=self.download_manager,
            debug=self.debug,
        )
        log.info("%s: session started (%d open)", member.name, len(self.sessions))
        watchdog = asyncio.create_task(self._end_when_idle(session, websocket))
        try:
            await service.start(_int(request.query.get("width"), 80), _int(request.query.get("height"), 24))
            await self._relay(websocket, service, session)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            watchdog.cancel()
            await service.stop()
            self.sessions.pop(id(websocket), None)
            request.app["websockets"].discard(websocket)
            log.info("%s: session ended (%d open)", member.name, len(self.sessions))
        return websocket

    @staticmethod
    def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
        """AppService's `close`: closing the websocket (whose own close returns whether it closed)."""

        async def close() -> None:
            await websocket.close()

        return close

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService, session: Session) -> None:
        """The browser's messages to the app (textual-serve's protocol); input counts as activity, pings not."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            envelope = message.json()
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                session.last_input = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                session.last_input = time.monotonic()
                await service.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _end_when_idle(self, session: Session, websocket: web.WebSocketResponse) -> None:
        """Close a session nobody has typed in for idle_minutes: its app quits (every change is already saved)
        and its place is free for somebody else."""
        while True:
            left = session.last_input + self.idle_seconds - time.monotonic()
            if left <= 0:
                log.info("%s: idle for %.0f s, session ended", session.member.name, self.idle_seconds)
                await websocket.close(message=b"idle")
                return
            await asyncio.sleep(min(left, 30))


LOGGED_PATHS = ("/", "/favicon.ico")
LOGGED_PREFIXES = ("/static/", "/hamish/", "/fonts/")


def logged_path(path: str, status: int) -> str:
    """A path as the access log shows it: the pages and files the server has (served), as they are; anything
    else (a websocket's or a download's key, a token pasted as the path or under /static/, any typo) only as
    its length, since a token may stand anywhere a user can type."""
    if path in LOGGED_PATHS or (path.startswith(LOGGED_PREFIXES) and status < 400):
        return path
    head = "/ws/" if path.startswith("/ws/") else "/download/" if path.startswith("/download/") else "/"
    return f"{head}… ({len(path) - len(head)} characters)"


class TokenlessAccessLogger(AbstractAccessLogger):
    """One line per request: who (address), what (path without its query; a websocket's token hidden), status."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %d (%.0f ms)",
            request.remote,
            request.method,
            logged_path(request.path, response.status),
            response.status,
            time * 1000,
        )


def bind_warning(host: str, public_url: str | None) -> str | None:
    """A warning when the server is reachable from other machines without TLS in front of it."""
    if host in LOCAL_HOSTS or (public_url or "").startswith("https://"):
        return None
    return (
        f"warning: serving on {host} without TLS: tokens and everything typed cross the network in clear. "
        f"Put a TLS reverse proxy in front (and pass --public-url https://...), or keep 127.0.0.1 and "
        f"reach it through an SSH tunnel (see README)."
    )


def _int(value: object, default: int) -> int:
    if not isinstance(value, str | int | float):
        return default
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default
