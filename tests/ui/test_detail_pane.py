"""The rollout detail pane: in-place tree updates, countdowns, hostile data, snapshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual.app import App, ComposeResult

from rollout_tui.ui.detail.events import EventsView
from rollout_tui.ui.detail.tree import RevisionTree
from rollout_tui.ui.detail.treesync import NodeData, NodeSpec

NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)


def screen_lines(app: App[None]) -> list[str]:
    """What the terminal shows, line by line (the compositor's own strips)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


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
        rev1b = _spec("rev/1", "# revision:1 (stable)",
                      _spec("rs/a", "rs-a", _spec("pod/a1", "pod-a1 Running"), _spec("pod/a2", "pod-a2")),
                      revision=1)
        stats = tree.apply((rev3, rev2, rev1b))
        await pilot.pause()
        assert (stats.added, stats.removed) == (3, 0)
        assert stats.relabelled == 2
        assert tree.cursor_node is pod_a1
        assert str(pod_a1.label) == "pod-a1 Running"
        assert not tree.root.children[1].is_expanded  # revision 2 stays collapsed
        assert [n.data.key for n in tree.root.children] == ["rev/3", "rev/2", "rev/1"]
        # The pod under the cursor is deleted: the cursor moves to its ReplicaSet, not a stranger.
        rev1c = _spec("rev/1", "# revision:1 (stable)", _spec("rs/a", "rs-a", _spec("pod/a2", "pod-a2")),
                      revision=1)
        tree.apply((rev3, rev2, rev1c))
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data.key == "rs/a"
        assert tree.selected_revision() == 1
        # Same input again changes nothing.
        stats = tree.apply((rev3, rev2, rev1c))
        assert (stats.added, stats.removed, stats.relabelled) == (0, 0, 0)


class EventsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield EventsView()


HOSTILE = "[bold red]boom[/] \x1b[2J\x1b]0;pwned\x07 \u202egnp.exe"


async def test_events_newest_first_bounded_and_literal() -> None:
    events = [
        {"type": "Normal", "reason": "Old", "message": "first", "count": 1,
         "lastTimestamp": (NOW - timedelta(minutes=30)).isoformat()},
        {"type": "Warning", "reason": HOSTILE, "message": HOSTILE, "count": 7,
         "lastTimestamp": (NOW - timedelta(seconds=5)).isoformat(),
         "involvedObject": {"kind": "Pod", "name": "web-abc"}},
        "not an event",
        {"type": "Normal", "reason": "Series", "note": "from series",
         "series": {"count": 3, "lastObservedTime": (NOW - timedelta(minutes=2)).isoformat()}},
    ]
    app = EventsApp()
    async with app.run_test(size=(120, 10)) as pilot:
        view = app.query_one(EventsView)
        assert view.show(events, NOW, "web")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "[bold red]boom[/]" in text and "\x1b" not in text and "\u202e" not in text
        assert not view.show(events, NOW, "web")  # unchanged input: no repaint
        rows = view._rows
        assert rows is not None
        assert [r[1] for r in rows][1:] == ["Series", "Old"]
        assert rows[0][2:5] == ("5s", "×7", "Pod/web-abc")
        assert "\x1b" not in rows[0][5] and "\u202e" not in rows[0][5]
        assert "[bold red]boom[/]" in rows[0][5]
