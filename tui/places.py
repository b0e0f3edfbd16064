"""Where each annotator left off in each store: the article, the cursor and the active layer, so reopening
returns there. Kept beside the user's state (platformdirs), not in the store: moving the cursor is no
annotation, and it must never cost a journaled write or touch a shared store."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs

from annotations.store.files import InputError, JSONProblem, atomic_write, parse_json, read_text
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


def _read(path: Path) -> dict[str, Any]:
    try:
        data = parse_json(read_text(path, what="places file"))
    except (InputError, JSONProblem):  # none yet, or damaged: a lost place is no lost work
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
    atomic_write(path, json.dumps(data, ensure_ascii=False))
