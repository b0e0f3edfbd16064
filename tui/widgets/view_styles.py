"""What the article view lays over the text: the cursor, the selection and the highlights."""

from rich.style import Style

CURSOR = Style(reverse=True, bold=True)
SELECTION = Style(bgcolor="grey35")
NOISE = Style(dim=True, italic=True)
MARKED = Style(bold=True, overline=True)
HIT = Style(bgcolor="yellow", color="black")
LINKED = Style(bold=True, underline=True, italic=True)
LINK_SOURCE = Style(bold=True, blink=True, underline=True)
