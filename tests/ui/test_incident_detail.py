"""The incident view in the detail, over real HTTPS against a simulator on a manual clock: pod
events and container reasons within a second of the simulator emitting them, the rows' needs-me
reason and warning count, traffic truth, status.duration."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

import pytest
from incidenthelpers import incident_world, make_app, open_rollout
from uihelpers import screen_text, wait_until

from rollout_tui.ui.detail.events import EventsView
from rollout_tui.ui.detail.tree import RevisionTree
from rollout_tui.ui.rows import message_text

WIDE = (200, 60)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with incident_world(Path(tmp_path_factory.mktemp("incident"))) as found:
        yield found


def tree_text(app: Any) -> str:
    tree = app.detail_pane().query_one(RevisionTree)
    lines = []
    stack = list(tree.root.children)
    while stack:
        node = stack.pop(0)
        lines.append(node.label.plain)
        stack[:0] = list(node.children)
    return "\n".join(lines)


def events_text(app: Any) -> str:
    lines = app.detail_pane().query_one(EventsView).lines
    return "\n".join(
        line.plain if hasattr(line, "plain") else " ".join(t.plain for t in line) for line in lines
    )


def restarts(world: Any, app_name: str) -> int:
    return max(
        int(cs.get("restartCount") or 0)
        for p in world.pods(app_name)
        for cs in (p.get("status") or {}).get("containerStatuses") or []
    )


def backoff_count(world: Any) -> int:
    """The count the simulator's kubelet gave the crash pods' BackOff events (summed, as folded)."""
    events = world.sim.store.list("events", "shop")[0]
    return sum(
        int(e.get("count") or 1)
        for e in events
        if e.get("reason") == "BackOff"
        and str((e.get("involvedObject") or {}).get("name", "")).startswith("crash-")
    )


def backoff_line(app: Any) -> str:
    return next((line for line in events_text(app).splitlines() if "Back-off restarting" in line), "")


async def test_crash_loop_reasons_and_events_reach_the_detail_within_a_second(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=WIDE) as pilot:
        await open_rollout(pilot, "crash", lambda pane: "CrashLoopBackOff" in tree_text(app))
        text = tree_text(app)
        assert "CrashLoopBackOff  ready:0/1,restarts:" in text  # the pod line: kubectl's status
        assert "crash waiting CrashLoopBackOff" in text and "last: Error exit 2" in text  # the container
        assert "panic: " in text  # its last words (FallbackToLogsOnError puts the log tail in the status)
        assert "Back-off restarting failed container" in events_text(app)  # the pod's Warning event
        # The simulator's own listener notes the instant its store commits the restarted
        # container and the kubelet's next BackOff event; the controller and kubelet run on their
        # own thread, as in a cluster.
        emitted: dict[str, float] = {}
        before, backoffs = restarts(world, "crash"), backoff_count(world)

        def note(_type: str, plural: str, obj: dict[str, Any]) -> None:
            name = str((obj.get("metadata") or {}).get("name", ""))
            if plural == "pods" and name.startswith("crash-") and "pod" not in emitted:
                statuses = (obj.get("status") or {}).get("containerStatuses") or []
                if max((int(c.get("restartCount") or 0) for c in statuses), default=0) > before:
                    emitted["pod"] = time.monotonic()
            involved = str((obj.get("involvedObject") or {}).get("name", ""))
            if plural == "events" and obj.get("reason") == "BackOff" and involved.startswith("crash-"):
                emitted.setdefault("event", time.monotonic())

        world.sim.store.add_listener(note)
        try:
            ticking = asyncio.create_task(asyncio.to_thread(world.ctl.tick, 40))
            await wait_until(
                pilot, lambda: "pod" in emitted and "event" in emitted, what="the simulator's restart"
            )
            wanted = f"restarts:{restarts(world, 'crash')}"
            await wait_until(pilot, lambda: wanted in tree_text(app), what="the new restart count")
            reason_latency = time.monotonic() - emitted["pod"]
            await wait_until(pilot, lambda: backoff_count(world) > backoffs, what="the new BackOff count")
            count = backoff_count(world)
            await wait_until(
                pilot, lambda: f"×{count}" in backoff_line(app), what="the BackOff event's count"
            )
            event_latency = time.monotonic() - emitted["event"]
            await ticking
        finally:
            world.sim.store.remove_listener(note)
        print(
            f"container reason -> detail {reason_latency * 1000:.0f} ms; event -> detail {event_latency * 1000:.0f} ms"
        )
        assert reason_latency < 1.0 and event_latency < 1.0


async def test_an_image_that_cannot_be_pulled_in_the_detail_and_the_rows(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=WIDE) as pilot:
        await open_rollout(pilot, "pull", lambda pane: "ImagePullBackOff" in tree_text(app))
        await wait_until(pilot, lambda: "Failed to pull image" in events_text(app), what="the pull events")
        await wait_until(
            pilot, lambda: "canary pods failing: image pull" in screen_text(app), what="the summary's reason"
        )
        screen = screen_text(app)
        assert "canary pods failing: image pull" in screen  # the summary: the same reason as the row
        assert "warnings in 10m" in screen
        entries = app.view.entries
        await wait_until(
            pilot, lambda: entries["sim/shop/crash"].warnings > 0, what="the crash row's warnings"
        )
        crash = entries["sim/shop/crash"]
        assert crash.attention.needs_me and crash.incident[0].text == "canary pods failing: crash loop"
        assert crash.warnings > 0  # counted from the fleet's Warning events, no pod watched
        assert entries["sim/shop/pull"].incident[0].text == "canary pods failing: image pull"
        assert not entries["sim/shop/checked"].incident
        row = message_text(
            crash, app.glyphs, app.clock.now()
        ).plain  # what the crash row's MESSAGE column shows
        assert row.startswith(f"⚠{crash.warnings} canary pods failing: crash loop")


async def test_a_router_that_keeps_the_old_split_is_a_needs_me_reason(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=WIDE) as pilot:
        await open_rollout(
            pilot, "routed", lambda pane: pane.info.traffic is not None and pane.info.traffic.mismatch
        )
        await pilot.pause(0.3)
        screen = screen_text(app)
        assert "Ingress routed-routed-ingress-canary" in screen
        # the detail pane's lines as one text: at 200 columns its Traffic line may wrap
        detail = " ".join(" ".join(line.rsplit("│", 1)[-1].split()) for line in screen.splitlines())
        assert "canary 0%" in detail and "rollout says 20%" in detail
        assert "set 20% · controller 20%" in screen
        entry = app.view.entries["sim/shop/routed"]  # the selected row takes the detail's reasons
        assert entry.attention.needs_me and entry.incident[0].text.startswith("traffic differs: ")


async def test_status_duration_is_shown(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=WIDE) as pilot:
        pane = await open_rollout(pilot, "checked")
        assert pane.info.duration is not None and pane.info.duration.started is not None
        await wait_until(pilot, lambda: "Update" in screen_text(app), what="the Update line")
        assert re.search(r"Update +started \d\d:\d\d:\d\dZ", screen_text(app))
