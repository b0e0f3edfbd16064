"""Where hamish keeps its files (platformdirs), and who the annotator is."""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path
from typing import Any

import platformdirs

from annotations.store.files import InputError, read_text

APP = "hamish"


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "store.json"


def config_path() -> Path:
    override = os.environ.get("HAMISH_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"


def store_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--store wins, then HAMISH_STORE, then the platform data folder."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("HAMISH_STORE")
    return Path(env) if env else default_store_path()


def load_config() -> dict[str, Any]:
    """The user's config.toml (absent means empty). A bad file raises ValueError naming it."""
    path = config_path()
    if not path.exists():
        return {}
    try:
        text = read_text(path, what="config file")
        config = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise ValueError(f"{path}: {error}") from None
    except InputError as error:
        raise ValueError(str(error)) from None
    for key, wanted in CONFIG_TYPES.items():
        value = config.get(key)
        if value is None:
            continue
        ok = {
            "text": isinstance(value, str),
            "bool": isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "table": isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
        }[wanted]
        if wanted == "number" and ok and not 0 <= value <= 1:  # also refuses nan and inf
            ok = False
        if not ok:
            line = next(
                (
                    n
                    for n, row in enumerate(text.splitlines(), 1)
                    if row.strip().startswith((f"{key} ", f"{key}=", f"[{key}]"))
                ),
                0,
            )
            where = f"{path}:{line}" if line else str(path)
            raise ValueError(f"{where}: '{key}' must be {CONFIG_HELP[key]}")
    return config


CONFIG_TYPES = {
    "annotator": "text",
    "bias_lexicon": "text",
    "keys": "table",
    "recommender": "bool",
    "recommender_min_f1": "number",
    "recommender_train_on": "text",
}
CONFIG_HELP = {
    "annotator": "text (your name on every annotation)",
    "bias_lexicon": "text (a file's path)",
    "keys": 'a table of binding id = "key", e.g. [keys] then tag_all = "A"',
    "recommender": "true or false (the learned suggestions on or off)",
    "recommender_min_f1": "a number from 0 to 1 (the held-out F1 below which a model stays silent)",
    "recommender_train_on": '"done" (articles marked done, the default) or "annotated" (every one)',
}


def annotator_name(explicit: str | None = None, config: dict[str, Any] | None = None) -> str:
    """--annotator, then HAMISH_ANNOTATOR, then the config file's `annotator`, then the OS user name."""
    if explicit:
        return explicit
    if os.environ.get("HAMISH_ANNOTATOR"):
        return os.environ["HAMISH_ANNOTATOR"]
    name = (config if config is not None else load_config()).get("annotator")
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def crash_log_dir() -> Path:
    """Where a crash's traceback goes (the terminal gets one line naming the file)."""
    override = os.environ.get("HAMISH_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP, appauthor=False))
