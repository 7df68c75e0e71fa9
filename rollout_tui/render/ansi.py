"""The plugin's colour scheme (cmd/get/get.go colorMapping and ansiFormat)."""

from __future__ import annotations

import os

FG_RED, FG_GREEN, FG_YELLOW, FG_HIBLUE = 31, 32, 33, 94

# Keys are the plugin's icons, role tags and analysis phases; anything else gets code 0.
COLOR_BY_WORD = {
    "◷": FG_YELLOW,
    "◌": FG_HIBLUE,
    "⚠": FG_RED,
    "?": FG_YELLOW,
    "✔": FG_GREEN,
    "✖": FG_RED,
    "canary": FG_YELLOW,
    "stable": FG_GREEN,
    "active": FG_GREEN,
    "preview": FG_HIBLUE,
    "ping": FG_HIBLUE,
    "pong": FG_HIBLUE,
    "Pending": FG_HIBLUE,
    "Running": FG_HIBLUE,
}
# The same colours keyed by semantic status kind, so the ASCII icon set is coloured alike.
COLOR_BY_KIND = {
    "waiting": FG_YELLOW,
    "progressing": FG_HIBLUE,
    "warning": FG_RED,
    "unknown": FG_YELLOW,
    "ok": FG_GREEN,
    "bad": FG_RED,
}


class Painter:
    """Wraps text in SGR codes the way the plugin does, or passes it through when colour is off.

    Like the plugin, an uncoloured word is still wrapped in `ESC[0m ... ESC[0m` when colour is on
    (it kept tabwriter widths consistent there; we keep it for byte-compatibility).
    """

    def __init__(self, color: bool) -> None:
        self.enabled = color and os.environ.get("TERM") != "dumb"

    def code(self, text: str, code: int) -> str:
        if not self.enabled:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"

    def word(self, word: str) -> str:
        """colorize(): colour a well-known word by itself."""
        return self.code(word, COLOR_BY_WORD.get(word, 0))

    def by(self, text: str, key: str) -> str:
        """colorizeStatus(): colour `text` by a well-known word describing it."""
        return self.code(text, COLOR_BY_WORD.get(key, 0))

    def icon(self, glyph: str, kind: str) -> str:
        return self.code(glyph, COLOR_BY_KIND.get(kind, 0))
