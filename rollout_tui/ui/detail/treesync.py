"""Apply a desired tree (keyed node specs) to a Textual Tree in place.

Rebuilding a Tree with `clear()` loses the operator's expansion and cursor on every watch
batch; instead nodes are matched by a stable key (uid, revision) and only labels that
changed are set, new nodes are added where they belong and vanished ones removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode


@dataclass(frozen=True)
class NodeData:
    """What the Tree remembers per node: its key and what the shell may act on."""

    key: str
    kind: str = ""
    revision: int | None = None
    ref: Any = None  # e.g. ("AnalysisRun", name) for the metric chart


@dataclass(frozen=True)
class NodeSpec:
    data: NodeData
    label: Text
    children: tuple[NodeSpec, ...] = ()
    expand: bool = True  # initial state only; afterwards the operator's choice wins


@dataclass
class SyncStats:
    added: int = 0
    removed: int = 0
    relabelled: int = 0


def sync_tree(tree: Tree[NodeData], specs: tuple[NodeSpec, ...]) -> SyncStats:
    """Make `tree.root`'s children match `specs`; returns what changed (for tests/benchmarks)."""
    stats = SyncStats()
    cursor = tree.cursor_node
    _sync_children(tree.root, specs, stats)
    if cursor is not None and not _attached(tree, cursor):
        # The node under the cursor vanished (e.g. a pod was replaced): keep the cursor on the
        # nearest surviving ancestor rather than letting it jump to whatever took its line.
        ancestor = cursor.parent
        while ancestor is not None and not _attached(tree, ancestor):
            ancestor = ancestor.parent
        if ancestor is not None and not ancestor.is_root:
            tree.move_cursor(ancestor)
        elif tree.root.children:
            tree.move_cursor(tree.root.children[0])
    return stats


def same_text(a: object, b: Text) -> bool:
    """Text equality that also compares the base style (Text.__eq__ ignores it)."""
    return isinstance(a, Text) and a == b and a.style == b.style


def _attached(tree: Tree[NodeData], node: TreeNode[NodeData]) -> bool:
    try:
        return tree.get_node_by_id(node.id) is node
    except Exception:  # UnknownNodeID
        return False


def _sync_children(parent: TreeNode[NodeData], specs: tuple[NodeSpec, ...], stats: SyncStats) -> None:
    wanted = {spec.data.key for spec in specs}
    for child in list(parent.children):
        if child.data is None or child.data.key not in wanted:
            child.remove()
            stats.removed += 1
    existing = {child.data.key: child for child in parent.children if child.data is not None}
    for index, spec in enumerate(specs):
        node = existing.get(spec.data.key)
        if node is not None and parent.children.index(node) != index:
            # Out of order (rare: e.g. sort key changed): re-add, keeping this node's expansion.
            expanded = node.is_expanded
            node.remove()
            stats.removed += 1
            node = None
            spec = NodeSpec(spec.data, spec.label, spec.children, expanded)
        if node is None:
            node = parent.add(
                spec.label,
                spec.data,
                before=index if index < len(parent.children) else None,
                expand=spec.expand and bool(spec.children),
                allow_expand=bool(spec.children),
            )
            stats.added += 1
        else:
            if node.data != spec.data:
                node.data = spec.data
            if not same_text(node.label, spec.label):
                node.set_label(spec.label)
                stats.relabelled += 1
            if node.allow_expand != bool(spec.children):
                node.allow_expand = bool(spec.children)
            if spec.children and not node.children and spec.expand:
                # First children (e.g. pods listed after their ReplicaSet): the operator has not had a
                # chance to choose yet, so the default expansion applies now.
                node.expand()
        _sync_children(node, spec.children, stats)
