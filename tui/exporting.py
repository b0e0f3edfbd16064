"""What `E` exports, made off the keys' thread: the text or the zip to hand to Textual's deliver API, or a brat
folder written into the chosen folder. No Textual here: the app's worker calls `make_export` and delivers."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from annotations.formats.brat import brat_files
from annotations.formats.exporters import ExportError, ExportOptions, checked, export
from annotations.store.schema import Schema
from annotations.store.store import Store


@dataclass(frozen=True)
class Delivery:
    """A file to deliver (a download in a browser, a file in the folder in a terminal), or only a message."""

    message: str
    """What the notification says."""
    data: io.StringIO | io.BytesIO | None = None
    name: str = ""
    mime_type: str = "text/plain"
    error: bool = False


def safe_name(store: Store, what: str) -> str:
    return f"{store.corpus_name}-{what}".replace("/", "_").replace(" ", "_")


def make_export(
    store: Store, schema: Schema, fmt: str, done_only: bool, layer: str, folder: Path | None, in_browser: bool
) -> Delivery:
    options = ExportOptions(
        format=fmt,
        done_only=done_only,
        layers=() if fmt in ("native", "labelstudio", "brat") else (layer,),
        symmetric={r.name: not r.directed for r in schema.relations},
    )
    if fmt == "brat":
        return _brat(store, schema, options, folder)
    try:
        text = "".join(export(store, options))
    except ExportError as error:
        return Delivery(f"export refused: {error}", error=True)
    suffix = "json" if fmt == "labelstudio" else "conll" if fmt == "conll" else "jsonl"
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    said = f"export: {options.total} articles, {len(text.encode()):,} bytes{options.left_out_briefly()}"
    return Delivery(
        said + ("; your browser downloads it" if in_browser else ""),
        io.StringIO(text),
        f"{safe_name(store, fmt)}.{suffix}",
        "application/json" if suffix == "json" else "text/plain",
    )


def _brat(store: Store, schema: Schema, options: ExportOptions, folder: Path | None) -> Delivery:
    """brat is a folder of files: in a terminal a new folder beside the others (never one that exists), in a
    browser one .zip to download."""
    try:
        files = list(brat_files(checked(store, options), options, schema))
    except ExportError as error:
        return Delivery(f"export refused: {error}", error=True)
    name = safe_name(store, "brat")
    if folder is not None:
        target = folder / name
        number = 1
        while target.exists():  # a new folder: an earlier export is never written over
            number += 1
            target = folder / f"{name}-{number}"
        try:
            target.mkdir(parents=True)
            for file_name, content in files:
                (target / file_name).write_text(content, encoding="utf-8", newline="\n")
        except OSError as error:
            return Delivery(f"export not written: {target}: {error.strerror}", error=True)
        return Delivery(f"export: {options.total} articles in {target}{options.left_out_briefly()}")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
        for file_name, content in files:
            packed.writestr(f"{name}/{file_name}", content)
    archive.seek(0)
    return Delivery(
        f"export: {options.total} articles; your browser downloads it{options.left_out_briefly()}",
        archive,
        f"{name}.zip",
        "application/zip",
    )
