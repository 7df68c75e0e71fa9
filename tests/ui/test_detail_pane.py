"""The rollout detail pane: in-place updates, countdowns, the traffic bar, hostile data, snapshots."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import yaml
from detailhelpers import (
    NOW,
    DetailApp,
    ManualClock,
    events_of,
    failed_analysis_objects,
    info_from,
    objects_of_kind,
    pane_text,
    screen_lines,
)
from rich.cells import cell_len
from textual.app import App, ComposeResult

from rollout_tui.ui.detail import DetailPane
from rollout_tui.ui.detail.lines import LineView
from rollout_tui.ui.detail.tree import RevisionTree
from tests.fixtures.sets import recorded


def _canary_paused(clock: ManualClock, started_ago: float = 20, duration: str = "1m") -> list[dict[str, Any]]:
    """The recorded paused canary moved on to step 4/8, a timed pause that started `started_ago`
    seconds before the clock."""
    objects = recorded("canary-paused")
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


async def test_updates_keep_tree_expansion_cursor_scroll_and_focus() -> None:
    clock = ManualClock(NOW)
    objects = recorded("experiment-analysis")
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
        extra["metadata"]["name"] = f"{stable_pod['metadata']['name'][:-5]}zzzzz"
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
    info = info_from(recorded("failed-analysis"), clock)
    app = DetailApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info, [], clock)
        await pilot.pause()
        before = pane.repaints
        for _ in range(5):
            pane.show(info_from(recorded("failed-analysis"), clock), [], clock)
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
        assert "pause 1m  40s left" in pane_text(app)
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
        assert "pause 1m  25s left" in pane_text(app)
        assert repainted == [" ▶  3 pause 1m  25s left"]  # step 3/4: index 3, as the plugin counts
        monkeypatch.undo()
        # A batch rebuilt at the new time agrees with the tick.
        clock.advance(1)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        assert "pause 1m  24s left" in pane_text(app)
        clock.advance(120)
        pane.tick()
        await pilot.pause()
        assert "pause 1m  0s left" in pane_text(app)


async def test_traffic_bar_follows_the_scrollbar_that_appears_when_events_arrive() -> None:
    # The body's scrollbar takes a column once the events make it overflow: the stable|canary bar
    # must be redrawn for the narrower width, as if the events had been there from the start.
    clock = ManualClock(NOW)
    objects = recorded("canary-weights")

    def bar(app: App[None]) -> str:
        return next(line for line in screen_lines(app) if "█" in line and "canary" in line).rstrip()

    app = DetailApp()
    async with app.run_test(size=(64, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        assert not pane.query_one("#detail-body").show_vertical_scrollbar
        pane.show(info_from(objects, clock), events_of(objects), clock)
        await pilot.pause()
        await pilot.pause()
        assert pane.query_one("#detail-body").show_vertical_scrollbar
        grown = bar(app)
    fresh = DetailApp(objects=objects, events=events_of(objects))
    async with fresh.run_test(size=(64, 40)) as pilot:
        await pilot.pause()
        assert grown == bar(fresh)


async def test_bluegreen_scale_down_delay_counts_down() -> None:
    clock = ManualClock(NOW)
    objects = recorded("bluegreen-paused")
    rollout = next(o for o in objects if o["kind"] == "Rollout")
    # Promoted: active and stable are the new ReplicaSet; the old one waits out its delay.
    status = rollout["status"]
    old_hash, new_hash = status["blueGreen"]["activeSelector"], status["currentPodHash"]
    status["blueGreen"]["activeSelector"] = status["stableRS"] = new_hash
    status["pauseConditions"] = []
    old = next(o for o in objects_of_kind(objects, "ReplicaSet") if o["metadata"]["name"].endswith(old_hash))
    old["metadata"].setdefault("annotations", {})["scale-down-deadline"] = (
        NOW + timedelta(seconds=30)
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(objects, clock), [], clock)
        await pilot.pause()
        text = pane_text(app)
        assert "Blue-green scale-down" in text
        assert "scale-down in 30s" in text
        assert "delay:30s" in text  # the old ReplicaSet's row in the tree
        clock.advance(12)
        pane.tick()
        await pilot.pause()
        assert "scale-down in 18s" in pane_text(app)


HOSTILE_NAME = "evil[bold red]x[/]\x1b[2J\x1b]0;owned\x07\u202e"


async def test_hostile_cluster_strings_render_literally() -> None:
    clock = ManualClock(NOW)
    objects = recorded("failed-analysis")
    rollout = next(o for o in objects if o["kind"] == "Rollout")
    hostile_message = "[link=http://x]click[/link] \x1b]8;;http://x\x1b\\ok " + "W" * 10_000
    progressing = next(c for c in rollout["status"]["conditions"] if c["type"] == "Progressing")
    progressing["message"] = rollout["status"]["message"] = hostile_message
    pod = next(o for o in objects if o["kind"] == "Pod")
    pod["metadata"]["name"] = HOSTILE_NAME
    for rs in (o for o in objects if o["kind"] == "ReplicaSet"):
        rs["spec"]["template"]["spec"]["containers"][0]["image"] = "img:[reverse]tag[/]\x9b31m"
    run = next(o for o in objects if o["kind"] == "AnalysisRun")
    run["status"]["metricResults"][0]["measurements"][-1]["value"] = "[blink]1[/]\x1b[5m"
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
        text = pane_text(app)
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


FAILED_EVENTS = events_of(recorded("failed-analysis"))


CANARY = recorded("canary-weights")  # traffic-routed, in a timed pause, with its events


SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_canary(snap_compare: Any, size: str) -> None:
    assert snap_compare(DetailApp(objects=CANARY, events=events_of(CANARY)), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_bluegreen(snap_compare: Any, size: str) -> None:
    app = DetailApp(objects=recorded("bluegreen-paused"))
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


async def test_switching_rollouts_resets_and_clear_hides() -> None:
    clock = ManualClock(NOW)
    app = DetailApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(info_from(recorded("canary-paused"), clock), [], clock)
        await pilot.pause()
        tree = app.query_one(RevisionTree)
        tree.move_cursor(tree.root.children[1])
        assert pane.selected_revision() == 2
        pane.show(info_from(recorded("bluegreen-paused"), clock), [], clock)
        await pilot.pause()
        assert [n.data.revision for n in tree.root.children] == [3, 2, 1]
        assert "bluegreen-demo" in pane_text(app) and "canary-demo" not in pane_text(app)
        pane.clear()
        await pilot.pause()
        assert "No rollout selected." in pane_text(app)
        assert pane.selected_revision() is None


async def test_ascii_mode_draws_only_ascii() -> None:
    app = DetailApp(ascii_only=True, objects=failed_analysis_objects(), events=FAILED_EVENTS)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        offenders = {ch for line in screen_lines(app) for ch in line if ord(ch) > 126}
        assert not offenders, offenders


async def test_malformed_data_is_noted_discreetly() -> None:
    objects = recorded("canary-paused")
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
        assert "Step " in pane_text(app)  # the rest of the pane is still there


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
        pane.show(info_from(recorded("bluegreen-paused"), clock), [], clock)
        await app.push_screen(Holder(pane))
        await pilot.pause()
        await pilot.pause()
        assert pane.info is not None and pane.info.state.name == "bluegreen-demo"
        assert "bluegreen-demo" in pane_text(app)
