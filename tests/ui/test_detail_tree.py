"""The revision tree of the detail pane: in-place sync, expansion and cursor, bounded history."""

from __future__ import annotations

import yaml
from detailhelpers import (
    NOW,
    info_from,
)
from rich.text import Text
from textual.app import App, ComposeResult

from rollout_tui.ui.detail.tree import RevisionTree
from rollout_tui.ui.detail.treesync import NodeData, NodeSpec
from tests.fixtures.sets import recorded


def _spec(key: str, label: str, *children: NodeSpec, revision: int | None = None) -> NodeSpec:
    return NodeSpec(NodeData(key, revision=revision), Text(label), tuple(children))


class TreeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RevisionTree()


async def test_tree_sync_keeps_expansion_and_cursor_when_nodes_come_and_go() -> None:
    app = TreeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.query_one(RevisionTree)
        rev2 = _spec("rev/2", "# revision:2", _spec("rs/b", "rs-b", _spec("pod/b1", "pod-b1")), revision=2)
        rev1 = _spec("rev/1", "# revision:1", _spec("rs/a", "rs-a", _spec("pod/a1", "pod-a1")), revision=1)
        tree.apply((rev2, rev1))
        await pilot.pause()
        # Operator collapses revision 2 and puts the cursor on revision 1's pod.
        tree.root.children[0].collapse()
        pod_a1 = tree.root.children[1].children[0].children[0]
        tree.move_cursor(pod_a1)
        await pilot.pause()
        assert tree.selected_revision() == 1
        # A new revision appears on top, a pod is added, labels change.
        rev3 = _spec("rev/3", "# revision:3", _spec("rs/c", "rs-c"), revision=3)
        rev1b = _spec(
            "rev/1",
            "# revision:1 (stable)",
            _spec("rs/a", "rs-a", _spec("pod/a1", "pod-a1 Running"), _spec("pod/a2", "pod-a2")),
            revision=1,
        )
        stats = tree.apply((rev3, rev2, rev1b))
        await pilot.pause()
        assert (stats.added, stats.removed) == (3, 0)
        assert stats.relabelled == 2
        assert tree.cursor_node is pod_a1
        assert str(pod_a1.label) == "pod-a1 Running"
        assert not tree.root.children[1].is_expanded  # revision 2 stays collapsed
        assert [n.data.key for n in tree.root.children] == ["rev/3", "rev/2", "rev/1"]
        # The pod under the cursor is deleted: the cursor moves to its ReplicaSet, not a stranger.
        rev1c = _spec(
            "rev/1", "# revision:1 (stable)", _spec("rs/a", "rs-a", _spec("pod/a2", "pod-a2")), revision=1
        )
        tree.apply((rev3, rev2, rev1c))
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data.key == "rs/a"
        assert tree.selected_revision() == 1
        # A ReplicaSet first seen without pods gets its default expansion when its pods arrive.
        rev4 = _spec("rev/4", "# revision:4", _spec("rs/d", "rs-d"), revision=4)
        tree.apply((rev4, rev3, rev2, rev1c))
        await pilot.pause()
        rev4b = _spec("rev/4", "# revision:4", _spec("rs/d", "rs-d", _spec("pod/d1", "pod-d1")), revision=4)
        tree.apply((rev4b, rev3, rev2, rev1c))
        await pilot.pause()
        assert tree.root.children[0].children[0].is_expanded
        # Same input again changes nothing.
        stats = tree.apply((rev4b, rev3, rev2, rev1c))
        assert (stats.added, stats.removed, stats.relabelled) == (0, 0, 0)


async def test_tree_filled_while_a_layout_runs_before_its_lines_are_built_still_gets_its_height() -> None:
    # The race behind "nodes present, nothing drawn" on a freshly pushed detail screen: nodes are
    # added (a layout is requested), another layout pass measures the tree before its lines are
    # built (height 0, cached), then the lines are built. The tree must still get its full height.
    app = TreeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.query_one(RevisionTree)
        await pilot.pause()
        tree.apply(
            (
                _spec("rev/2", "# revision:2", _spec("rs/b", "rs-b", _spec("pod/b1", "pod-b1")), revision=2),
                _spec("rev/1", "# revision:1", _spec("rs/a", "rs-a"), revision=1),
            )
        )
        # The intervening layout (e.g. a sibling line changed), before the tree's idle builds its lines.
        tree.screen._clear_arrangement_cache()
        tree.screen._refresh_layout()
        await pilot.pause()
        await pilot.pause()
        assert tree.virtual_size.height == 5
        assert tree.size.height == 5


def test_revision_history_is_bounded() -> None:
    from rollout_tui.model.icons import UNICODE
    from rollout_tui.ui.detail.tree import MAX_REVISIONS, revision_specs

    objects = recorded("canary-paused")  # revisions 3 (canary), 2 (stable), 1; made 32, 31, 30
    revision_key = "rollout.argoproj.io/revision"
    for obj in (o for o in objects if o["kind"] in ("Rollout", "ReplicaSet")):
        annotations = obj["metadata"]["annotations"]
        annotations[revision_key] = str(int(annotations[revision_key]) + 29)
    template = next(o for o in objects if o["kind"] == "ReplicaSet")
    for revision in range(1, 30):
        old = yaml.safe_load(yaml.safe_dump(template))
        old["metadata"].update(name=f"canary-demo-old{revision}", uid=f"old-{revision}")
        old["metadata"]["annotations"][revision_key] = str(revision)
        old["spec"]["replicas"] = 0
        objects.append(old)
    specs = revision_specs(info_from(objects), UNICODE, NOW)
    assert len(specs) == MAX_REVISIONS + 1
    assert specs[0].data.revision == 32 and specs[-1].data.key == "rev/older"
    assert "17 older revisions" in specs[-1].label.plain  # revisions 1..32, 15 shown
