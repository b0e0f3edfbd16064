"""Round trips through the real tools: hamish export -> Label Studio / doccano (a server on 127.0.0.1, a
project made through its API, the file uploaded, every region's text checked) -> their export -> hamish import,
and the counts of spans and stances that came back identical, lost or changed.

    python benchmarks/real_tools.py --label-studio /path/to/venv/bin/label-studio \\
                                    --doccano /path/to/venv/bin/doccano [--articles 200]

Each tool lives in its own venv (their pins clash with hamish's; doccano 1.8.4 needs `marshmallow<4` and
`numpy<2`). The script starts each server itself, on a free loopback port, in a temporary folder, and stops it
at the end. The data: ArMPro's dev split from ../shared/external (overlapping bias spans), with notes and target
stances added so that every part of the formats is exercised; without it, the sample corpus. Not part of CI.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.formats.exporters import ExportOptions, export  # noqa: E402
from annotations.formats.importers import read  # noqa: E402
from annotations.formats.importing import import_records  # noqa: E402
from annotations.formats.ingest import read_articles  # noqa: E402
from annotations.formats.labelstudio_export import labelstudio_config  # noqa: E402
from annotations.store.check import check_store  # noqa: E402
from annotations.store.resources import sample_corpus_dir  # noqa: E402
from annotations.store.schema import load_schema  # noqa: E402
from annotations.store.store import Store  # noqa: E402

ARMPRO = ROOT.parent / "shared" / "external" / "armpro" / "ArMPro_span_dev_V2.jsonl"


class Client:
    """A tiny HTTP client (stdlib only): cookies, JSON bodies, a token header once there is one."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.headers: dict[str, str] = {}

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")

    def call(
        self,
        method: str,
        path: str,
        body: object = None,
        form: dict | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        raw: bool = False,
    ):
        headers = dict(self.headers)
        data = None
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=120) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{method} {path}: HTTP {error.code}: {error.read()[:400]!r}") from None
        if raw:
            return payload
        return json.loads(payload) if payload.strip() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listens_on_loopback_only(port: int) -> None:
    """`ss -ltn` must show the port on 127.0.0.1 (or ::1) and nowhere else; else the script stops before
    anything is sent (Label Studio and doccano listen on every address unless started as below)."""
    result = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True)
    local = [line.split()[3] for line in result.stdout.splitlines() if line.strip()]
    hosts = {address.rsplit(":", 1)[0].strip("[]") for address in local}
    if not hosts or not hosts <= {"127.0.0.1", "::1"}:
        raise SystemExit(
            f"port {port} listens on {sorted(hosts) or 'nothing'}, not only on 127.0.0.1: stopped"
        )


DOCCANO_ON_LOOPBACK = """
import sys
import gunicorn.config
from backend import cli
port = sys.argv[1]
set_setting = gunicorn.config.Config.set
def loopback(self, name, value):  # doccano's webserver binds 0.0.0.0 itself: every bind goes to 127.0.0.1
    return set_setting(self, name, [f"127.0.0.1:{port}"] if name == "bind" else value)
gunicorn.config.Config.set = loopback
sys.argv = ["doccano", "webserver", "--port", port]
cli.main()
"""


def wait_http(url: str, seconds: float = 420) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    raise SystemExit(f"{url} did not answer in {seconds:.0f} s")


