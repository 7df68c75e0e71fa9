"""Safe text for cluster data in the detail pane.

Cluster strings go through the one sanitiser (`render.safe.clean`: controls, bidi and invisible
format characters made visible, length bounded) and always become a Rich `Text`, never markup.
Glyphs are the one set in `model.icons`, colours the one palette in `ui.styles`.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from rollout_tui.model.icons import Glyphs
from rollout_tui.ui.safe import clean
from rollout_tui.ui.styles import KIND_STYLE

__all__ = ["clean", "safe", "status_text"]


def safe(value: object, style: str | Style = "", limit: int = 256) -> Text:
    """A Text holding `value` literally (Text() never interprets markup)."""
    return Text(clean(value, limit), style=style, end="")


def status_text(glyphs: Glyphs, kind: str, label: object) -> Text:
    """`✔ Healthy` with the icon and word coloured by the status kind."""
    style = KIND_STYLE.get(kind, "")
    return Text.assemble((glyphs.status(kind), style), " ", safe(label, style))
