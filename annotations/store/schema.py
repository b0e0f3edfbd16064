"""The label schema (TOML): span layers with labels, keys and colours, and the stance layer's values."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rich.color import Color, ColorParseError

from annotations.errors import HamishError
from annotations.store.files import InputError, read_text
from annotations.store.resources import data_dir

LAYER_KINDS = ("span", "stance")
STYLES = ("background", "underline", "italic")


class SchemaError(HamishError, ValueError):
    """A schema file that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class Label:
    name: str
    key: str
    color: str
    description: str
    examples: tuple[str, ...] = ()
    """Annotation guidelines in the tool: sample phrases the label is for (shown by the picker and `i`)."""


@dataclass(frozen=True)
class Layer:
    name: str
    kind: str
    style: str
    description: str
    labels: tuple[Label, ...] = ()
    values: tuple[str, ...] = ()

    def label(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    def by_key(self, key: str) -> Label | None:
        return next((label for label in self.labels if label.key == key), None)


@dataclass(frozen=True)
class RelationType:
    """A kind of link between two spans, with the spans allowed at each end (enforced)."""

    name: str
    sources: tuple[tuple[str, str | None], ...]
    """(layer, label or None for any label of the layer) a link may start from."""
    targets: tuple[tuple[str, str | None], ...]
    directed: bool
    key: str
    color: str
    description: str

    @staticmethod
    def _fits(ends: tuple[tuple[str, str | None], ...], layer: str, label: str) -> bool:
        return any(layer == end_layer and end_label in (None, label) for end_layer, end_label in ends)

    def allows(self, source: tuple[str, str], target: tuple[str, str]) -> bool:
        """May a link of this type go from a span (layer, label) to another? Symmetric types either way."""
        forward = self._fits(self.sources, *source) and self._fits(self.targets, *target)
        return forward or (
            not self.directed and self._fits(self.sources, *target) and self._fits(self.targets, *source)
        )

    @property
    def rule(self) -> str:
        """The rule in words, for a refusal: `targets: from bias to entity`."""

        def ends(items: tuple[tuple[str, str | None], ...]) -> str:
            return " or ".join(f"{layer}:{label}" if label else layer for layer, label in items)

        return (
            f"{self.name}: from {ends(self.sources)} {'to' if self.directed else 'and'} {ends(self.targets)}"
        )


@dataclass(frozen=True)
class Schema:
    path: str
    layers: tuple[Layer, ...]
    keys: dict[str, str] = field(default_factory=dict)
    """Key remaps by binding id (`[keys]` section), applied before the config file's."""
    relations: tuple[RelationType, ...] = ()

    def relation(self, name: str) -> RelationType | None:
        return next((r for r in self.relations if r.name == name), None)

    def relations_for(self, source: tuple[str, str], target: tuple[str, str]) -> list[RelationType]:
        """The relation types allowed from one span to another."""
        return [r for r in self.relations if r.allows(source, target)]

    @property
    def span_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.kind == "span")

    @cached_property
    def span_labels(self) -> frozenset[tuple[str, str]]:
        """Every (layer, label) a span may have: what is learned, suggested, accepted and passes `check`."""
        return frozenset((layer.name, label.name) for layer in self.span_layers for label in layer.labels)

    @property
    def stance_layer(self) -> Layer | None:
        return next((layer for layer in self.layers if layer.kind == "stance"), None)

    def layer(self, name: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.name == name), None)


def default_schema_path() -> Path:
    return data_dir() / "schema.toml"


ReservedKeys = dict[str, str] | Callable[[dict[str, str]], dict[str, str]]


def load_schema(path: str | Path | None = None, reserved_keys: ReservedKeys | None = None) -> Schema:
    """Read and check a schema. `reserved_keys` maps the keys the app binds to what they do, or is a function
    from the schema's own `[keys]` remaps to that map."""
    path = Path(path) if path else default_schema_path()
    try:
        raw = tomllib.loads(read_text(path, what="schema file"))
    except InputError as error:
        raise SchemaError(str(error)) from None
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise SchemaError(f"{path}: not valid TOML: {error}") from None
    return parse_schema(raw, str(path), reserved_keys or {})


def _fail(source: str, message: str) -> SchemaError:
    return SchemaError(f"{source}: {message}")


