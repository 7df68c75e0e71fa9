"""Glyph sets: the plugin's Unicode icons, or plain ASCII for terminals without Unicode (--ascii)."""

from __future__ import annotations

from dataclasses import dataclass

_UNICODE_STATUS = {
    "Healthy": "✔",
    "Progressing": "◌",
    "Paused": "॥",
    "Degraded": "✖",
    "Unknown": "?",
    "ScaledDown": "•",
    "Error": "⚠",
    "InvalidSpec": "⚠",
}
_ASCII_STATUS = {
    "Healthy": "+",
    "Progressing": "~",
    "Paused": "=",
    "Degraded": "x",
    "Unknown": "?",
    "ScaledDown": ".",
    "Error": "!",
    "InvalidSpec": "!",
}


@dataclass(frozen=True)
class Glyphs:
    ascii: bool = False

    def status(self, status: str) -> str:
        table = _ASCII_STATUS if self.ascii else _UNICODE_STATUS
        return table.get(status, "?")

    @property
    def sep(self) -> str:
        return " | " if self.ascii else " · "

    @property
    def dash(self) -> str:
        return "-" if self.ascii else "—"