def make_store(folder: Path, articles: int) -> Store:
    store = Store(folder / "source.json", annotator="mona")
    if ARMPRO.exists():
        lines = ARMPRO.read_text(encoding="utf-8").splitlines()[:articles]
        source = folder / "armpro.jsonl"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_records(store, read([source], "armpro"), load_schema())
    else:
        store.import_articles(read_articles([sample_corpus_dir()]))
    rng = random.Random(1)
    for number, article in enumerate(store.articles()):
        spans = store.spans(article.id)
        for span in spans[::7]:
            store.set_note(article.id, span.id, f"ملاحظة {number}")
        if number % 3 == 0:
            store.set_stance(article.id, "(article)", rng.choice(["favor", "against", "neutral"]))
        if number % 5 == 0 and spans:  # toward the first span's text, about that span, with a note
            store.set_stance(
                article.id,
                spans[0].text.strip()[:30] or "هدف",
                rng.choice(["favor", "against"]),
                f"سبب {number}\nسطر ثان",
                span_id=spans[0].id,
            )
        if (
            number % 2 == 0 and spans
        ):  # an entity (the paragraph's first word) that the first bias span targets
            end = next((i for i, ch in enumerate(article.text) if ch.isspace()), len(article.text))
            if end > 1 and not any(s.start < end for s in spans):
                entity = store.add_span(article, 0, end, "entity", "ORG")
                store.add_relation(article.id, "targets", spans[0].id, entity.id)
        store.set_done(article.id)
    return store


def facts(store: Store) -> tuple[dict, dict]:
    spans = {
        (s.article_id, s.start, s.end, s.layer, s.label, s.annotator): s.note
        for a in store.articles()
        for s in store.spans(a.id)
    }
    stances = {}
    for a in store.articles():
        texts = {s.id: (s.start, s.end, s.label) for s in store.spans(a.id)}
        for s in store.stances(a.id):  # its value, its note, and the span it is about
            stances[(s.article_id, s.target, s.annotator)] = (s.value, s.note, texts.get(s.span_id))
    return spans, stances


def links(store: Store) -> set[tuple]:
    out = set()
    for article in store.articles():
        spans = {s.id: (s.start, s.end, s.label) for s in store.spans(article.id)}
        out |= {(article.id, r.type, spans[r.source], spans[r.target]) for r in store.relations(article.id)}
    return out


def compare(
    before: Store,
    after: Store,
    what: str,
    annotator_of=lambda name: name,
    notes: bool = True,
    stances_kept: bool = True,
) -> None:
    spans, stances = facts(before)
    spans = {(*k[:5], annotator_of(k[5])): v for k, v in spans.items()}
    stances = {(*k[:2], annotator_of(k[2])): v for k, v in stances.items()}
    back_spans, back_stances = facts(after)
    same = sum(1 for k, note in spans.items() if k in back_spans and (not notes or back_spans[k] == note))
    changed = sum(1 for k, note in spans.items() if k in back_spans and notes and back_spans[k] != note)
    lost = sum(1 for k in spans if k not in back_spans)
    extra = sum(1 for k in back_spans if k not in spans)
    print(f"{what}: spans {len(spans)}: identical {same}, changed {changed}, lost {lost}, new {extra}")
    if stances_kept:
        same = sum(1 for k, v in stances.items() if back_stances.get(k) == v)
        lost = sum(1 for k in stances if k not in back_stances)
        print(
            f"{what}: stances {len(stances)}: identical {same}, changed {len(stances) - same - lost}, lost {lost}"
        )
        differ = next((k for k, v in stances.items() if k in back_stances and back_stances[k] != v), None)
        if differ is not None:
            print(f"  first changed (value, note, span): {stances[differ]!r} -> {back_stances[differ]!r}")
    sent, back = links(before), links(after)
    print(
        f"{what}: links {len(sent)}: identical {len(sent & back)}, lost {len(sent - back)}, new {len(back - sent)}"
    )
    report = check_store(after, load_schema())
    print(f"{what}: hamish check after the import: {len(report.problems)} problem(s)")


def reimport(folder: Path, name: str, content: bytes) -> Store:
    path = folder / name
    path.write_bytes(content)
    if os.environ.get("HAMISH_KEEP"):  # to look at what the tool gave back
        Path(os.environ["HAMISH_KEEP"]).mkdir(parents=True, exist_ok=True)
        (Path(os.environ["HAMISH_KEEP"]) / name).write_bytes(content)
    store = Store(folder / f"back-{name}.json", annotator="importer")
    report = import_records(store, read([path]), load_schema())
    if report.problems or report.skipped:
        print(
            f"  import of {name}: {len(report.problems)} problems, {report.skipped} left out; first: "
            f"{(report.problems or report.warnings)[:1]}"
        )
    return store


