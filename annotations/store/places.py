"""Where each annotator left off in each store: the article, the cursor and the active layer, so reopening
returns there. Kept beside the user's state (platformdirs), not in the store: moving the cursor is no
annotation, and it must never cost a journaled write or touch a shared store."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from annotations.store.paths import APP


@dataclass(frozen=True)
class Place:
    article_id: str
    offset: int = 0
    layer: str = ""


def places_path() -> Path:
    return Path(platformdirs.user_state_dir(APP, appauthor=False)) / "places.json"


def _key(store_path: Path, annotator: str) -> str:
    return f"{Path(store_path).resolve()}::{annotator}"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or damaged: a lost place is no lost work
        return {}
    return data if isinstance(data, dict) else {}


def last_place(store_path: Path, annotator: str, path: Path | None = None) -> Place | None:
    found = _read(path or places_path()).get(_key(store_path, annotator))
    if not isinstance(found, dict) or not isinstance(found.get("article_id"), str):
        return None
    offset = found.get("offset", 0)
    return Place(
        found["article_id"],
        offset if isinstance(offset, int) and offset >= 0 else 0,
        str(found.get("layer", "")),
    )


def remember_place(store_path: Path, annotator: str, place: Place, path: Path | None = None) -> None:
    """Written whole to a temporary file and renamed over the old one, so a crash leaves one or the other."""
    path = path or places_path()
    data = _read(path)
    data[_key(store_path, annotator)] = asdict(place)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".places-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
