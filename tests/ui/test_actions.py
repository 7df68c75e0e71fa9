"""Every action: its confirmation text, Cancel focused, and its effect on the simulator's store.

The simulator runs without a controller, so what the store holds afterwards is exactly what the
UI's action wrote (through kube Actions, over real HTTP).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button
from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.screens.confirm import ConfirmScreen
from rollout_tui.ui.screens.prompt import PromptScreen


def rollout(sim: Any, name: str, namespace: str = "jesse-test") -> dict:
    return sim.store.get("rollouts", namespace, name)


def toasts(app: RolloutApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_app(pilot_app: RolloutApp, pilot: Any, key: str) -> None:
    table = pilot_app.query_one(OverviewTable)
    await wait_until(pilot, lambda: table.row_count == 10, what="rows")
    assert table.select_key(key)
    await pilot.pause()


async def confirm(app: RolloutApp, pilot: Any, expect: str) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirmation modal")
    assert expect in app.screen.proposal.text, app.screen.proposal.text
    assert app.focused is app.screen.query_one("#cancel", Button)  # Enter alone never acts
    await pilot.press("tab", "enter")


CASES = [
    # key, row, confirmation text, check on the stored rollout afterwards
    (
        "p",
        "bluegreen-demo",
        "promote jesse-test/bluegreen-demo: switch the active service to the preview",
        lambda r: not r["status"].get("pauseConditions"),
    ),
    (
        "P",
        "canary-demo",
        "promote jesse-test/canary-demo fully from step 1/8 (pause)",
        lambda r: r["status"].get("promoteFull") is True,
    ),
    (
        "x",
        "canary-demo-weights",
        "abort jesse-test/canary-demo-weights",
        lambda r: r["status"].get("abort") is True,
    ),
    (
        "z",
        "canary-demo-pingpong",
        "pause jesse-test/canary-demo-pingpong at step 1/8 (pause)",
        lambda r: r["spec"].get("paused") is True,
    ),
    (
        "R",
        "canary-demo-weights-na",
        "restart jesse-test/canary-demo-weights-na",
        lambda r: bool(r["spec"].get("restartAt")),
    ),
]


@pytest.mark.parametrize(("key", "name", "text", "check"), CASES, ids=[c[0] + "-" + c[1] for c in CASES])
async def test_action_confirmed_and_applied(
    fleet_factory: Any, key: str, name: str, text: str, check: Any
) -> None:
    fleet, contexts, sims = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(120, 30)) as pilot:
        await open_app(app, pilot, f"sim/jesse-test/{name}")
        await pilot.press(key)
        await confirm(app, pilot, text)
        await wait_until(
            pilot, lambda: check(rollout(sims[0], name)), what=f"{name} changed in the simulator"
        )
        await wait_until(
            pilot, lambda: any(f"rollout '{name}'" in t for t in toasts(app)), what="success toast"
        )


async def test_cancel_changes_nothing_and_retry_undo_set_image(fleet_factory: Any) -> None:
    fleet, contexts, sims = fleet_factory()
    sim = sims[0]
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(120, 30)) as pilot:
        name, ns = "rollout-background-analysis", "default"
        await open_app(app, pilot, f"sim/{ns}/{name}")
        before = rollout(sim, name, ns)

        await pilot.press("y")  # retry: Enter on the focused Cancel does nothing
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await pilot.pause(0.3)
        assert rollout(sim, name, ns)["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]

        await pilot.press("y")
        await confirm(app, pilot, "retry default/rollout-background-analysis")
        await wait_until(
            pilot, lambda: rollout(sim, name, ns)["status"].get("abort") is False, what="abort cleared"
        )

        await pilot.press("u")  # no revision under a tree cursor: asks which one
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press("backspace", "2", "enter")
        await confirm(
            app, pilot, "undo default/rollout-background-analysis: roll the pod template back to revision 2"
        )
        await wait_until(
            pilot, lambda: "yellow" in str(rollout(sim, name, ns)["spec"]["template"]), what="undo"
        )

        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one("Input").value = "argoproj/rollouts-demo:green"
        await pilot.press("enter")
        await confirm(app, pilot, "to argoproj/rollouts-demo:green")
        await wait_until(
            pilot,
            lambda: "rollouts-demo:green" in str(rollout(sim, name, ns)["spec"]["template"]),
            what="image set",
        )


async def test_stale_view_is_refused(fleet_factory: Any) -> None:
    fleet, contexts, sims = fleet_factory()
    sim = sims[0]
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(120, 30)) as pilot:
        await open_app(app, pilot, "sim/jesse-test/bluegreen-demo")
        # the overview keeps its state, not the Rollout: the guard works from what the row shows
        assert fleet.rollout("sim", "jesse-test", "bluegreen-demo") is None
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))

        def someone_else_promoted(obj: dict) -> None:  # another operator, while this modal is open
            obj["status"]["currentPodHash"] = "7d6b5c4a3f"
            obj["status"]["pauseConditions"] = None

        sim.store.mutate(
            "rollouts", "jesse-test", "bluegreen-demo", someone_else_promoted, subresource="status"
        )
        rv = rollout(sim, "bluegreen-demo")["metadata"]["resourceVersion"]
        await pilot.press("tab", "enter")
        await wait_until(
            pilot, lambda: any("changed since you looked" in t for t in toasts(app)), what="stale toast"
        )
        assert rollout(sim, "bluegreen-demo")["metadata"]["resourceVersion"] == rv  # nothing written


async def test_rbac_greys_actions_with_the_reason(fleet_factory: Any, request_log: Any) -> None:
    fleet, contexts, _ = fleet_factory(user="viewer")
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(120, 30)) as pilot:
        await open_app(app, pilot, "sim/jesse-test/bluegreen-demo")
        await wait_until(pilot, lambda: ("sim", "jesse-test") in app.flow._access, what="RBAC answers")
        assert app.check_action("act", ("promote",)) is None  # greyed, still listed
        assert app.check_action("act", ("abort",)) is None
        await wait_until(
            pilot,
            lambda: (
                "not allowed" in screen_text(app)
                or "forbidden" in screen_text(app).lower()
                or "cannot" in screen_text(app)
            ),
            what="reason shown",
        )
        await pilot.press("p", "x", "z", "R")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ConfirmScreen)
        assert [w for w in request_log.writes() if "accessreview" not in w[1]] == []


async def test_undo_takes_the_revision_under_the_tree_cursor(fleet_factory: Any) -> None:
    fleet, contexts, sims = fleet_factory()
    app = RolloutApp(fleet, contexts, clock=FixedClock(FROZEN_AT))
    async with app.run_test(size=(160, 40)) as pilot:  # wide: the tree is beside the table
        name, ns = "rollout-background-analysis", "default"
        await open_app(app, pilot, f"sim/{ns}/{name}")
        tree = app.query_one("#detail").query_one("RevisionTree")
        await wait_until(pilot, lambda: len(tree.root.children) == 3, what="revision nodes")
        revision_2 = next(n for n in tree.root.children if n.data is not None and n.data.revision == 2)
        # The tree builds its lines when idle: a node without a line yet cannot take the cursor.
        await wait_until(pilot, lambda: revision_2.line >= 0, what="the tree's lines")
        tree.move_cursor(revision_2)
        await wait_until(pilot, lambda: tree.selected_revision() == 2, what="the cursor on revision 2")
        await pilot.press("u")  # no prompt: the revision comes from the tree
        await confirm(app, pilot, "roll the pod template back to revision 2")
        await wait_until(
            pilot,
            lambda: "yellow" in str(rollout(sims[0], name, ns)["spec"]["template"]),
            what="template of revision 2",
        )
