"""Where the bundled data lives: the sample corpus, the default schema, noise patterns.

In a wheel, data/ is packed as annotations/_data; in a source checkout (or an editable install) it is the
repository's data/ folder.
"""

from __future__ import annotations

from pathlib import Path


def data_dir() -> Path:
    package = Path(__file__).resolve().parents[1]  # annotations/
    packed = package / "_data"
    if packed.is_dir():
        return packed
    return package.parent / "data"


def sample_corpus_dir() -> Path:
    return data_dir() / "sample"
