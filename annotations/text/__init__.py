"""Text: right-to-left layout (UAX #9 levels, Arabic shaping, wrapping, cell maps), cursor movement, clitics and
the tokenizer. The lowest layer: it imports nothing else of hamish."""

from annotations.text.layout import Layout, Mode

__all__ = ["Layout", "Mode"]
