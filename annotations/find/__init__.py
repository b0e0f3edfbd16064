"""Finding: Arabic-aware search (folding with an index map back to the text), suggestions (tag-all, gazetteer,
bias lexicon) and scrape-noise detection. Above store/ and text/."""

from annotations.find.search import Match, find, fold

__all__ = ["Match", "find", "fold"]
