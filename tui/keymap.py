"""The one key map of the app. Every binding has an id, a description and a tooltip; footer and help are
generated from these, a config file can remap them by id, and each also fires from an Arabic keyboard layout
(the Arabic character on the same physical key of the common Arabic 101 layout, and Arabic-Indic digits).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from textual.binding import Binding, BindingType

# Physical key -> what the Arabic (101) layout types on it. Shifted keys included where we bind them.
ARABIC_LAYOUT = {
    "q": "ض",
    "w": "ص",
    "e": "ث",
    "r": "ق",
    "t": "ف",
    "y": "غ",
    "u": "ع",
    "i": "ه",
    "o": "خ",
    "p": "ح",
    "[": "ج",
    "]": "د",
    "a": "ش",
    "s": "س",
    "d": "ي",
    "f": "ب",
    "g": "ل",
    "h": "ا",
    "j": "ت",
    "k": "ن",
    "l": "م",
    ";": "ك",
    "'": "ط",
    "z": "ئ",
    "x": "ء",
    "c": "ؤ",
    "v": "ر",
    "b": "\ufefb",
    "n": "ى",
    "m": "ة",
    ",": "و",
    ".": "ز",
    "/": "ظ",
    "`": "ذ",
    "G": "\ufef7",
    "J": "\u0640",
    "N": "آ",
    "Y": "إ",
    "?": "؟",
    "T": "\ufef9",
    "B": "\ufef5",
    "H": "أ",
    "S": "\u064d",
    "E": "\u064f",
}
ARABIC_INDIC = {str(d): chr(0x0660 + d) for d in range(10)}
PERSIAN = {str(d): chr(0x06F0 + d) for d in range(10)}

# Textual names printable keys by character; punctuation by its Unicode name.
_KEY_NAMES = {
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "/": "slash",
    "?": "question_mark",
    ";": "semicolon",
    "'": "apostrophe",
    ",": "comma",
    ".": "full_stop",
    "`": "grave_accent",
}


def key_name(character: str) -> str:
    """Textual's key name for a typed character (letters and digits are themselves)."""
    if character in _KEY_NAMES:
        return _KEY_NAMES[character]
    if character.isalnum():
        return character
    return unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")


def with_arabic_aliases(keys: str) -> str:
    """ "w" -> "w,ص"; "1" -> "1,١,۱"; named keys (ctrl+z, enter) stay as they are."""
    names: list[str] = []
    for key in keys.split(","):
        key = key.strip()
        names.append(key)
        character = next((c for c, n in _KEY_NAMES.items() if n == key), key)
        for table in (ARABIC_LAYOUT, ARABIC_INDIC, PERSIAN):
            if character in table:
                names.append(key_name(table[character]))
    return ",".join(dict.fromkeys(names))


@dataclass(frozen=True)
class Key:
    id: str
    keys: str
    action: str
    description: str
    tooltip: str
    show: bool = True
    group: str = ""
    priority: bool = False

    def binding(self, keys: str | None = None) -> Binding:
        chosen = keys or self.keys
        return Binding(
            with_arabic_aliases(chosen),
            self.action,
            self.description,
            show=self.show,
            tooltip=self.tooltip,
            id=self.id,
            priority=self.priority,
        )


APP_KEYS = [
    Key("app.quit", "q", "quit", "Quit", "Quit hamish (everything is already saved)", group="App"),
    Key("app.help", "question_mark", "help", "Help", "Show every key", group="App"),
    Key(
        "app.messages",
        "m",
        "messages",
        "Messages",
        "Every message of this sitting, whole (the status line may have cut one short)",
        show=False,
        group="App",
    ),
    Key(
        "app.previous_article",
        "left_square_bracket",
        "previous_article",
        "Prev article",
        "Open the previous article",
        show=False,
        group="Articles",
    ),
    Key(
        "app.next_article",
        "right_square_bracket",
        "next_article",
        "Next article",
        "Open the next article",
        group="Articles",
    ),
    Key(
        "app.stats",
        "S",
        "stats",
        "Statistics",
        "Counts per label and layer, progress, stance and bias by source, as bar charts",
        show=False,
        group="Team",
    ),
    Key(
        "app.export",
        "E",
        "export",
        "Export",
        "Export the store (hamish, doccano, Prodigy, Label Studio, CoNLL): a "
        "download in a browser, a file in a terminal",
        show=False,
        group="App",
    ),
    Key(
        "app.adjudicate",
        "c",
        "adjudicate",
        "Conflicts",
        "Adjudicate a merged store's conflicts, one by one",
        show=False,
        group="Team",
    ),
    Key(
        "app.palette",
        "ctrl+p",
        "command_palette",
        "Commands",
        "Every action with its key, found as you type",
        show=False,
        group="App",
    ),
    Key(
        "app.panel",
        "tab",
        "focus_next_panel",
        "Panel",
        "Move focus: article, annotations, articles",
        show=False,
        group="App",
        priority=True,
    ),
]

