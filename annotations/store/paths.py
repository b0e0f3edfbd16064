"""Where hamish keeps its files (platformdirs), and who the annotator is."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

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


def annotator_name(explicit: str | None = None, configured: str | None = None) -> str:
    """--annotator, then HAMISH_ANNOTATOR, then the config file's `annotator`, then the OS user name."""
    if explicit:
        return explicit
    if os.environ.get("HAMISH_ANNOTATOR"):
        return os.environ["HAMISH_ANNOTATOR"]
    if configured and configured.strip():
        return configured.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def crash_log_dir() -> Path:
    """Where a crash's traceback goes (the terminal gets one line naming the file)."""
    override = os.environ.get("HAMISH_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP, appauthor=False))
