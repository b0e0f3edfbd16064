"""The one base of every error that is the user's to fix (a file, an option, a store): its message is one line
that names what is wrong, and the command line says it as `hamish: error: …` with exit status 1."""

from __future__ import annotations


class HamishError(Exception):
    """A refusal with a one-line message naming the file or option; nothing was changed by the refused step."""