VIEW_KEYS = [
    Key(
        "view.left",
        "left",
        "move_visual(-1)",
        "Left",
        "One character left on screen",
        show=False,
        group="Move",
    ),
    Key(
        "view.right",
        "right",
        "move_visual(1)",
        "Right",
        "One character right on screen",
        show=False,
        group="Move",
    ),
    Key("view.up", "up", "move_vertical(-1)", "Up", "One line up, same column", show=False, group="Move"),
    Key(
        "view.down",
        "down",
        "move_vertical(1)",
        "Down",
        "One line down, same column",
        show=False,
        group="Move",
    ),
    Key(
        "view.next_word",
        "w",
        "next_word",
        "Next word",
        "Next word in reading order",
        show=False,
        group="Move",
    ),
    Key(
        "view.previous_word",
        "b",
        "previous_word",
        "Prev word",
        "Previous word in reading order",
        show=False,
        group="Move",
    ),
    Key(
        "view.word_left",
        "ctrl+left",
        "word_visual(-1)",
        "Word left",
        "One word left on screen",
        show=False,
        group="Move",
    ),
    Key(
        "view.word_right",
        "ctrl+right",
        "word_visual(1)",
        "Word right",
        "One word right on screen",
        show=False,
        group="Move",
    ),
    Key(
        "view.line_start",
        "home",
        "line_start",
        "Line start",
        "Start of the line (reading order)",
        show=False,
        group="Move",
    ),
    Key(
        "view.line_end",
        "end",
        "line_end",
        "Line end",
        "End of the line (reading order)",
        show=False,
        group="Move",
    ),
    Key("view.page_up", "pageup", "page(-1)", "Page up", "One screen up", show=False, group="Move"),
    Key("view.page_down", "pagedown", "page(1)", "Page down", "One screen down", show=False, group="Move"),
    Key("view.top", "g", "top", "Top", "Top of the article", show=False, group="Move"),
    Key("view.bottom", "G", "bottom", "Bottom", "Bottom of the article", show=False, group="Move"),
]

ANNOTATE_KEYS = [
    Key(
        "annotate.select",
        "v",
        "toggle_selection",
        "Select",
        "Start (or drop) a selection at the cursor; moving extends it",
        group="Annotate",
    ),
    Key(
        "annotate.cancel",
        "escape",
        "cancel_selection",
        "Cancel",
        "Cancel the selection",
        show=False,
        group="Annotate",
    ),
    Key(
        "annotate.trim",
        "t",
        "trim",
        "Trim clitics",
        "Trim و ف ب ك ل (and, pressed again, ال) and attached pronouns off the selection",
        show=False,
        group="Annotate",
    ),
    Key(
        "annotate.layer",
        "l",
        "cycle_layer",
        "Layer",
        "Make the next span layer active (entity, bias, ...)",
        group="Annotate",
    ),
    *[
        Key(
            f"annotate.label_{n}",
            str(n),
            f"tag('{n}')",
            f"Label {n}",
            f"Tag the selection (or the word under the cursor) with label {n} of the active layer",
            show=False,
            group="Annotate",
        )
        for n in range(1, 10)
    ],
    Key(
        "annotate.pick",
        "enter",
        "pick_label",
        "Labels",
        "Pick any label of the active layer, filtered as you type",
        group="Annotate",
    ),
    Key(
        "annotate.panels",
        "z",
        "toggle_panels",
        "Panels",
        "Hide the side panels so the article takes the whole width; again shows them",
        show=False,
        group="Move",
    ),
    Key(
        "annotate.guideline",
        "i",
        "guideline",
        "Guideline",
        "The guideline of the label under the cursor "
        "(description and examples), or every label of the active layer",
        show=False,
        group="Annotate",
    ),
    Key(
        "annotate.note",
        "e",
        "note",
        "Note",
        "Add or edit a note on the annotation under the cursor",
        group="Annotate",
    ),
    Key(
        "annotate.delete",
        "x",
        "delete_annotation",
        "Delete",
        "Delete the annotation under the cursor",
        group="Annotate",
    ),
    Key(
        "annotate.stance",
        "s",
        "stance",
        "Stance",
        "Record the article's stance toward a target",
        group="Annotate",
    ),
    Key("annotate.done", "d", "done", "Done", "Mark the article done and open the next", group="Annotate"),
    Key(
        "annotate.link",
        "k",
        "link",
        "Link",
        "Link the annotation under the cursor to another: k here, move, k "
        "there, then the type (only types the schema allows for the pair)",
        show=False,
        group="Annotate",
    ),
    Key(
        "annotate.follow_link",
        "o",
        "follow_link",
        "Follow link",
        "Go to the other end of a link, and back",
        show=False,
        group="Annotate",
    ),
    Key(
        "annotate.next_annotation",
        "full_stop",
        "next_annotation(True)",
        "Next annotation",
        "The next annotation in reading order",
        show=False,
        group="Move",
    ),
    Key(
        "annotate.previous_annotation",
        "comma",
        "next_annotation(False)",
        "Prev annotation",
        "The previous annotation in reading order",
        show=False,
        group="Move",
    ),
    Key(
        "annotate.undo",
        "ctrl+z",
        "undo",
        "Undo",
        "Undo the last change in this article (kept across restarts)",
        group="Annotate",
    ),
    Key("annotate.redo", "ctrl+y", "redo", "Redo", "Redo what was undone", show=False, group="Annotate"),
]

