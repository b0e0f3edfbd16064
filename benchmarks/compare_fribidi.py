"""Compare hamish's visual lines with GNU FriBidi's, line by line, on real Arabic news text.

For each paragraph of the seed articles (data/sample) and, when present, of
../shared/external/armpro/ArMPro_span_dev_V2.jsonl, wrapped at 40, 80 and 120 cells: the terminal-mode line
(logical order, hamish's line breaks) goes through `fribidi --nopad --nobreak --rtl|--ltr` (the paragraph's own
base direction), and must equal hamish's app-mode line after both are normalised the same way: NFKC (so
presentation forms and lam-alef ligatures become base letters), harakat and format controls removed.

    python benchmarks/compare_fribidi.py        # needs the `fribidi` command (Debian: libfribidi-bin)
Prints the counts and any mismatch; exits 1 on a mismatch.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.store.resources import sample_corpus_dir  # noqa: E402
from annotations.text.layout import Layout  # noqa: E402

ARMPRO = ROOT.parent / "shared" / "external" / "armpro" / "ArMPro_span_dev_V2.jsonl"
WIDTHS = (40, 80, 120)
UNWRAPPED = 10**6  # whole paragraphs on one line: fribidi then sees the same context as UAX #9


# A lam-alef ligature stands for two letters; in a visual (left-to-right) string they read alef, lam.
LAM_ALEF_VISUAL = {chr(c): "ا" + "ل" for c in range(0xFEF5, 0xFEFD)}


def normalise(line: str) -> str:
    line = "".join(LAM_ALEF_VISUAL.get(ch, ch) for ch in line)
    line = unicodedata.normalize("NFKC", line)
    return "".join(ch for ch in line if unicodedata.category(ch) not in ("Mn", "Cf")).strip()


def fribidi(lines: list[str], rtl: bool) -> list[str]:
    if not lines:
        return []
    flag = "--rtl" if rtl else "--ltr"
    out = subprocess.run(
        ["fribidi", "--nopad", "--nobreak", flag],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split("\n")[: len(lines)]


def texts() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(sample_corpus_dir().glob("*.txt"))]
    if ARMPRO.exists():
        for line in ARMPRO.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            found.append((f"armpro:{record['paragraph_id']}", record["paragraph"]))
    return found


def main() -> int:
    if not shutil.which("fribidi"):
        print("fribidi not found: apt-get install libfribidi-bin", file=sys.stderr)
        return 2
    total = mismatches = context = whole = 0
    sources = texts()
    for width in (*WIDTHS, UNWRAPPED):
        batches: dict[bool, list[tuple[str, str, str]]] = {True: [], False: []}
        for name, text in sources:
            app = Layout(text, width, mode="app")
            term = Layout(text, width, mode="terminal")
            assert len(app.lines) == len(term.lines), name
            for a, t in zip(app.lines, term.lines, strict=True):
                logical = t.text.replace("\n", "")
                if not logical.strip():
                    continue
                batches[a.rtl].append((name, logical, a.text))
        for rtl, items in batches.items():
            theirs = fribidi([logical for _, logical, _ in items], rtl)
            for (name, logical, ours), other in zip(items, theirs, strict=True):
                if width == UNWRAPPED:
                    whole += 1
                    if normalise(ours) != normalise(other):
                        mismatches += 1
                        print(f"MISMATCH whole paragraph {name}:\n  hamish  {ours!r}\n  fribidi {other!r}")
                    continue
                total += 1
                if normalise(ours) != normalise(other):
                    # UAX #9 resolves levels per paragraph; fribidi's command line sees one line. Lay the line
                    # out as a paragraph of its own: if that agrees with fribidi, the difference is context.
                    alone = Layout(logical, 10**6, mode="app", base=int(rtl)).lines[0].text
                    if normalise(alone) == normalise(other):
                        context += 1
                        if context <= 5:
                            print(
                                f"context {name} width {width}: {logical!r} -> hamish {ours!r}, "
                                f"as its own paragraph {alone!r}"
                            )
                        continue
                    mismatches += 1
                    if mismatches <= 10:
                        print(
                            f"MISMATCH {name} width {width}:\n  logical {logical!r}\n  hamish  {ours!r}\n"
                            f"  fribidi {other!r}"
                        )
    print(f"whole paragraphs compared unwrapped (same context for both): {whole}")
    print(
        f"sources: {len(sources)} texts ({'with' if ARMPRO.exists() else 'without'} ArMPro); "
        f"widths {WIDTHS}; lines compared: {total}; mismatches: {mismatches}; differences explained by "
        f"paragraph context (UAX #9 levels are per paragraph, fribidi's command line sees one line): {context}"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
