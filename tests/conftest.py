from __future__ import annotations

from pathlib import Path

import pytest

from annotations.formats.ingest import read_articles
from annotations.store.resources import sample_corpus_dir
from annotations.store.store import Store

SEEDS = sorted(sample_corpus_dir().glob("*.txt"))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the developer's own store, config and data."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HAMISH_STORE", str(tmp_path / "store" / "store.json"))
    monkeypatch.setenv("HAMISH_CONFIG", str(home / "config" / "hamish" / "config.toml"))
    monkeypatch.setenv("HAMISH_ANNOTATOR", "tester")
    from tui.labels import set_mode

    set_mode("app")  # one per process in real use; each test starts from the default
    for name in ("VTE_VERSION", "KONSOLE_VERSION", "TERM_PROGRAM", "HAMISH_NOISE_PATTERNS"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "store.json"


@pytest.fixture
def sample_store(store_path: Path) -> Store:
    store = Store(store_path, annotator="tester")
    store.import_articles(read_articles([sample_corpus_dir()]))
    store.set_corpus_name("sample corpus")
    return store


def snapshot_of_store(path: Path) -> dict[str, bytes]:
    """Every file of a store (snapshot, journal), byte for byte, to prove nothing changed."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")) if not p.name.endswith((".lock", ".holder"))}
