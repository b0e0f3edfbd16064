"""hamish's UI-free core: articles, annotations, offsets, right-to-left layout, the store, import/export.

Nothing in this package imports textual or tui (an import-linter contract checks it).
"""

__version__ = "0.1.0"
