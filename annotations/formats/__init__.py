"""Formats: reading articles and annotated files (native, doccano, Label Studio, ArMPro, CoNLL) into the store,
and exporting from it. Above find/, store/ and text/."""

from annotations.formats.exporters import ExportError, ExportOptions, export
from annotations.formats.importers import read
from annotations.formats.importing import import_records
from annotations.formats.ingest import read_articles

__all__ = ["ExportError", "ExportOptions", "export", "import_records", "read", "read_articles"]
