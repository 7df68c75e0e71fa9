"""The incident tests' world: a simulator on a manual clock (tests/ui/incident/world.yaml) whose
controller the tests tick, a kube Fleet on it over real HTTPS, and the shell at a fixed clock.

After `break_everything`: `crash` crash-loops (its canary pods log a panic before each exit),
`pull` cannot pull its image, `routed` has an NGINX canary Ingress stuck at the old split,
`checked` runs its analysis step, `web` (spec.workloadRef: Deployment web) is at revision 2.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from rollout_tui.model.clock import FixedClock

WORLD = Path(__file__).parent / "incident" / "world.yaml"
NS = "shop"
IMAGES = {"crash": "argoproj/rollouts-demo:v2-crash", "pull": "argoproj/rollouts-demo:does-not-exist"}


@dataclass
class World:
    sim: Any
    ctl: Any
    fleet: Any
    contexts: list[str]
    kubeconfig: Path | None = None  # the fleet's: real kubectl reads the same simulator

    def clock(self) -> FixedClock:
        """The app's clock: the simulator's now (ages and countdowns do not move)."""
        return FixedClock(self.sim.clock.now())

    def get(self, plural: str, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.sim.store.get(plural, NS, name)
        return found

    def pods(self, app: str) -> list[dict[str, Any]]:
        return [p for p in self.sim.store.list("pods", NS)[0] if p["metadata"]["labels"].get("app") == app]


def set_image(sim: Any, name: str, image: str) -> None:
    """`kubectl argo rollouts set image`: GET, edit, PUT."""
    ro = copy.deepcopy(sim.store.get("rollouts", NS, name))
    ro["spec"]["template"]["spec"]["containers"][0]["image"] = image
    if name == "crash":
        ro["spec"]["template"]["spec"]["containers"][0]["env"] = [{"name": "LOG_LEVEL", "value": "debug"}]
    if name == "routed":  # from now on the router keeps the split it has (the controller's writes are lost)
        ro["metadata"].setdefault("annotations", {})["sim.rollout-tui.dev/router"] = "stuck"
    sim.store.replace("rollouts", ro)


def break_everything(sim: Any, ctl: Any) -> None:
    ctl.tick(40)  # every first revision Healthy
    for name, image in IMAGES.items():
        set_image(sim, name, image)
    set_image(sim, "routed", "argoproj/rollouts-demo:green")
    set_image(sim, "checked", "argoproj/rollouts-demo:green")
    deploy = copy.deepcopy(sim.store.get("deployments", NS, "web"))
    deploy["spec"]["template"]["spec"]["containers"][0]["image"] = "argoproj/rollouts-demo:green"
    sim.store.replace("deployments", deploy)
    ctl.tick(25)  # the crash loop has crashed twice, the pull has failed, the analysis measures


@contextmanager
def incident_world(tmp_path: Path, read_only: bool = False) -> Iterator[World]:
    from rollout_tui.kube.config import prepare
    from rollout_tui.kube.fleet import Fleet
    from rollout_tui.sim import Simulator
    from rollout_tui.sim.clock import SimClock
    from rollout_tui.sim.controller import Controller

    sim = Simulator(port=0, controller=False, clock=SimClock.manual(), scenario=str(WORLD)).start()
    fleet = None
    try:
        ctl = Controller(sim.store, sim.clock)
        break_everything(sim, ctl)
        kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig", context="sim", namespace=NS)
        fleet = Fleet(
            prepare(str(kubeconfig), ["sim"], False, read_only), read_only=read_only, audit=None
        ).start()
        assert fleet.wait_synced(10), "fleet did not sync with the simulator"
        yield World(sim, ctl, fleet, ["sim"], Path(kubeconfig))
    finally:
        if fleet is not None:
            fleet.stop()
        sim.stop()


def later(world: World, seconds: float) -> None:
    world.ctl.tick(seconds)


__all__ = ["NS", "World", "break_everything", "incident_world", "later", "set_image", "timedelta"]


# ---------------------------------------------------------------- driving the shell


def make_app(world: World, size_wide: bool = True) -> Any:
    from rollout_tui.ui.app import RolloutApp

    return RolloutApp(world.fleet, world.contexts, clock=world.clock(), theme="textual-dark", animate=False)


async def open_rollout(pilot: Any, name: str, what: Any = None) -> Any:
    """Select `shop/<name>` and wait until the detail shows it (and `what(pane)` holds)."""
    import asyncio

    from uihelpers import shell_is_wide, wait_until

    from rollout_tui.ui.overview import OverviewTable

    app = pilot.app
    table = app.query_one(OverviewTable)
    key = f"sim/{NS}/{name}"
    await wait_until(pilot, lambda: table.select_key(key), what=f"row {key}")
    await pilot.pause()
    if not await shell_is_wide(pilot):
        await pilot.press("enter")
    await wait_until(
        pilot, lambda: app.feed.watch is not None and app.feed.key == key, what="the detail's watch"
    )
    assert await asyncio.to_thread(app.feed.watch.wait_synced, 10)
    pane = app.detail_pane()
    await wait_until(
        pilot,
        lambda: pane.info is not None and pane.info.state.name == name and (what is None or what(pane)),
        what=f"the detail of {name}",
    )
    return pane


def find_node(app: Any, kind: str, match: Any = None) -> Any:
    """The first tree node of `kind` (whose NodeData.ref satisfies `match`, when given)."""

    from rollout_tui.ui.detail.tree import RevisionTree

    tree = app.detail_pane().query_one(RevisionTree)
    stack = list(tree.root.children)
    while stack:
        node = stack.pop(0)
        data = node.data
        if data is not None and data.kind == kind and (match is None or match(data)):
            return node
        stack[:0] = list(node.children)
    raise AssertionError(f"no {kind} node in the tree")


async def put_cursor(pilot: Any, kind: str, match: Any = None) -> Any:
    from uihelpers import wait_until

    from rollout_tui.ui.detail.tree import RevisionTree

    node = find_node(pilot.app, kind, match)
    tree = pilot.app.detail_pane().query_one(RevisionTree)
    tree.focus()
    tree.move_cursor(node)
    # focus() lands on a later turn of the loop: under load a key pressed next reached the table
    await wait_until(pilot, lambda: pilot.app.focused is tree and tree.cursor_node is node, what="cursor")
    return node
