"""The exports read by the tools themselves: seqeval reads every CoNLL export; spaCy (blank "ar", nothing
downloaded) builds a DocBin from the Prodigy export with every span found by char_span, strictly. Both come
from the optional `interop` extra (`pip install -e '.[interop]'`, which .ci/run does); without it, skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.formats.exporters import ExportOptions, export
from annotations.store.store import Store

WHY = "the interop extra (spaCy, seqeval) is not installed: pip install -e '.[interop]', as .ci/run does"
seqeval_metrics = pytest.importorskip("seqeval.metrics", reason=WHY)
spacy = pytest.importorskip("spacy", reason=WHY)


def read_conll(text: str) -> list[list[str]]:
    """Tags per sentence, as seqeval's own CoNLL readers take them (token<TAB>tag, blank lines)."""
    sentences, current = [], []
    for line in text.splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            if current:
                sentences.append(current)
            current = []
            continue
        token, tag = line.split("\t")
        assert token.strip(), "an empty token"
        current.append(tag)
    if current:
        sentences.append(current)
    return sentences


@pytest.mark.parametrize("layer", ["entity", "bias"])
def test_seqeval_reads_every_conll_export(annotated: Store, layer: str) -> None:
    text = "".join(export(annotated, ExportOptions("conll", layers=(layer,))))
    tags = read_conll(text)
    assert tags
    # Every tag is one seqeval accepts, and the export scores perfectly against itself.
    assert seqeval_metrics.f1_score(tags, tags, mode="strict", scheme=seqeval_scheme()) == 1.0
    entities = sum(1 for sentence in tags for tag in sentence if tag.startswith("B-"))
    assert entities == len(
        {(s.start, s.end) for a in annotated.articles() for s in annotated.spans(a.id) if s.layer == layer}
        - overlapped(annotated, layer)
    )


def seqeval_scheme():
    from seqeval.scheme import IOB2

    return IOB2


def overlapped(store: Store, layer: str) -> set[tuple[int, int]]:
    """Spans CoNLL leaves out: shorter ones overlapping a longer one in the layer."""
    out = set()
    for article in store.articles():
        spans = sorted(
            (s for s in store.spans(article.id) if s.layer == layer), key=lambda s: -(s.end - s.start)
        )
        kept: list = []
        for span in spans:
            if any(span.start < k.end and k.start < span.end for k in kept):
                out.add((span.start, span.end))
            else:
                kept.append(span)
    return out


def test_spacy_builds_a_docbin_from_the_prodigy_export_with_every_span_strict(
    annotated: Store, tmp_path: Path
) -> None:
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("ar")
    docs = DocBin()
    found = 0
    for line in "".join(export(annotated, ExportOptions("prodigy"))).splitlines():
        task = json.loads(line)
        words, spaces = words_and_spaces(task["text"], task["tokens"])
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        assert doc.text == task["text"]
        spans = []
        for span in task["spans"]:
            made = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="strict")
            assert made is not None, f"no strict char_span for {span}"
            spans.append(made)
        doc.spans["sc"] = spans  # overlapping spans belong in doc.spans, not doc.ents
        found += len(spans)
        docs.add(doc)
    docs.to_disk(tmp_path / "train.spacy")
    assert found == sum(len(annotated.spans(a.id)) for a in annotated.articles()) == 6
    assert len(list(DocBin().from_disk(tmp_path / "train.spacy").get_docs(nlp.vocab))) == 5


def words_and_spaces(text: str, tokens: list[dict]) -> tuple[list[str], list[bool]]:
    """spaCy words from Prodigy tokens, with white space other than one plain space as tokens of its own, so
    the Doc's text is the article's text exactly."""
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for token in tokens:
        gap = text[position : token["start"]]
        if gap:
            if words and gap.startswith(" ") and not spaces[-1]:
                spaces[-1], gap = True, gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        words.append(token["text"])
        spaces.append(False)
        position = token["end"]
    if text[position:]:
        words.append(text[position:])
        spaces.append(False)
    return words, spaces