# -- Label Studio -----------------------------------------------------------------------------------------
def label_studio(executable: str, store: Store, folder: Path) -> None:
    port = free_port()
    user, password = "hamish@example.org", "hamish-round-trip-1"
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(folder / "ls-data"),
        "LABEL_STUDIO_USERNAME": user,
        "LABEL_STUDIO_PASSWORD": password,
    }
    server = subprocess.Popen(
        # --host only sets the URL Label Studio prints; --internal-host is what it binds
        [
            executable,
            "start",
            "--no-browser",
            "--host",
            "127.0.0.1",
            "--internal-host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/user/login/")
        listens_on_loopback_only(port)
        api = Client(base)
        api.call("GET", "/user/login/", raw=True)
        api.call(
            "POST",
            "/user/login/",
            form={"email": user, "password": password, "csrfmiddlewaretoken": api.cookie("csrftoken")},
            raw=True,
        )
        api.headers = {"X-CSRFToken": api.cookie("csrftoken"), "Referer": base + "/"}
        api.call("POST", "/api/jwt/settings", {"legacy_api_tokens_enabled": True})
        token = api.call("GET", "/api/current-user/token")["token"]
        api = Client(base)
        api.headers = {"Authorization": f"Token {token}"}

        options = ExportOptions("labelstudio")
        tasks = json.loads("".join(export(store, options)))
        config = labelstudio_config(load_schema(), options)
        project = api.call("POST", "/api/projects", {"title": "hamish round trip", "label_config": config})
        api.call("POST", f"/api/projects/{project['id']}/import", tasks)
        exported = api.call(
            "GET", f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true"
        )
        regions = bad = 0
        for task in exported:
            text = task["data"]["text"]
            for annotation in task["annotations"]:
                for result in annotation["result"]:
                    value = result.get("value", {})
                    if result.get("type") == "labels":
                        regions += 1
                        bad += text[value["start"] : value["end"]] != value["text"]
        print(
            f"Label Studio: {len(exported)} tasks back, {regions} regions, {bad} whose text differs from the "
            f"text at their offsets"
        )
        back = reimport(folder, "labelstudio.json", json.dumps(exported, ensure_ascii=False).encode())
        compare(store, back, "Label Studio JSON")
        minimal = api.call(
            "GET", f"/api/projects/{project['id']}/export?exportType=JSON_MIN&download_all_tasks=true"
        )
        back = reimport(folder, "labelstudio-min.json", json.dumps(minimal, ensure_ascii=False).encode())
        compare(store, back, "Label Studio JSON_MIN", notes=False)  # JSON_MIN has no per-region notes
        conll = api.call(
            "GET",
            f"/api/projects/{project['id']}/export?exportType=CONLL2003&download_all_tasks=true",
            raw=True,
        )
        back = reimport(folder, "labelstudio.conll", conll)
        read_back = sum(len(back.spans(a.id)) for a in back.articles())
        print(
            f"Label Studio CONLL2003: read as CoNLL (token first, tag last): {len(back.articles())} articles, "
            f"{read_back} spans (Label Studio drops overlapping spans and splits punctuation off words there, "
            f"so offsets do not survive that format)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- doccano ----------------------------------------------------------------------------------------------
def doccano(executable: str, store: Store, folder: Path) -> None:
    port = free_port()
    env = {**os.environ, "DOCCANO_HOME": str(folder / "doccano-home")}
    subprocess.run([executable, "init"], env=env, check=True, capture_output=True)
    subprocess.run(
        [executable, "createuser", "--username", "admin", "--password", "hamish-round-trip"],
        env=env,
        check=True,
        capture_output=True,
    )
    servers = [
        subprocess.Popen(
            [str(Path(executable).with_name("python")), "-c", DOCCANO_ON_LOOPBACK, str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen([executable, "task"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/")
        listens_on_loopback_only(port)
        login = Client(base)
        token = login.call("POST", "/v1/auth/login/", {"username": "admin", "password": "hamish-round-trip"})[
            "key"
        ]
        api = Client(base)  # no session cookie: with it every POST fails for want of a CSRF token
        api.headers = {"Authorization": f"Token {token}"}
        project = api.call(
            "POST",
            "/v1/projects",
            {
                "name": "hamish round trip",
                "description": "hamish",
                "project_type": "SequenceLabeling",
                "resourcetype": "SequenceLabelingProject",
                "allow_overlapping": True,
                "use_relation": True,
                "guideline": "",
            },
        )
        content = "".join(export(store, ExportOptions("doccano"))).encode()
        relations = b'"relations"' in content
        upload = api.call("POST", "/v1/fp/process/", files={"filepond": ("hamish.jsonl", content)}, raw=True)
        task = api.call(
            "POST",
            f"/v1/projects/{project['id']}/upload",
            {
                "uploadIds": [upload.decode().strip()],
                "format": "JSONL",
                "task": "RelationExtraction" if relations else "SequenceLabeling",
                "column_data": "text",
                "column_label": "label",
            },
        )
        wait_task(api, task["task_id"])
        examples = api.call("GET", f"/v1/projects/{project['id']}/examples?limit=1")["count"]
        print(f"doccano: {examples} examples uploaded")
        task = api.call(
            "POST", f"/v1/projects/{project['id']}/download", {"format": "JSONL", "exportApproved": False}
        )  # a use_relation project: relations too
        wait_task(api, task["task_id"])
        archive = api.call("GET", f"/v1/projects/{project['id']}/download?taskId={task['task_id']}", raw=True)
        lines = []
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            for name in zipped.namelist():
                lines += zipped.read(name).decode("utf-8").splitlines()
        bad = 0
        sample = next((json.loads(line) for line in lines if "stance_notes" in line), None)
        if sample is not None:  # what doccano keeps of a stance's note and span
            shown = {k: v for k, v in sample.items() if k not in ("text", "entities", "relations", "label")}
            print(
                f"doccano: a record back, its fields but the text and spans: {json.dumps(shown, ensure_ascii=False)[:400]}"
            )
        for line in lines:
            record = json.loads(line)
            entities = [(e["start_offset"], e["end_offset"]) for e in record.get("entities", [])] or [
                (start, end) for start, end, _label in record.get("label", [])
            ]
            bad += sum(1 for start, end in entities if not 0 <= start < end <= len(record["text"]))
        print(f"doccano: {len(lines)} records back, {bad} spans outside their text")
        back = reimport(folder, "doccano.jsonl", ("\n".join(lines) + "\n").encode())
        compare(store, back, "doccano", annotator_of=lambda _name: "importer", notes=False)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def wait_task(api: Client, task_id: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = api.call("GET", f"/v1/tasks/status/{task_id}")
        if status.get("ready"):
            if status.get("error"):
                raise SystemExit(f"doccano task failed: {status['error']}")
            return
        time.sleep(1)
    raise SystemExit("doccano's task worker did not finish")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label-studio", help="the label-studio executable (in its own venv)")
    parser.add_argument("--doccano", help="the doccano executable (in its own venv)")
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    if not args.label_studio and not args.doccano:
        parser.error("give --label-studio and/or --doccano")
    with tempfile.TemporaryDirectory() as folder:
        store = make_store(Path(folder), args.articles)
        spans, stances = facts(store)
        print(
            f"source: {len(store.articles())} articles, {len(spans)} spans "
            f"({sum(1 for n in spans.values() if n)} with notes), {len(stances)} stances"
        )
        if args.label_studio:
            label_studio(args.label_studio, store, Path(folder))
        if args.doccano:
            doccano(args.doccano, store, Path(folder))


if __name__ == "__main__":
    main()
