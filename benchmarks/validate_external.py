"""Import real data nobody here wrote, re-export it, and print the counts.

    python benchmarks/validate_external.py

Reads ../shared/external/armpro/ArMPro_span_dev_V2.jsonl (ArMPro dev: 672 paragraphs, 1,263 spans, overlaps
kept) and ../shared/external/newsfane/NewsFANE_Gold_2014_170K.txt (CoNLL BIO with 46 fine-grained classes,
mapped with data/label-maps/newsfane.toml; its invalid I- tags are reported), into a temporary store; checks
the store; re-exports native, doccano and CoNLL and compares what comes back with what went in.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.formats.exporters import ExportOptions, export  # noqa: E402
from annotations.formats.importers import read  # noqa: E402
from annotations.formats.importing import import_records  # noqa: E402
from annotations.store.check import check_store  # noqa: E402
from annotations.store.resources import data_dir  # noqa: E402
from annotations.store.schema import load_schema  # noqa: E402
from annotations.store.store import Store  # noqa: E402
from annotations.text.tokenize import tokenize  # noqa: E402
from tui.cli.base import load_label_map  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"
ARMPRO = EXTERNAL / "armpro" / "ArMPro_span_dev_V2.jsonl"
NEWSFANE = EXTERNAL / "newsfane" / "NewsFANE_Gold_2014_170K.txt"


def armpro(folder: Path) -> bool:
    source = [json.loads(line) for line in ARMPRO.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = Counter(
        (r["paragraph_id"], x["start"], x["end"], x["technique"]) for r in source for x in r["labels"]
    )
    overlapping = sum(
        1
        for r in source
        for i, a in enumerate(r["labels"])
        for b in r["labels"][i + 1 :]
        if a["start"] < b["end"] and b["start"] < a["end"]
    )
    store = Store(folder / "armpro.json", annotator="validation")
    t0 = time.perf_counter()
    report = import_records(store, read([ARMPRO]), load_schema())
    took = time.perf_counter() - t0
    got = Counter(
        (s.article_id, s.start, s.end, s.label) for a in store.articles() for s in store.spans(a.id)
    )
    print(
        f"ArMPro: {len(source)} paragraphs, {sum(wanted.values())} spans in the file ({overlapping} overlapping "
        f"pairs); imported {report.articles_added} articles, {report.spans_added} spans in {took:.2f} s; "
        f"problems {len(report.problems)}"
    )
    exported = [json.loads(line) for line in export(store, ExportOptions("native"))][1:]
    back = Counter((r["id"], s["start"], s["end"], s["label"]) for r in exported for s in r["spans"])
    doccano = [json.loads(line) for line in export(store, ExportOptions("doccano"))]
    check = check_store(store)
    ok = got == wanted == back and len(doccano) == len(source) and check.ok
    print(
        f"  re-exported native: {sum(back.values())} spans, identical to the file: {back == wanted}; "
        f"doccano lines: {len(doccano)}; hamish check: {len(check.problems)} problems -> {'OK' if ok else 'FAIL'}"
    )
    return ok


def newsfane(folder: Path) -> bool:
    lines = NEWSFANE.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    tags = [line.rpartition("\t")[2] for line in lines if line.strip()]  # a tab alone separates sentences
    entities_in_file = sum(tag.startswith("B-") for tag in tags)
    invalid = sum(
        1 for prev, tag in zip(["O", *tags], tags, strict=False) if tag.startswith("I-") and prev == "O"
    )
    store = Store(folder / "newsfane.json", annotator="validation")
    t0 = time.perf_counter()
    report = import_records(
        store, read([NEWSFANE]), load_schema(), load_label_map(data_dir() / "label-maps" / "newsfane.toml")
    )
    took = time.perf_counter() - t0
    spans = sum(len(store.spans(a.id)) for a in store.articles())
    print(
        f"NewsFANE: {len(tags)} tokens, {entities_in_file} B- tags and {invalid} I- tags after O in the file; "
        f"imported {report.articles_added} sentences, {spans} entities in {took:.2f} s; "
        f"problems {len(report.problems)}, warnings {len(report.warnings)}:"
    )
    for warning in report.warnings:
        print(f"  {warning}")
    conll = "".join(export(store, ExportOptions("conll", layers=("entity",))))
    out_tags = [
        line.rpartition("\t")[2]
        for line in conll.splitlines()
        if "\t" in line and not line.startswith("-DOCSTART-")
    ]
    coarse = Counter(tag.split("-", 1)[-1] for tag in out_tags if tag.startswith("B-"))
    # hamish's tokenizer cuts punctuation out of a token ("A-iyik" -> A - iyik): count what that adds.
    expected_tokens = sum(max(len(tokenize(line.rpartition("\t")[0])), 1) for line in lines if line.strip())
    ok = (
        spans == entities_in_file + invalid == sum(coarse.values())
        and len(out_tags) == expected_tokens
        and not report.problems
    )
    print(
        f"  re-exported CoNLL: {len(out_tags)} tokens ({expected_tokens - len(tags)} more than the file: "
        f"tokens with punctuation inside, cut by hamish's tokenizer), {sum(coarse.values())} entities "
        f"{dict(coarse)} -> {'OK' if ok else 'FAIL'}"
    )
    return ok


def main() -> int:
    if not ARMPRO.exists() or not NEWSFANE.exists():
        print(f"external data not found under {EXTERNAL}")
        return 2
    with tempfile.TemporaryDirectory() as folder:
        ok = armpro(Path(folder)) & newsfane(Path(folder))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
