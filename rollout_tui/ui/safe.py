"""Cluster strings made safe for the terminal.

Everything shown from the cluster goes through here: control characters (C0, DEL, C1 -- which
carry ESC/CSI/OSC sequences) and bidi overrides are removed, length is bounded, and the result is
a rich ``Text`` (never a markup string), so ``[bold red]`` stays literal.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls (incl. ESC, BEL, tab, newline), DEL, C1 controls (incl. the 8-bit CSI 0x9b / OSC 0x9d)
# and the Unicode bidi embedding/override/isolate marks that can reorder what the operator reads.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
ELLIPSIS = "…"


def clean(value: object, limit: int = 256) -> str:
    """A single printable line of at most ``limit`` characters."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit * 4:
        text = text[: limit * 4]  # bound the regex work on 10k-character hostile strings
    text = _UNSAFE.sub(" ", text) if _UNSAFE.search(text) else text
    if len(text) > limit:
        text = text[: max(0, limit - 1)] + ELLIPSIS
    return text


def safe_text(value: object, style: str = "", limit: int = 256) -> Text:
    """A rich Text of cleaned cluster data; Text is never parsed as markup."""
    return Text(clean(value, limit), style=style, no_wrap=True, overflow="ellipsis")