def parse_schema(raw: dict[str, Any], source: str, reserved_keys: ReservedKeys) -> Schema:
    unknown = set(raw) - {"layers", "keys", "relations"}
    if unknown:
        raise _fail(
            source,
            f"unknown section '{sorted(unknown)[0]}' (expected [layers.NAME], [relations.NAME] or [keys])",
        )
    keys = raw.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise _fail(source, '[keys] maps binding ids to keys, e.g. "app.next_article" = "n"')
    if callable(reserved_keys):
        reserved_keys = reserved_keys(keys)
    layers_raw = raw.get("layers")
    if not isinstance(layers_raw, dict) or not layers_raw:
        raise _fail(source, "no [layers.NAME] section")
    layers = []
    for name, body in layers_raw.items():
        if not isinstance(body, dict):
            raise _fail(source, f"layer '{name}' must be a table")
        kind = body.get("kind")
        if kind not in LAYER_KINDS:
            raise _fail(source, f"unknown layer kind {kind!r} for layer '{name}' (expected span or stance)")
        extra = set(body) - {"kind", "style", "description", "labels", "values"}
        if extra:
            raise _fail(source, f"layer '{name}': unknown setting '{sorted(extra)[0]}'")
        style = body.get("style", "background")
        if style not in STYLES:
            raise _fail(source, f"layer '{name}': style must be background or underline, not {style!r}")
        if kind == "stance":
            values = body.get("values")
            if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
                raise _fail(source, f"stance layer '{name}' needs values = [\"favor\", ...]")
            layers.append(Layer(name, kind, style, body.get("description", ""), values=tuple(values)))
            continue
        layers.append(
            Layer(
                name,
                kind,
                style,
                body.get("description", ""),
                labels=_labels(source, name, body.get("labels"), reserved_keys),
            )
        )
    if not any(layer.kind == "span" for layer in layers):
        raise _fail(source, 'no span layer (kind = "span")')
    if sum(layer.kind == "stance" for layer in layers) > 1:
        raise _fail(source, "more than one stance layer")
    relations = _relations(source, raw.get("relations", {}), {layer.name: layer for layer in layers})
    return Schema(source, tuple(layers), dict(keys), relations)


def _relations(source: str, raw: Any, layers: dict[str, Layer]) -> tuple[RelationType, ...]:
    if not isinstance(raw, dict):
        raise _fail(source, "[relations.NAME] sections describe the links between spans")
    found: list[RelationType] = []
    keys: dict[str, str] = {}
    for name, body in raw.items():
        if not isinstance(body, dict):
            raise _fail(source, f"relation '{name}' must be a table")
        extra = set(body) - {"from", "to", "directed", "key", "color", "description"}
        if extra:
            raise _fail(source, f"relation '{name}': unknown setting '{sorted(extra)[0]}'")
        ends = []
        for side in ("from", "to"):
            items = body.get(side)
            if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
                raise _fail(
                    source, f"relation '{name}': '{side}' lists the layers (or layer:label) allowed there"
                )
            parsed = []
            for item in items:
                layer_name, _, label = item.partition(":")
                layer = layers.get(layer_name)
                if layer is None or layer.kind != "span":
                    raise _fail(
                        source, f"relation '{name}': '{side}' names '{layer_name}', which is no span layer"
                    )
                if label and layer.label(label) is None:
                    raise _fail(source, f"relation '{name}': layer '{layer_name}' has no label '{label}'")
                parsed.append((layer_name, label or None))
            ends.append(tuple(parsed))
        directed = body.get("directed", True)
        if not isinstance(directed, bool):
            raise _fail(source, f"relation '{name}': directed is true or false")
        key = str(body.get("key", ""))
        if key and key in keys:
            raise _fail(source, f"relations '{keys[key]}' and '{name}' both use key '{key}'")
        keys[key] = name
        color = body.get("color", "#d7d7d7")
        if not isinstance(color, str) or not is_colour(color):
            raise _fail(source, f"relation '{name}' has colour {color!r}, which is no colour")
        found.append(
            RelationType(name, ends[0], ends[1], directed, key, color, str(body.get("description", "")))
        )
    return tuple(found)


def _labels(source: str, layer: str, raw: Any, reserved_keys: dict[str, str]) -> tuple[Label, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(source, f"layer '{layer}' has no labels")
    labels: list[Label] = []
    names: set[str] = set()
    keys: dict[str, str] = {}
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise _fail(source, f"layer '{layer}': every label needs a name")
        name = entry["name"]
        if name in names:
            raise _fail(source, f"layer '{layer}': duplicate label '{name}'")
        names.add(name)
        key = str(entry.get("key", ""))
        if key:
            if key in keys:
                raise _fail(
                    source, f"layer '{layer}': duplicate key '{key}' (labels '{keys[key]}' and '{name}')"
                )
            if key in reserved_keys:
                raise _fail(
                    source,
                    f"layer '{layer}': label '{name}' uses key '{key}', which is bound to "
                    f"'{reserved_keys[key]}'",
                )
            keys[key] = name
        color = entry.get("color", "#888888")
        if not isinstance(color, str) or not is_colour(color):
            raise _fail(
                source,
                f"layer '{layer}': label '{name}' has colour {color!r}, which is no colour (use "
                f'"#rrggbb" or a name such as "red", "dark_orange", "grey50")',
            )
        examples = entry.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
            raise _fail(
                source,
                f"layer '{layer}': label '{name}' has examples that are not a list of phrases "
                f'(use examples = ["...", "..."])',
            )
        labels.append(Label(name, key, color, str(entry.get("description", "")), tuple(examples)))
    return tuple(labels)


def colour_hex(value: str) -> str:
    """#rrggbb for a colour the view draws (for tools that take CSS colours, e.g. Label Studio)."""
    try:
        return Color.parse(value).get_truecolor().hex
    except ColorParseError:
        return "#888888"


def is_colour(value: str) -> bool:
    """What the view can draw: Rich's colour syntax (its parser is the one that draws it; no UI is imported)."""
    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True
