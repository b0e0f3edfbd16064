"""Helpers for the tests and benchmarks of `hamish serve`: a project, a real server process on a free port,
the app processes it started, and a headless Chromium pointed at it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from annotations.store.resources import sample_corpus_dir
from annotations.store.store import Store
from annotations.team.project import Project
from tests.pty_app import hamish, wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    project: Project
    port: int
    process: subprocess.Popen
    tokens: dict[str, str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, name: str) -> str:
        return f"{self.base}/?token={self.tokens[name]}"

    def app_processes(self) -> list[int]:
        """The app processes below the server (not the shells textual-serve starts them with)."""
        apps = []
        for pid in self.descendants():
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argv[1:3] == [b"-m", b"tui.cli"]:
                apps.append(pid)
        return apps

    def descendants(self) -> list[int]:
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            for task in Path(f"/proc/{pid}/task").glob("*"):
                try:
                    children = (task / "children").read_text().split()
                except OSError:
                    continue
                found += [int(c) for c in children]
                todo += [int(c) for c in children]
        return found

    def status(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def stop(self) -> str:
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out


def make_project(folder: Path, names: tuple[str, ...] = ("mona", "sami")) -> tuple[Project, dict[str, str]]:
    project = Project.init(folder)
    from annotations.formats.ingest import read_articles

    corpus = Store(project.corpus_path, annotator="corpus")  # as `hamish project import` fills it
    corpus.import_articles(read_articles([sample_corpus_dir()]))
    corpus.close()
    return project, {name: project.add_member(name) for name in names}


def serve(folder: Path, *options: str, names: tuple[str, ...] = ("mona", "sami")) -> Served:
    project, tokens = make_project(folder, names)
    port = free_port()
    process = subprocess.Popen(
        hamish("serve", str(folder), "--port", str(port), *options),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    served = Served(project, port, process, tokens)

    def listening() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    wait_until(listening, 30, "the server to listen")
    return served


def chromium_available() -> bool:
    return bool(shutil.which("chromium") and shutil.which("chromedriver"))


def browser(download_dir: Path | None = None, width: int = 1200, height: int = 800):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--enable-unsafe-swiftshader",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if download_dir is not None:
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(download_dir), "download.prompt_for_download": False}
        )
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def open_app(driver, url: str, timeout: float = 30) -> None:
    """Load the page and wait for the app's first screen (textual-serve marks the body -first-byte)."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    deadline = time.monotonic() + timeout
    while "-first-byte" not in (driver.find_element(By.TAG_NAME, "body").get_attribute("class") or ""):
        if time.monotonic() > deadline:
            raise AssertionError(f"the app did not draw within {timeout} s")
        time.sleep(0.1)
    driver.find_element(By.ID, "terminal").click()


def type_keys(driver, keys: str, pause: float = 0.3) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    for key in keys:
        ActionChains(driver).send_keys(key).perform()
        time.sleep(pause)
