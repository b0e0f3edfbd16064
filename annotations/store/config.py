"""The user's settings (config.toml): one typed dataclass with its defaults in one place, read and checked once
at start. A bad file is one ValueError naming the file and line."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from annotations.store.files import InputError, read_text
from annotations.store.paths import config_path

TrainOn = Literal["done", "annotated"]


@dataclass(frozen=True)
class Config:
    annotator: str | None = None
    """Your name on every annotation (else $HAMISH_ANNOTATOR, else the user name)."""
    bias_lexicon: str | None = None
    """A file of `term<TAB>label` lines added to the bundled bias lexicon."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> key(s): the key map remapped."""
    recommender: bool = True
    """The learned suggestions on or off."""
    recommender_min_f1: float = 0.4
    """The held-out F1 below which a model stays silent."""
    recommender_train_on: TrainOn = "done"
    """What a model learns from: articles marked done, or every annotated one."""
    recommender_threshold: float = 0.2
    """A span off the model's best path is suggested too when its tags' marginal probability reaches this
    (1: the best path only). 0.2 on a development split of NewsFANE's training part: recall 0.571 -> 0.635,
    precision 0.744 -> 0.654, F1 0.646 -> 0.644 (0.3: recall 0.601; 0.1: F1 0.618)."""


HELP = {
    "annotator": "text (your name on every annotation)",
    "bias_lexicon": "text (a file's path)",
    "keys": 'a table of binding id = "key", e.g. [keys] then tag_all = "A"',
    "recommender": "true or false (the learned suggestions on or off)",
    "recommender_min_f1": "a number from 0 to 1 (the held-out F1 below which a model stays silent)",
    "recommender_train_on": '"done" (articles marked done, the default) or "annotated" (every one)',
    "recommender_threshold": "a number from 0 to 1 (spans off the best path suggested at this probability)",
}


def _valid(key: str, value: Any) -> bool:
    if key in ("annotator", "bias_lexicon"):
        return isinstance(value, str)
    if key == "keys":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if key == "recommender":
        return isinstance(value, bool)
    if key in ("recommender_min_f1", "recommender_threshold"):  # also refuses nan and inf
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and 0 <= value <= 1
        )
    return value in ("done", "annotated")


def load_config() -> Config:
    """The user's config.toml as a Config (absent: the defaults). A bad file raises ValueError naming it."""
    path = config_path()
    if not path.exists():
        return Config()
    try:
        text = read_text(path, what="config file")
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise ValueError(f"{path}: {error}") from None
    except InputError as error:
        raise ValueError(str(error)) from None
    known = {f.name for f in fields(Config)}
    for key, value in raw.items():
        if key in known and not _valid(key, value):
            line = next(
                (
                    n
                    for n, row in enumerate(text.splitlines(), 1)
                    if row.strip().startswith((f"{key} ", f"{key}=", f"[{key}]"))
                ),
                0,
            )
            raise ValueError(f"{f'{path}:{line}' if line else path}: '{key}' must be {HELP[key]}")
    values = {key: value for key, value in raw.items() if key in known}
    for key in ("recommender_min_f1", "recommender_threshold"):
        if key in values:
            values[key] = float(values[key])
    return Config(**values)
