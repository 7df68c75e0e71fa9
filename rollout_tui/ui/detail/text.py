"""Safe text for cluster data, and the detail pane's glyph sets.

Cluster strings go through the shell's `rollout_tui.ui.safe` (controls and bidi overrides
removed, length bounded, always a rich Text, never markup); this module only adapts it to the
pane and holds the glyphs the pane draws itself, in Unicode and ASCII.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from rollout_tui.model.icons import ASCII as ASCII_ICONS
from rollout_tui.model.icons import UNICODE as UNICODE_ICONS
from rollout_tui.model.icons import IconSet
from rollout_tui.ui.safe import clean

__all__ = [
    "ASCII",
    "KIND_STYLE",
    "ROLE_STYLE",
    "UNICODE",
    "Glyphs",
    "clean",
    "glyphs",
    "icon_set",
    "safe",
    "status_text",
]


def safe(value: object, style: str | Style = "", limit: int = 256) -> Text:
    """A Text holding `value` literally (Text() never interprets markup)."""
    return Text(clean(value, limit), style=style, end="")


@dataclass(frozen=True)
class Glyphs:
    """Glyphs the pane draws itself; status icons come from the model's icon sets."""

    done: str
    current: str
    pending: str
    bar_stable: str
    bar_canary: str
    bar_empty: str
    marker: str
    infinity: str
    bullet: str
    arrow: str
    ellipsis: str


UNICODE = Glyphs(
    done="✔",
    current="▶",
    pending="○",
    bar_stable="█",
    bar_canary="▓",
    bar_empty="░",
    marker="┃",
    infinity="∞",
    bullet="·",
    arrow="→",
    ellipsis="…",
)
ASCII = Glyphs(
    done="x",
    current=">",
    pending="-",
    bar_stable="=",
    bar_canary="#",
    bar_empty=".",
    marker="|",
    infinity="inf",
    bullet="-",
    arrow="->",
    ellipsis="...",
)


def glyphs(ascii_only: bool) -> Glyphs:
    return ASCII if ascii_only else UNICODE


def icon_set(ascii_only: bool) -> IconSet:
    return ASCII_ICONS if ascii_only else UNICODE_ICONS


# Colours of the model's semantic status kinds (as the kubectl plugin colours its icons).
KIND_STYLE = {
    "ok": "green",
    "bad": "bold red",
    "warning": "red",
    "progressing": "blue",
    "unknown": "yellow",
    "waiting": "yellow",
    "paused": "yellow",
    "neutral": "dim",
}
ROLE_STYLE = {
    "canary": "yellow",
    "stable": "green",
    "active": "green",
    "preview": "blue",
    "ping": "blue",
    "pong": "blue",
}


def status_text(icons: IconSet, kind: str, label: object) -> Text:
    """`✔ Healthy` with the icon and word coloured by the status kind."""
    style = KIND_STYLE.get(kind, "")
    return Text.assemble((icons.status(kind), style), " ", safe(label, style))
