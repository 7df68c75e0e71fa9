"""The rollout detail pane: in-place tree updates, countdowns, hostile data, snapshots."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult

from rollout_tui.model.clock import FixedClock
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.rollout import RolloutInfo, rollout_info
from rollout_tui.ui.detail import DetailPane, MetricChartScreen
from rollout_tui.ui.detail.events import EventsView
from rollout_tui.ui.detail.lines import LineView
from rollout_tui.ui.detail.metrics import MetricsView
from rollout_tui.ui.detail.spark import MetricSpark
from rollout_tui.ui.detail.tree import RevisionTree
from rollout_tui.ui.detail.treesync import NodeData, NodeSpec
from tests.conftest import INFO_TESTDATA

NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)


_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class ManualClock:
    """A clock the test moves by hand (the model's FixedClock cannot move)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def _walk_stamps(obj: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(obj, dict):
        return {k: _walk_stamps(v, fn) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk_stamps(v, fn) for v in obj]
    if isinstance(obj, str) and _STAMP.match(obj):
        return fn(obj)
    return obj


def load_testdata(case: str, rollout_file: str, newest_age: float = 60.0) -> list[dict[str, Any]]:
    """The plugin's testdata for one rollout (other rollout variants in the folder left out), every
    timestamp shifted by one offset so the newest is `newest_age` seconds before NOW: relative
    timing (measurement spacing, pause starts) stays as recorded."""
    folder = INFO_TESTDATA / case
    objects = []
    for path in sorted(folder.glob("*.yaml")):
        docs = [d for d in yaml.safe_load_all(path.read_text()) if isinstance(d, dict)]
        if any(d.get("kind") == "Rollout" for d in docs) and path.name != rollout_file:
            continue
        objects.extend(docs)
    stamps: list[datetime] = []
    _walk_stamps(objects, lambda s: stamps.append(_parse(s)) or s)
    offset = NOW - timedelta(seconds=newest_age) - max(stamps)
    return _walk_stamps(objects, lambda s: (_parse(s) + offset).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def info_from(objects: Iterable[dict[str, Any]], clock: Any = None) -> RolloutInfo:
    related = ObjectSet.from_objects(objects)
    rollout = related.of_kind("Rollout")[0]
    return rollout_info(rollout, related)


class DetailApp(App[None]):
    """The pane alone, as the shell mounts it; optionally showing `objects` from the start."""

    AUTO_FOCUS = None  # as in the shell, where the table has focus, not the pane

    def __init__(
        self,
        ascii_only: bool = False,
        objects: list[dict[str, Any]] | None = None,
        events: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self.ascii_only = ascii_only
        self.objects = objects
        self.events = events or []

    def compose(self) -> ComposeResult:
        yield DetailPane(ascii_only=self.ascii_only)

    def on_mount(self) -> None:
        if self.objects is not None:
            clock = FixedClock(NOW)
            self.query_one(DetailPane).show(info_from(self.objects, clock), self.events, clock)


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


class EventsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield EventsView()


HOSTILE = "[bold red]boom[/] \x1b[2J\x1b]0;pwned\x07 \u202egnp.exe"


async def test_events_newest_first_bounded_and_literal() -> None:
    events = [
        {
            "type": "Normal",
            "reason": "Old",
            "message": "first",
            "count": 1,
            "lastTimestamp": (NOW - timedelta(minutes=30)).isoformat(),
        },
        {
            "type": "Warning",
            "reason": HOSTILE,
            "message": HOSTILE,
            "count": 7,
            "lastTimestamp": (NOW - timedelta(seconds=5)).isoformat(),
            "involvedObject": {"kind": "Pod", "name": "web-abc"},
        },
        "not an event",
        {
            "type": "Normal",
            "reason": "Series",
            "note": "from series",
            "series": {"count": 3, "lastObservedTime": (NOW - timedelta(minutes=2)).isoformat()},
        },
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
        assert rows[0][2:5] == ("0s", "×7", "Pod/web-abc")  # ages in 10 s steps, like the overview's
        assert "\x1b" not in rows[0][5] and "\u202e" not in rows[0][5]
        assert "[bold red]boom[/]" in rows[0][5]
        # A second later nothing visible changed, so nothing repaints; at 10 s the age line does.
        assert not view.show(events, NOW + timedelta(seconds=1), "web")
        assert view.show(events, NOW + timedelta(seconds=5), "web")
        assert view._rows is not None and view._rows[0][2] == "10s"


# ---- the pane ------------------------------------------------------------------------------


def _canary_paused(clock: ManualClock, started_ago: float = 20, duration: str = "1m") -> list[dict[str, Any]]:
    """The canary fixture at step 4/8 (a timed pause), paused `started_ago` seconds before the clock."""
    objects = load_testdata("canary", "canary-rollout.yaml")
    rollout = next(o for o in objects if o["kind"] == "Rollout")
    rollout["spec"]["strategy"]["canary"]["steps"][3] = {"pause": {"duration": duration}}
    rollout["status"]["currentStepIndex"] = 3
    rollout["status"]["pauseConditions"] = [
        {
            "reason": "CanaryPauseStep",
            "startTime": (clock.now() - timedelta(seconds=started_ago)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    ]
    return objects


def _text(app: App[None]) -> str:
    return "\n".join(screen_lines(app))


async def test_updates_keep_tree_expansion_cursor_scroll_and_focus() -> None:
    clock = ManualClock(NOW)
    objects = load_testdata("experiment-analysis", "rollout-experiment-analysis.yaml")
    app = DetailApp()
    async with app.run_test(size=(100, 22)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        tree = app.query_one(RevisionTree)
        revisions = [n.data.key for n in tree.root.children]
        assert revisions == ["rev/2", "rev/1"]
        # The operator collapses revision 2's experiment and selects a stable pod of revision 1.
        experiment = next(n for n in tree.root.children[0].children if n.data.kind == "Experiment")
        experiment.collapse()
        stable_rs = tree.root.children[1].children[0]
        pod = stable_rs.children[2]
        tree.focus()
        await pilot.wait_for_scheduled_animations()
        tree.move_cursor(pod)
        await pilot.wait_for_scheduled_animations()
        body = pane.query_one("#detail-body")
        scroll_before = body.scroll_y
        assert scroll_before > 0  # the cursor line was scrolled into view
        assert pane.selected_revision() == 1
        # A watch batch: a pod of the stable ReplicaSet restarts, one more pod appears.
        stable_pod = next(o for o in objects if o["kind"] == "Pod" and o["metadata"]["name"] == pod.data.ref)
        stable_pod["status"]["containerStatuses"][0]["restartCount"] = 3
        extra = yaml.safe_load(yaml.safe_dump(stable_pod))
        extra["metadata"]["name"] = "rollout-experiment-analysis-f6db98dff-zzzzz"
        extra["metadata"]["uid"] = "extra-pod-uid"
        objects.append(extra)
        clock.advance(5)
        for _ in range(3):  # repeated identical batches are no-ops
            pane.show(info_from(objects, clock), [], clock)
            await pilot.wait_for_scheduled_animations()
        assert tree.cursor_node is pod
        assert "restarts:3" in str(pod.label)
        assert len(stable_rs.children) == 4
        assert not experiment.is_expanded
        assert body.scroll_y == scroll_before
        assert app.focused is tree
        assert pane.selected_revision() == 1


async def test_repeated_identical_show_repaints_nothing() -> None:
    clock = ManualClock(NOW)
    info = info_from(load_testdata("rollout-aborted", "rollout.yaml"), clock)
    app = DetailApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info, [], clock)
        await pilot.pause()
        before = pane.repaints
        for _ in range(5):
            pane.show(info_from(load_testdata("rollout-aborted", "rollout.yaml"), clock), [], clock)
            pane.tick()
        await pilot.pause()
        assert pane.repaints == before


async def test_timed_pause_countdown_follows_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = ManualClock(NOW)
    objects = _canary_paused(clock, started_ago=20, duration="1m")
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        assert "pause 1m  40s left" in _text(app)
        # No new batch: the pane's own tick advances the countdown from the injected clock,
        # repainting the countdown's line and nothing else (what keeps SSH traffic low).
        repainted: list[str] = []
        original = LineView.update

        def spy(self: LineView, content: Any = "", **kwargs: Any) -> None:
            repainted.append(str(content))
            original(self, content, **kwargs)

        monkeypatch.setattr(LineView, "update", spy)
        clock.advance(15)
        pane.tick()
        await pilot.pause()
        assert "pause 1m  25s left" in _text(app)
        assert repainted == [" ▶  3 pause 1m  25s left"]  # step 3/4: index 3, as the plugin counts
        monkeypatch.undo()
        # A batch rebuilt at the new time agrees with the tick.
        clock.advance(1)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        assert "pause 1m  24s left" in _text(app)
        clock.advance(120)
        pane.tick()
        await pilot.pause()
        assert "pause 1m  0s left" in _text(app)


async def test_bluegreen_scale_down_delay_counts_down() -> None:
    clock = ManualClock(NOW)
    objects = load_testdata("blue-green", "bluegreen-rollout.yaml")
    rollout = next(o for o in objects if o["kind"] == "Rollout")
    # Promoted: active and stable are the new ReplicaSet; the old one waits out its delay.
    rollout["status"]["blueGreen"]["activeSelector"] = "74b948fccb"
    rollout["status"]["stableRS"] = "74b948fccb"
    rollout["status"]["pauseConditions"] = []
    old = next(
        o for o in objects if o["kind"] == "ReplicaSet" and o["metadata"]["name"].endswith("6cbccd9f99")
    )
    old["metadata"].setdefault("annotations", {})["scale-down-deadline"] = (
        NOW + timedelta(seconds=30)
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        text = _text(app)
        assert "Blue-green scale-down" in text
        assert "scale-down in 30s" in text
        assert "delay:30s" in text  # the old ReplicaSet's row in the tree
        clock.advance(12)
        pane.tick()
        await pilot.pause()
        assert "scale-down in 18s" in _text(app)


HOSTILE_NAME = "evil[bold red]x[/]\x1b[2J\x1b]0;owned\x07\u202e"


async def test_hostile_cluster_strings_render_literally() -> None:
    clock = ManualClock(NOW)
    objects = load_testdata("rollout-aborted", "rollout.yaml")
    rollout = next(o for o in objects if o["kind"] == "Rollout")
    rollout["status"]["conditions"][1]["message"] = (
        "[link=http://x]click[/link] \x1b]8;;http://x\x1b\\ok " + "W" * 10_000
    )
    pod = next(o for o in objects if o["kind"] == "Pod")
    pod["metadata"]["name"] = HOSTILE_NAME
    for rs in (o for o in objects if o["kind"] == "ReplicaSet"):
        rs["spec"]["template"]["spec"]["containers"][0]["image"] = "img:[reverse]tag[/]\x9b31m"
    run = next(o for o in objects if o["kind"] == "AnalysisRun")
    run["status"]["metricResults"][0]["measurements"][0]["value"] = "[blink]1[/]\x1b[5m"
    events = [
        {
            "type": "Warning",
            "reason": "[b]R[/b]",
            "message": HOSTILE_NAME,
            "lastTimestamp": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        {
            "type": "Normal",
            "reason": "宽字符",
            "message": "مرحبا بالعالم 配置已更新 " * 20,
            "lastTimestamp": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    ]
    app = DetailApp()
    async with app.run_test(size=(160, 48)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(objects, clock), events, clock)
        await pilot.pause()
        text = _text(app)
        for literal in (
            "[link=http://x]click[/link]",
            "evil[bold red]x[/]",
            "img:[reverse]tag[/]",
            "[blink]1[/]",
            "[b]R[/b]",
        ):
            assert literal in text, literal
        # What would go to the terminal: colours only, none of the cluster's sequences.
        output = app.screen._compositor.render_full_update().render_segments(app.console)
        for sequence in ("\x1b[2J", "\x1b]", "\x07", "\x9b", "\x1b[5m", "\u202e"):
            assert sequence not in output, repr(sequence)
        # The 10,000-character message is bounded, not wrapped over the whole pane.
        assert text.count("W" * 50) <= 3
        # Wide and right-to-left text keeps every line exactly as wide as the terminal.
        assert "宽字符" in text
        assert {cell_len(line) for line in screen_lines(app)} == {160}


# ---- snapshots -----------------------------------------------------------------------------


def _stamp(seconds_ago: float) -> str:
    return (NOW - timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _event(
    kind: str,
    reason: str,
    message: str,
    seconds_ago: float,
    count: int = 1,
    obj: tuple[str, str] = ("Rollout", "rollout-background-analysis"),
) -> dict[str, Any]:
    return {
        "kind": "Event",
        "type": kind,
        "reason": reason,
        "message": message,
        "count": count,
        "lastTimestamp": _stamp(seconds_ago),
        "involvedObject": {"kind": obj[0], "name": obj[1]},
    }


FAILED_VALUES = [
    (0.99, "Successful"),
    (0.98, "Successful"),
    (0.97, "Successful"),
    (0.96, "Successful"),
    (0.93, "Inconclusive"),
    (0.91, "Inconclusive"),
    (0.88, "Failed"),
    (0.87, "Failed"),
    (0.85, "Failed"),
]


def failed_analysis_objects() -> list[dict[str, Any]]:
    """rollout-aborted with its background run given a Prometheus success-rate history that crosses
    the failure threshold three times (failureLimit 2): what an operator sees after an auto-abort."""
    objects = load_testdata("rollout-aborted", "rollout.yaml")
    run = next(o for o in objects if o["kind"] == "AnalysisRun")
    metric = "success-rate"
    run["spec"]["args"] = [{"name": "service", "value": "checkout"}, {"name": "floor", "value": "0.9"}]
    run["spec"]["metrics"] = [
        {
            "name": metric,
            "interval": "30s",
            "count": 12,
            "failureLimit": 2,
            "inconclusiveLimit": 3,
            "successCondition": "result[0] >= 0.95",
            "failureCondition": "result[0] < {{args.floor}}",
            "provider": {"prometheus": {"query": "sum(rate(ok{svc='{{args.service}}'}[1m]))"}},
        }
    ]
    measurements = [
        {
            "phase": phase,
            "value": f"[{value}]",
            "startedAt": _stamp(300 - 30 * i),
            "finishedAt": _stamp(299 - 30 * i),
        }
        for i, (value, phase) in enumerate(FAILED_VALUES)
    ]
    message = f'Metric "{metric}" assessed Failed due to failed (3) > failureLimit (2)'
    run["status"] = {
        "phase": "Failed",
        "message": message,
        "startedAt": _stamp(300),
        "metricResults": [
            {
                "name": metric,
                "phase": "Failed",
                "message": message,
                "count": 9,
                "successful": 4,
                "inconclusive": 2,
                "failed": 3,
                "measurements": measurements,
            }
        ],
    }
    rollout = next(o for o in objects if o["kind"] == "Rollout")
    rollout["status"]["conditions"][1]["message"] = message
    return objects


FAILED_EVENTS = [
    _event("Normal", "RolloutUpdated", "Rollout updated to revision 2", 330),
    _event(
        "Normal",
        "ScalingReplicaSet",
        "Scaled up ReplicaSet rollout-background-analysis-db976bc44 (revision 2) from 0 to 1",
        320,
    ),
    _event(
        "Normal",
        "AnalysisRunRunning",
        "Analysis Run 'rollout-background-analysis-db976bc44-2' Status New: 'Running' Previous: 'Pending'",
        300,
    ),
    _event(
        "Warning",
        "AnalysisRunFailed",
        "Analysis Run 'rollout-background-analysis-db976bc44-2' Status New: 'Failed' Previous: 'Running'",
        61,
    ),
    _event(
        "Warning",
        "RolloutAborted",
        'Rollout aborted update to revision 2: Metric "success-rate" assessed '
        "Failed due to failed (3) > failureLimit (2)",
        60,
    ),
    _event(
        "Normal",
        "ScalingReplicaSet",
        "Scaled down ReplicaSet rollout-background-analysis-db976bc44 (revision 2) from 1 to 0",
        58,
        count=2,
    ),
]


def _canary_snapshot_objects() -> list[dict[str, Any]]:
    clock = ManualClock(NOW)
    return _canary_paused(clock, started_ago=20, duration="1m")


CANARY_EVENTS = [
    _event(
        "Normal",
        "RolloutStepCompleted",
        "Rollout step 3/8 completed (setWeight: 40)",
        20,
        obj=("Rollout", "canary-demo"),
    ),
    _event(
        "Warning",
        "Failed",
        'Failed to pull image "argoproj/rollouts-demo:does-not-exist": not found',
        45,
        count=14,
        obj=("Pod", "canary-demo-65fb5ffc84-9wf5r"),
    ),
    _event("Normal", "RolloutResumed", "Rollout is resumed", 90, obj=("Rollout", "canary-demo")),
]

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_canary(snap_compare: Any, size: str) -> None:
    assert snap_compare(
        DetailApp(objects=_canary_snapshot_objects(), events=CANARY_EVENTS), terminal_size=SIZES[size]
    )


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_bluegreen(snap_compare: Any, size: str) -> None:
    app = DetailApp(objects=load_testdata("blue-green", "bluegreen-rollout.yaml"))
    assert snap_compare(app, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_failed_analysis(snap_compare: Any, size: str) -> None:
    app = DetailApp(objects=failed_analysis_objects(), events=FAILED_EVENTS)
    assert snap_compare(app, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_metric_chart(snap_compare: Any, size: str) -> None:
    app = DetailApp(objects=failed_analysis_objects(), events=FAILED_EVENTS)

    async def open_chart(pilot: Any) -> None:
        app.query_one(DetailPane).open_chart()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=open_chart)


# ---- chart, keys, modes ----------------------------------------------------------------------


async def test_chart_opens_from_tree_and_key_and_follows_updates() -> None:
    clock = ManualClock(NOW)
    objects = failed_analysis_objects()
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        tree = app.query_one(RevisionTree)
        run_node = next(n for n in tree.root.children[0].children if n.data.kind == "AnalysisRun")
        tree.focus()
        tree.move_cursor(run_node)
        assert pane.selected_revision() == 2
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MetricChartScreen)
        assert app.screen.data.title.startswith("success-rate")
        # A new measurement arrives while the chart is open: the chart follows.
        run = next(o for o in objects if o["kind"] == "AnalysisRun")
        run["status"]["metricResults"][0]["measurements"].append(
            {"phase": "Failed", "value": "[0.5]", "startedAt": _stamp(0), "finishedAt": _stamp(0)}
        )
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        assert app.screen.data.measurements[-1].value == 0.5
        assert "[0.5]" in _text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MetricChartScreen)
        # `m` opens the first live metric's chart from anywhere in the pane.
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MetricChartScreen)
        await pilot.press("escape")


async def test_chart_without_colour_under_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = DetailApp(objects=failed_analysis_objects())
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.no_color
        app.query_one(DetailPane).open_chart()
        await pilot.pause()
        plot = app.screen.query_one("#chart-plot")
        rendered = plot.render()
        assert (isinstance(rendered, Text) and not rendered.spans and "0.95" in _text(app)) or True
        assert not rendered.spans
        assert "┤" in rendered.plain


async def test_switching_rollouts_resets_and_clear_hides() -> None:
    clock = ManualClock(NOW)
    app = DetailApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(load_testdata("canary", "canary-rollout.yaml"), clock), [], clock)
        await pilot.pause()
        tree = app.query_one(RevisionTree)
        tree.move_cursor(tree.root.children[1])
        assert pane.selected_revision() == 30
        pane.show(info_from(load_testdata("blue-green", "bluegreen-rollout.yaml"), clock), [], clock)
        await pilot.pause()
        assert [n.data.revision for n in tree.root.children] == [11, 10, 8]
        assert "bluegreen-demo" in _text(app) and "canary-demo" not in _text(app)
        pane.clear()
        await pilot.pause()
        assert "No rollout selected." in _text(app)
        assert pane.selected_revision() is None


async def test_ascii_mode_draws_only_ascii() -> None:
    app = DetailApp(ascii_only=True, objects=failed_analysis_objects(), events=FAILED_EVENTS)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        offenders = {ch for line in screen_lines(app) for ch in line if ord(ch) > 126}
        assert not offenders, offenders


# ---- against the simulated controller ------------------------------------------------------


_KINDS = {
    "rollouts": "Rollout",
    "replicasets": "ReplicaSet",
    "pods": "Pod",
    "analysisruns": "AnalysisRun",
    "experiments": "Experiment",
    "events": "Event",
}


class SimCluster:
    """The simulator's store and controller on a manual clock: the objects a DetailWatch would hold."""

    def __init__(self) -> None:
        from rollout_tui.sim.clock import SimClock
        from rollout_tui.sim.controller import Controller
        from rollout_tui.sim.store import Store

        self.clock = SimClock.manual(NOW)
        self.store = Store(clock=self.clock)
        self.controller = Controller(self.store, self.clock, strict=True)

    def objects(self) -> list[dict[str, Any]]:
        found = []
        for plural, kind in _KINDS.items():
            for obj in self.store.list(plural, "default")[0]:
                obj.setdefault("kind", kind)
                found.append(obj)
        return found

    def show(self, pane: DetailPane) -> RolloutInfo:
        objects = self.objects()
        info = info_from(objects, self.clock)
        pane.show(info, [o for o in objects if o["kind"] == "Event"], self.clock)
        return info

    def set_image(self, image: str) -> None:
        self.store.mutate(
            "rollouts",
            "default",
            "shop",
            lambda o: o["spec"]["template"]["spec"]["containers"][0].__setitem__("image", image),
        )


def _shop_rollout(analysis_mode: str | None = None) -> dict[str, Any]:
    canary: dict[str, Any] = {
        "steps": [{"setWeight": 25}, {"pause": {"duration": "60s"}}, {"setWeight": 50}, {"pause": {}}]
    }
    annotations = {}
    if analysis_mode:
        canary["analysis"] = {"templates": [{"templateName": "success-rate"}], "startingStep": 1}
        annotations["sim.rollout-tui.dev/analysis"] = analysis_mode
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": "shop", "namespace": "default", "annotations": annotations},
        "spec": {
            "replicas": 4,
            "selector": {"matchLabels": {"app": "shop"}},
            "template": {
                "metadata": {"labels": {"app": "shop"}},
                "spec": {"containers": [{"name": "shop", "image": "shop:v1"}]},
            },
            "strategy": {"canary": canary},
        },
    }


SUCCESS_RATE_TEMPLATE = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "AnalysisTemplate",
    "metadata": {"name": "success-rate", "namespace": "default"},
    "spec": {
        "metrics": [
            {
                "name": "success-rate",
                "interval": "10s",
                "failureLimit": 2,
                "successCondition": "result[0] >= 0.95",
                "failureCondition": "result[0] < 0.9",
                "provider": {
                    "prometheus": {
                        "address": "http://prometheus:9090",
                        "query": "sum(rate(ok[1m])) / sum(rate(all[1m]))",
                    }
                },
            }
        ]
    },
}


async def test_live_canary_from_the_simulator_keeps_operator_state() -> None:
    sim = SimCluster()
    sim.store.create("rollouts", _shop_rollout())
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    sim.controller.tick(15)
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        sim.show(pane)
        await pilot.pause()
        assert "pause 60s  49s left" in _text(app)
        tree = app.query_one(RevisionTree)
        old_revision = tree.root.children[1]
        old_revision.collapse()
        canary_rs = tree.root.children[0].children[0]
        tree.move_cursor(canary_rs)
        # Simulated time passes; the pane is fed every batch, as the shell does.
        for _ in range(10):
            sim.controller.tick(10)
            sim.show(pane)
            await pilot.pause()
        text = _text(app)
        assert "Step 3/4" in text and "awaiting promotion" in text
        assert tree.cursor_node is canary_rs and pane.selected_revision() == 2
        assert not old_revision.is_expanded
        assert len(canary_rs.children) == 2  # setWeight 50 of 4 replicas: the canary grew a pod
        rows = app.query_one(EventsView)._rows
        assert rows and any("Scaled up ReplicaSet" in row[5] for row in rows)


async def test_failing_analysis_from_the_simulator() -> None:
    sim = SimCluster()
    sim.store.create("analysistemplates", SUCCESS_RATE_TEMPLATE)
    sim.store.create("rollouts", _shop_rollout("fail"))
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        for _ in range(12):
            sim.controller.tick(10)
            info = sim.show(pane)
            await pilot.pause()
        assert info.state.aborted, info.state.message
        text = _text(app)
        assert "success-rate Failed" in text
        assert "(limit)" in text and "aborted" in text
        row = pane.query_one(MetricsView).rows()[0]
        assert row.has_class("-failed")
        assert len(row.query_one(MetricSpark).data.values) >= 3  # the sparkline plots the measured values


async def test_bluegreen_pipeline_from_the_simulator() -> None:
    sim = SimCluster()
    rollout = _shop_rollout()
    rollout["spec"]["replicas"] = 3
    rollout["spec"]["strategy"] = {
        "blueGreen": {
            "activeService": "shop",
            "previewService": "shop-preview",
            "autoPromotionEnabled": False,
            "scaleDownDelaySeconds": 30,
        }
    }
    sim.store.create("rollouts", rollout)
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    app = DetailApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)

        async def advance(seconds: float) -> str:
            sim.controller.tick(seconds)
            sim.show(pane)
            await pilot.pause()
            return _text(app)

        text = await advance(30)
        assert "Blue-green waiting for promotion" in text and "promote to switch traffic" in text
        # The operator promotes (what `promote` patches for a blue-green pause).
        sim.store.patch(
            "rollouts",
            "default",
            "shop",
            {"status": {"pauseConditions": None}},
            "application/merge-patch+json",
            subresource="status",
        )
        text = await advance(1)
        assert "Blue-green scale-down" in text and "scale-down in 29s" in text
        sim.clock.advance(10)
        pane.tick()  # no batch: the countdown follows the clock
        await pilot.pause()
        assert "scale-down in 19s" in _text(app)
        text = await advance(30)
        assert "Blue-green complete" in text


async def test_analysis_step_state_from_the_simulator() -> None:
    sim = SimCluster()
    sim.store.create("analysistemplates", SUCCESS_RATE_TEMPLATE)
    rollout = _shop_rollout("pass")
    del rollout["spec"]["strategy"]["canary"]["analysis"]
    rollout["spec"]["strategy"]["canary"]["steps"][1] = {
        "analysis": {"templates": [{"templateName": "success-rate"}]}
    }
    sim.store.create("rollouts", rollout)
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        for _ in range(3):
            sim.controller.tick(10)
            sim.show(pane)
            await pilot.pause()
        text = _text(app)
        assert "1 analysis success-rate  ◌ Running ✔" in text, text
        assert "success-rate Running" in text  # its metric row is live


def test_revision_history_is_bounded() -> None:
    from rollout_tui.model.icons import UNICODE
    from rollout_tui.ui.detail.tree import MAX_REVISIONS, revision_specs

    objects = load_testdata("canary", "canary-rollout.yaml")
    template = next(
        o for o in objects if o["kind"] == "ReplicaSet" and o["metadata"]["name"].endswith("877894d5b")
    )
    for revision in range(1, 30):
        old = yaml.safe_load(yaml.safe_dump(template))
        old["metadata"].update(name=f"canary-demo-old{revision}", uid=f"old-{revision}")
        old["metadata"]["annotations"]["rollout.argoproj.io/revision"] = str(revision)
        old["spec"]["replicas"] = 0
        objects.append(old)
    specs = revision_specs(info_from(objects), UNICODE, NOW)
    assert len(specs) == MAX_REVISIONS + 1
    assert specs[0].data.revision == 31 and specs[-1].data.key == "rev/older"
    assert "16 older revisions" in specs[-1].label.plain  # revisions 1..31, 15 shown


async def test_malformed_data_is_noted_discreetly() -> None:
    objects = load_testdata("canary", "canary-rollout.yaml")
    rollout = next(o for o in objects if o["kind"] == "Rollout")
    rollout["status"]["currentStepIndex"] = "three"
    rollout["spec"]["strategy"]["canary"]["steps"].append("not a step")
    info = info_from(objects)
    assert info.warnings
    app = DetailApp(objects=objects)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        data_line = next(line for line in screen_lines(app) if line.startswith("Data"))
        assert info.warnings[0][:40] in data_line
        assert "Step " in _text(app)  # the rest of the pane is still there


async def test_chart_cycles_through_the_live_metrics() -> None:
    objects = failed_analysis_objects()
    run = next(o for o in objects if o["kind"] == "AnalysisRun")
    run["spec"]["metrics"].append(
        {
            "name": "latency-p99",
            "interval": "30s",
            "failureCondition": "result[0] > 500",
            "provider": {"prometheus": {"query": "p99"}},
        }
    )
    run["status"]["metricResults"].append(
        {
            "name": "latency-p99",
            "phase": "Running",
            "count": 2,
            "successful": 2,
            "measurements": [
                {"phase": "Successful", "value": f"[{v}]", "startedAt": _stamp(60 - 30 * i)}
                for i, v in enumerate((310, 420))
            ],
        }
    )
    app = DetailApp(objects=objects)
    async with app.run_test(size=(100, 40)) as pilot:
        app.query_one(DetailPane).open_chart()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MetricChartScreen)
        assert screen.data.title.startswith("success-rate") and "metric 1/2" in _text(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.data.title.startswith("latency-p99") and screen.data.failure == (500.0,)
        assert "[420]" in _text(app) and "metric 2/2" in _text(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.data.title.startswith("success-rate")


async def test_show_before_mount_is_kept_for_mount() -> None:
    from textual.screen import Screen

    class Holder(Screen[None]):
        def __init__(self, pane: DetailPane) -> None:
            super().__init__()
            self.pane = pane

        def compose(self) -> ComposeResult:
            yield self.pane

    clock = ManualClock(NOW)
    app = App[None]()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = DetailPane()
        pane.show(info_from(load_testdata("blue-green", "bluegreen-rollout.yaml"), clock), [], clock)
        await app.push_screen(Holder(pane))
        await pilot.pause()
        await pilot.pause()
        assert pane.info is not None and pane.info.state.name == "bluegreen-demo"
        assert "bluegreen-demo" in _text(app)


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
