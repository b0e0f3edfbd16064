"""The label schema (TOML): span layers with labels, keys and colours, and the stance layer's values."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.color import Color, ColorParseError

from annotations.store.resources import data_dir

LAYER_KINDS = ("span", "stance")
STYLES = ("background", "underline")


class SchemaError(ValueError):
    """A schema file that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class Label:
    name: str
    key: str
    color: str
    description: str


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
class Schema:
    path: str
    layers: tuple[Layer, ...]
    keys: dict[str, str] = field(default_factory=dict)
    """Key remaps by binding id (`[keys]` section), applied before the config file's."""

    @property
    def span_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.kind == "span")

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
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(f"{path}: no such schema file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path}: not valid TOML: {error}") from None
    return parse_schema(raw, str(path), reserved_keys or {})


def _fail(source: str, message: str) -> SchemaError:
    return SchemaError(f"{source}: {message}")


def parse_schema(raw: dict[str, Any], source: str, reserved_keys: ReservedKeys) -> Schema:
    unknown = set(raw) - {"layers", "keys"}
    if unknown:
        raise _fail(source, f"unknown section '{sorted(unknown)[0]}' (expected [layers.NAME] or [keys])")
    keys = raw.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise _fail(source, "[keys] maps binding ids to keys, e.g. \"app.next_article\" = \"n\"")
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
        layers.append(Layer(name, kind, style, body.get("description", ""),
                            labels=_labels(source, name, body.get("labels"), reserved_keys)))
    if not any(layer.kind == "span" for layer in layers):
        raise _fail(source, "no span layer (kind = \"span\")")
    if sum(layer.kind == "stance" for layer in layers) > 1:
        raise _fail(source, "more than one stance layer")
    return Schema(source, tuple(layers), dict(keys))


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
                raise _fail(source, f"layer '{layer}': duplicate key '{key}' (labels '{keys[key]}' and '{name}')")
            if key in reserved_keys:
                raise _fail(source, f"layer '{layer}': label '{name}' uses key '{key}', which is bound to "
                                    f"'{reserved_keys[key]}'")
            keys[key] = name
        color = entry.get("color", "#888888")
        if not isinstance(color, str) or not is_colour(color):
            raise _fail(source, f"layer '{layer}': label '{name}' has colour {color!r}, which is no colour (use "
                                f"\"#rrggbb\" or a name such as \"red\", \"dark_orange\", \"grey50\")")
        labels.append(Label(name, key, color, str(entry.get("description", ""))))
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