SEARCH_KEYS = [
    Key(
        "search.find",
        "slash",
        "search",
        "Search",
        "Search this article as you type (normalised, clitic-aware)",
        group="Search",
    ),
    Key("search.next", "n", "next_hit(True)", "Next hit", "Next search hit", show=False, group="Search"),
    Key(
        "search.previous",
        "N",
        "next_hit(False)",
        "Prev hit",
        "Previous search hit",
        show=False,
        group="Search",
    ),
    Key(
        "search.corpus",
        "ctrl+f",
        "corpus_search",
        "Corpus search",
        "Search every article; enter jumps to a hit",
        group="Search",
    ),
    Key(
        "suggest.tag_all",
        "a",
        "tag_all",
        "Tag all",
        "Suggest every other occurrence of the annotation under the cursor (this article or the corpus)",
        group="Suggestions",
    ),
    Key(
        "suggest.accept",
        "y",
        "accept_suggestion",
        "Accept",
        "Accept the suggestion under the cursor",
        show=False,
        group="Suggestions",
    ),
    Key(
        "suggest.reject",
        "r",
        "reject_suggestion",
        "Reject",
        "Reject the suggestion under the cursor",
        show=False,
        group="Suggestions",
    ),
    Key(
        "suggest.accept_all",
        "Y",
        "accept_all",
        "Accept all",
        "Accept every suggestion of the active layer in "
        "this article (asks first, says how many; one undo step)",
        show=False,
        group="Suggestions",
    ),
    Key(
        "suggest.next",
        "j",
        "next_suggestion(True)",
        "Next suggestion",
        "The next open suggestion, in this article or the next one that has any",
        show=False,
        group="Suggestions",
    ),
    Key(
        "suggest.previous",
        "J",
        "next_suggestion(False)",
        "Prev suggestion",
        "The previous open suggestion, in this article or an earlier one",
        show=False,
        group="Suggestions",
    ),
]

# The footer lists only what a newcomer needs first (each key there is a widget restyled on every focus
# change: 24 of them cost ~100 ms of start-up); help and the command palette list every key.
ALL_KEYS = APP_KEYS + VIEW_KEYS + ANNOTATE_KEYS + SEARCH_KEYS


def reserved_keys(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Every key the app binds (Arabic aliases included) -> what it does; label keys may not reuse them."""
    overrides = overrides or {}
    reserved: dict[str, str] = {}
    for key in ALL_KEYS:
        if key.id.startswith("annotate.label_"):
            continue
        for name in with_arabic_aliases(overrides.get(key.id, key.keys)).split(","):
            character = next((c for c, n in _KEY_NAMES.items() if n == name), name)
            reserved[character] = key.description
    return reserved


def bindings(keys: list[Key], overrides: dict[str, str] | None = None) -> list[BindingType]:
    overrides = overrides or {}
    return [key.binding(overrides.get(key.id)) for key in keys]


def keymap_clash(overrides: dict[str, str]) -> str | None:
    """A remap that puts two bindings (of the same screen or the app) on one key, as a one-line reason."""
    unknown = set(overrides) - {key.id for key in ALL_KEYS}
    if unknown:
        return f"no binding with id '{sorted(unknown)[0]}' (see the ids with hamish --help)"
    owners: dict[str, str] = {}
    for key in ALL_KEYS:
        for name in overrides.get(key.id, key.keys).split(","):
            if name in owners and owners[name] != key.description:
                return f"key '{name}' would be bound to both '{owners[name]}' and '{key.description}'"
            owners[name] = key.description
    return None
