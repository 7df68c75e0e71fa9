"""`d`: what the selected revision changes in the pod template against the stable one (images,
command, args, env, resources, probes, ports), computed by model.revision_diff."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from rollout_tui.model.diff import ADDED, REMOVED, Change
from rollout_tui.model.revision_diff import RevisionDiff
from rollout_tui.model.rollout import RevisionInfo
from rollout_tui.ui.safe import clean
from rollout_tui.ui.screens.text_screen import TextScreen
from rollout_tui.ui.textlines import TextLines

VALUE = 300  # characters of a value shown (a probe or a long env value)


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str  # "head", "group", ADDED, REMOVED, "changed", "same"
    label: str
    old: str = ""
    new: str = ""


def _role(rev: RevisionInfo) -> str:
    roles = [r for rs in rev.replicasets for r in rs.tags]
    return f" ({', '.join(dict.fromkeys(roles))})" if roles else ""


def diff_lines(diff: RevisionDiff) -> list[DiffLine]:
    lines = [
        DiffLine(
            "head",
            f"revision {diff.target.revision}{_role(diff.target)} against revision {diff.base.revision}{_role(diff.base)}",
        ),
        DiffLine("head", f"in short: {diff.summary}"),
        DiffLine("same", ""),
    ]
    groups: dict[str, list[Change]] = {}
    for change in diff.changes:
        groups.setdefault(change.container, []).append(change)
    for container, changes in groups.items():
        lines.append(DiffLine("group", f"container {container}" if container else "pod"))
        width = min(28, max(len(c.field) for c in changes))
        for c in changes:
            lines.append(DiffLine(c.op, c.field.ljust(width), c.old, c.new))
    if not diff.changes:
        lines.append(DiffLine("same", "the pod templates are the same"))
    return lines


def format_line(line: DiffLine, arrow: str = "→") -> Text:
    old, new = clean(line.old, VALUE), clean(line.new, VALUE)
    label = clean(line.label, 200)
    if line.kind == "head":
        return Text(label, style="bold")
    if line.kind == "group":
        return Text(label, style="bold cyan")
    if line.kind == ADDED:
        return Text.assemble("  + ", (label, "green"), "  ", (new, "green"))
    if line.kind == REMOVED:
        return Text.assemble("  - ", (label, "red"), "  ", (old, "red"))
    if line.kind == "changed":
        return Text.assemble("  ~ ", (label, "yellow"), "  ", (old, "red"), f"  {arrow}  ", (new, "green"))
    return Text(label, style="dim")


class DiffScreen(TextScreen):
    def __init__(self, target: str, diff: RevisionDiff, ascii_only: bool = False) -> None:
        arrow = "->" if ascii_only else "→"
        title = Text.assemble(
            ("Revision diff  ", "bold"), (clean(target, 300), ""), ("  pod template", "dim")
        )
        self.view_lines: TextLines[DiffLine] = TextLines(lambda line: format_line(line, arrow), id="diff")
        super().__init__(title, [(Text("diff"), self.view_lines)])
        self._items = diff_lines(diff)
        self.diff = diff

    def on_mount(self) -> None:
        super().on_mount()
        self.view_lines.set_items(self._items)
        self.status(f"{len(self.diff.changes)} changes · / search · Esc back")
