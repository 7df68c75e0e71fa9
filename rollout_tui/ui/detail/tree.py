"""The revision tree: revisions -> ReplicaSets -> pods, Experiments, AnalysisRuns.

Built as keyed NodeSpecs from the model's RolloutInfo and applied in place (treesync), so
the operator's expansion and cursor survive every watch batch.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Tree

from rollout_tui.ui.detail.treesync import NodeData, NodeSpec, SyncStats, sync_tree


class RevisionTree(Tree[NodeData]):
    """A Tree that never parses labels as markup and reports the revision under the cursor."""

    DEFAULT_CSS = """
    RevisionTree { height: auto; padding: 0; background: transparent; }
    RevisionTree:focus { background-tint: $foreground 3%; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Text("revisions"), **kwargs)
        self.show_root = False
        self.guide_depth = 3
        self.auto_expand = False  # Enter selects (opens a chart on an AnalysisRun), space toggles

    def process_label(self, label: str | Text) -> Text:
        # Tree would run str labels through Text.from_markup; cluster names must stay literal.
        text = label if isinstance(label, Text) else Text(label)
        return text.split()[0] if "\n" in text.plain else text

    def apply(self, specs: tuple[NodeSpec, ...]) -> SyncStats:
        return sync_tree(self, specs)

    def selected_revision(self) -> int | None:
        """Revision of the node under the cursor, or of its nearest ancestor that has one."""
        node = self.cursor_node
        while node is not None:
            if node.data is not None and node.data.revision is not None:
                return node.data.revision
            node = node.parent
        return None
