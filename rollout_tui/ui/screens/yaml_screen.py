"""`Y`: the selected object's YAML, read-only and searchable (managedFields folded)."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text

from rollout_tui.render.yaml_text import object_yaml
from rollout_tui.ui.safe import clean
from rollout_tui.ui.screens.text_screen import TextScreen
from rollout_tui.ui.textlines import TextLines

_KEY = re.compile(r"^(\s*(?:- )?)([^\s:'\"][^:]*?):(?= |$)")


def yaml_line(line: str) -> Text:
    """Keys in one colour, the rest as it is (the line is already inert)."""
    text = Text(line)
    match = _KEY.match(line)
    if match:
        text.stylize("bold cyan", match.start(2), match.end(2))
    if line.lstrip().startswith("#"):
        text.stylize("dim")
    return text


class YamlScreen(TextScreen):
    def __init__(self, obj: dict[str, Any]) -> None:
        found = obj.get("metadata")
        meta: dict[str, Any] = found if isinstance(found, dict) else {}
        title = Text.assemble(
            ("YAML  ", "bold"),
            (clean(obj.get("kind") or "?", 40), "bold"),
            " ",
            (clean(f"{meta.get('namespace') or ''}/{meta.get('name') or ''}", 300), ""),
            ("  read-only", "dim"),
        )
        self.view_lines: TextLines[str] = TextLines(yaml_line, plain=lambda line: line, id="yaml")
        super().__init__(title, [(Text("YAML"), self.view_lines)])
        self._lines = object_yaml(obj)

    def on_mount(self) -> None:
        super().on_mount()
        self.view_lines.set_items(self._lines)
        self.status(f"{len(self._lines)} lines · / search · Esc back")
