from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest

from annotations.formats.exporters import ExportOptions, export
from annotations.formats.ingest import read_articles
from annotations.store import annotating as annotating_module
from annotations.store import links as links_module
from annotations.store import store as store_module
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
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("HAMISH_STORE", str(tmp_path / "store" / "store.json"))
    monkeypatch.setenv("HAMISH_CONFIG", str(home / "config" / "hamish" / "config.toml"))
    monkeypatch.setenv("HAMISH_ANNOTATOR", "tester")
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
    return {
        p.name: p.read_bytes()
        for p in sorted(path.parent.glob(path.name + "*"))
        if not p.name.endswith((".lock", ".holder"))
    }


FIXED_TIME = "2026-01-02T03:04:05.000Z"
TAGS = [
    ("الكاظمي", "entity", "PER"),
    ("الاحتلال الفارسي", "bias", "Loaded_Language"),
    ("بغداد", "entity", "GPE"),
    ("وواشنطن", "entity", "GPE"),
    ("الارهابي الفارسي", "bias", "Name_Calling-Labeling"),
]


@pytest.fixture
def annotated(sample_store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The first seed with entities, bias spans (one overlapping an entity) and two stances; fixed times."""
    monkeypatch.setattr(store_module, "now", lambda: FIXED_TIME)
    monkeypatch.setattr(annotating_module, "now", lambda: FIXED_TIME)
    monkeypatch.setattr(links_module, "now", lambda: FIXED_TIME)
    ids = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(ids)))  # stable span ids for golden files
    article = sample_store.articles()[0]
    for word, layer, label in TAGS:
        start = article.text.index(word) + (1 if word == "وواشنطن" else 0)
        end = article.text.index(word) + len(word)
        sample_store.add_span(article, start, end, layer, label)
    start = article.text.index("الاحتلال الفارسي")
    sample_store.add_span(article, start, start + len("الاحتلال الفارسي"), "entity", "ORG")
    sample_store.set_stance(article.id, "(article)", "against")
    sample_store.set_stance(article.id, "الكاظمي", "favor", "يحذر")
    sample_store.set_done(article.id)
    return sample_store


def exported(store: Store, fmt: str, done_only: bool = True, **options) -> str:
    return "".join(export(store, ExportOptions(fmt, done_only=done_only, **options)))
