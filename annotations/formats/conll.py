"""CoNLL BIO files (CoNLL-2003, Label Studio's CONLL2003 export, NewsFANE-style token TAB tag) read as
records: each document, or each blank-line block, one article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from annotations.formats.ingest import make_article
from annotations.formats.records import Raw, Record, decoded_text
from annotations.store.model import Problem, Sourced

CONLL_ARTICLES = ("docstart", "block")
"""What one article of a CoNLL file is: a `-DOCSTART-` document (each blank-line block where there is none),
or each blank-line block."""


def read_conll(path: Path, articles: str = "docstart") -> Iterator[Record | Problem]:
    """BIO lines: the token is the first column and the tag the last (`token TAG`, CoNLL-2003's
    `token POS chunk TAG`, Label Studio's `token -X- _ TAG`; tab- or space-separated). Blank lines end
    sentences. With `-DOCSTART-` lines each document is one article (its sentences on lines of their own);
    without, or with `articles="block"`, each blank-line block is one. The text is the tokens joined by single
    spaces. A file with one `-DOCSTART-` before several blocks (Label Studio's CONLL2003 export has one for
    the whole project, each task a block) is one article, and a warning says how to make each block one."""
    decoded = yield from decoded_text(path)
    if decoded is None:
        return
    lines = decoded.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not decoded.strip("\ufeff \t\r\n"):
        yield Problem(str(path), 0, "empty file: no sentences")
        return
    starts = sum(line.startswith("-DOCSTART-") for line in lines)
    documents = starts > 0 and articles == "docstart"
    if starts == 1 and documents:
        blocks, before = 0, ""
        for line in lines:
            tokens = bool(line.strip()) and not line.startswith("-DOCSTART-")
            blocks += tokens and (not before.strip() or before.startswith("-DOCSTART-"))
            before = line
        if blocks > 1:
            said = Problem(
                str(path),
                1,
                f"one -DOCSTART- for {blocks:,} blank-line blocks (Label Studio's CONLL2003 export has one "
                f"for the whole project): imported as one article; --conll-articles block makes each block "
                f"an article",
            )
            warned = False
        else:
            warned = True
    document: list[list[tuple[int, str, str]]] = []
    sentence: list[tuple[int, str, str]] = []
    bad = False
    count = 0
    for number, line in enumerate([*lines, "-DOCSTART-"], 1):
        if line.strip() and not line.startswith("-DOCSTART-"):
            fields = line.split("\t") if "\t" in line else line.split()
            token, tag = fields[0].strip(" "), fields[-1].strip()
            if len(fields) < 2 or not token or not re.fullmatch(r"O|[BI]-\S+", tag):
                yield Problem(str(path), number, f"not 'token ... TAG' with a BIO tag last: {line[:40]!r}")
                bad = True  # the sentence is bad: drop it
                continue
            sentence.append((number, token, tag))
            continue
        if sentence and not bad:
            document.append(sentence)
        sentence, bad = [], False
        if document and (not documents or line.startswith("-DOCSTART-")):
            count += 1
            record = _conll_article(path, count, document)
            if starts == 1 and documents and not warned:
                record.warnings.insert(0, said)
                warned = True
            yield record
            document = []


def _conll_article(path: Path, count: int, sentences: list[list[tuple[int, str, str]]]) -> Record:
    text = "\n".join(" ".join(token for _, token, _ in sentence) for sentence in sentences)
    record = Record(
        Sourced(
            make_article(text, id=f"{path.stem}-{count}", title=f"{path.stem} #{count}"),
            str(path),
            sentences[0][0][0],
        )
    )
    offset = 0
    for sentence in sentences:
        current: Raw | None = None
        for number, token, tag in sentence:
            start, end = offset, offset + len(token)
            offset = end + 1
            prefix, _, label = tag.partition("-")
            if prefix == "I" and (current is None or current["label"] != label):
                before = "O" if current is None else f"a {current['label']} span"
                record.warnings.append(
                    Problem(str(path), number, f"{tag} follows {before}: started a new {label} span there")
                )
                prefix = "B"
            if prefix == "B":
                current = {"start": start, "end": end, "label": label}
                record.spans.append(current)
                record.line_of_span.append(number)
            elif prefix == "I" and current is not None:
                current["end"] = end
            else:
                current = None
    return record
