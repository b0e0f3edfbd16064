"""The fonts the served page draws with, and their coverage of what the view emits.

textual-serve's page asks for the family 'Roboto Mono' (from a public web-font host, which we do not load). We
define that family ourselves from local files: Roboto Mono (shipped with textual-serve) for Latin, DejaVu Sans
Mono for Arabic (a monospaced font with every presentation form of the standard Arabic letters, so joined
letters fill their cells), and DejaVu Sans behind it for the Persian and Urdu forms the mono font lacks. The
browser picks, per character, the last-defined face whose unicode-range and character map hold it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from arabic_reshaper.letters import LETTERS_ARABIC

from annotations.text.shaping import LAM_ALEF

SEARCH_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path("/Library/Fonts"),
    Path.home() / "Library/Fonts",
]
ARABIC_RANGES = "U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF"
# Served name -> file name; the browser checks faces from the last to the first.
FACES = [
    ("arabic-fallback.ttf", "DejaVuSans.ttf", ARABIC_RANGES),
    ("arabic.ttf", "DejaVuSansMono.ttf", ARABIC_RANGES),
]


def shaper_glyphs() -> set[str]:
    """Every character the view's shaper can draw for Arabic letters: each letter and its joined forms, and
    the lam-alef ligatures (controls such as ZWJ never reach the screen)."""
    glyphs: set[str] = set()
    for letter, forms in LETTERS_ARABIC.items():
        glyphs.add(letter)
        glyphs.update(form for form in forms if form)
    for isolated, final in LAM_ALEF.values():
        glyphs.update((isolated, final))
    return {g for g in glyphs if unicodedata.category(g) != "Cf"}


def standard_arabic_glyphs() -> set[str]:
    """What Arabic news text needs: the letters U+0621-064A with all their forms, lam-alef, the harakat,
    Arabic-Indic digits, the Arabic comma, semicolon, question mark and tatweel."""
    glyphs = {LAM_ALEF[a][k] for a in LAM_ALEF for k in (0, 1)}
    for letter, forms in LETTERS_ARABIC.items():
        if 0x0621 <= ord(letter) <= 0x064A:
            glyphs.add(letter)
            glyphs.update(form for form in forms if form)
    glyphs.update(
        chr(c) for c in [*range(0x064B, 0x0653), *range(0x0660, 0x066A), 0x060C, 0x061B, 0x061F, 0x0640]
    )
    return glyphs


@dataclass(frozen=True)
class FontStack:
    files: dict[str, Path]
    """Served name -> font file, for the faces found on this machine."""

    @classmethod
    def find(cls, folders: list[Path] | None = None) -> FontStack:
        files: dict[str, Path] = {}
        for served, file_name, _ in FACES:
            for folder in folders or SEARCH_DIRS:
                if (folder / file_name).is_file():
                    files[served] = folder / file_name
                    break
        return cls(files)

    def file(self, served: str) -> Path | None:
        return self.files.get(served)  # only known names, so no path from the URL reaches the file system

    def css_faces(self, prefix: str) -> str:
        faces = [
            "@font-face { font-family: 'Roboto Mono'; src: url('/static/fonts/RobotoMono-VariableFont_wght.ttf')"
            " format('truetype'); unicode-range: U+0000-05FF, U+2000-2BFF; }"
        ]
        for served, _, ranges in FACES:
            if served in self.files:
                faces.append(
                    f"@font-face {{ font-family: 'Roboto Mono'; src: url('{prefix}{served}') "
                    f"format('truetype'); unicode-range: {ranges}; }}"
                )
        return "\n".join(faces)

    def missing(self) -> list[str]:
        """The Arabic faces not found (the page then falls back to whatever the browser has)."""
        return [file_name for served, file_name, _ in FACES if served not in self.files]

    def coverage(self, glyphs: set[str]) -> tuple[set[str], set[str]]:
        """(covered, not covered) by the stack's Arabic faces together (fontTools reads their cmaps)."""
        from fontTools.ttLib import TTFont

        cmaps = [TTFont(path, lazy=True).getBestCmap() for path in self.files.values()]
        covered = {g for g in glyphs if any(ord(g) in cmap for cmap in cmaps)}
        return covered, glyphs - covered
