"""Label Studio's full JSON export written, and the labeling config that matches it; the names are those of
annotations.formats.labelstudio (which reads them back): a `Labels` control per span layer, the per-region
`TextArea` `note`, `Choices` `stance[:target]` with their `TextArea` `stance_note[:target]`, and in each task's
data `annotators` and `stance_spans`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from annotations.formats.records import dumps
from annotations.store.model import ARTICLE_TARGET
from annotations.store.schema import Schema, colour_hex

if TYPE_CHECKING:  # the exporters import this module: their types only, for the checker
    from annotations.formats.exporters import ExportOptions, Item


def write_labelstudio(items: Iterable[Item], options: ExportOptions) -> Iterator[str]:
    """A JSON array of Label Studio tasks, one annotation per annotator, named as the module says;
    `labelstudio_config` writes the labeling config that matches."""
    yield "["
    first = True
    for number, item in enumerate(items, 1):
        by_annotator: dict[str, list[dict[str, Any]]] = {}
        for s in item.spans:
            options.seen_labels.setdefault(s.layer, set()).add(s.label)
            results = by_annotator.setdefault(s.annotator, [])
            region = {"start": s.start, "end": s.end, "text": s.text}
            results.append(
                {
                    "id": s.id,
                    "from_name": s.layer,
                    "to_name": "text",
                    "type": "labels",
                    "value": {**region, "labels": [s.label]},
                }
            )
            if s.note:
                results.append(
                    {
                        "id": s.id,
                        "from_name": "note",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {**region, "text": [s.note]},
                    }
                )
        owner = {s.id: s.annotator for s in item.spans}
        for r in item.relations:
            if owner[r.source] != owner[r.target]:  # a Label Studio relation joins regions of one annotation
                options.left_out["links between two annotators' spans"] += 1
                continue
            options.seen_relations.add(r.type)
            symmetric = options.symmetric.get(r.type, False)
            by_annotator.setdefault(owner[r.source], []).append(
                {
                    "from_id": r.source,
                    "to_id": r.target,
                    "type": "relation",
                    "direction": "bi" if symmetric else "right",
                    "labels": [r.type],
                }
            )
        stance_spans: dict[str, dict[str, str]] = {}
        for stance in item.stances:
            suffix = "" if stance.target == ARTICLE_TARGET else f":{stance.target}"
            if stance.target != ARTICLE_TARGET:
                options.seen_targets.add(stance.target)
            results = by_annotator.setdefault(stance.annotator, [])
            results.append(
                {
                    "from_name": f"stance{suffix}",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": [stance.value]},
                }
            )
            if stance.note:
                results.append(
                    {
                        "from_name": f"stance_note{suffix}",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {"text": [stance.note]},
                    }
                )
            if stance.span_id in owner:
                stance_spans.setdefault(stance.annotator, {})[stance.target] = stance.span_id
        a = item.article
        # Label Studio keeps a task's data as it is but makes every imported annotation the importing user's,
        # so the annotators' names travel in the data, in the order of the annotations.
        task = {
            "id": number,
            "data": {
                "text": a.text,
                "article_id": a.id,
                "title": a.title,
                "url": a.url,
                "meta": a.meta,
                "annotators": list(by_annotator),
                **({"stance_spans": stance_spans} if stance_spans else {}),
            },
            "annotations": [{"result": result} for result in by_annotator.values()],
        }
        yield ("\n" if first else ",\n") + dumps(task)
        first = False
    yield "\n]\n"


def labelstudio_config(schema: Schema, options: ExportOptions) -> str:
    """The labeling config (XML) whose control names are exactly those of the exported file: Label Studio
    imports results with unknown names without an error and then shows nothing."""
    lines = ["<View>", '  <Text name="text" value="$text"/>']
    layers = {layer.name: layer for layer in schema.span_layers}
    for name in sorted(set(layers) | set(options.seen_labels)):
        layer = layers.get(name)
        labels = [(label.name, label.color) for label in layer.labels] if layer else []
        labels += [
            (extra, "grey50")
            for extra in sorted(options.seen_labels.get(name, set()) - {n for n, _ in labels})
        ]
        lines.append(f'  <Labels name={quoteattr(name)} toName="text">')
        lines += [
            f"    <Label value={quoteattr(label)} background={quoteattr(colour_hex(colour))}/>"
            for label, colour in labels
        ]
        lines.append("  </Labels>")
    lines.append(
        '  <TextArea name="note" toName="text" perRegion="true" editable="true" displayMode="region-list"/>'
    )
    relations = [r.name for r in schema.relations] + sorted(
        options.seen_relations - {r.name for r in schema.relations}
    )
    if relations:
        lines.append("  <Relations>")
        lines += [f"    <Relation value={quoteattr(name)}/>" for name in relations]
        lines.append("  </Relations>")
    values = schema.stance_layer.values if schema.stance_layer else ()
    for target in [ARTICLE_TARGET, *sorted(options.seen_targets)]:
        suffix = "" if target == ARTICLE_TARGET else f":{target}"
        header = "stance: the article" if target == ARTICLE_TARGET else f"stance toward {target}"
        lines.append(f"  <Header value={quoteattr(header)}/>")
        lines.append(f'  <Choices name={quoteattr("stance" + suffix)} toName="text" choice="single">')
        lines += [f"    <Choice value={quoteattr(value)}/>" for value in values]
        lines.append("  </Choices>")
        lines.append(
            f'  <TextArea name={quoteattr("stance_note" + suffix)} toName="text" editable="true" '
            f'maxSubmissions="1" placeholder="a note on this stance"/>'
        )
    lines.append("</View>")
    return "\n".join(lines) + "\n"
