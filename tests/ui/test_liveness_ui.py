"""What the operator sees of a fault: the header (and the wall's banner) admits it within 15 s,
every row of the silent cluster says it is stale, and within 2 s of the API answering again the
screen shows the server's state. The app reaches the simulator through the TCP fault proxy.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from uihelpers import FROZEN_AT, screen_text, stop_all, wait_until

from rollout_tui.kube.config import prepare
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.reflector import ReflectorParams
from rollout_tui.model.clock import FixedClock
from rollout_tui.sim import Simulator
from rollout_tui.sim.netfaults import FaultProxy, through
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.demo import merge_kubeconfigs
from rollout_tui.ui.wall import WallBanner
from rollout_tui.ui.wall_app import WallApp
from tests.kube.conftest import rollout

FAST = ReflectorParams(silence_probe=1.0)


@contextmanager
def proxied_fleet(
    tmp_path: Path, contexts: tuple[str, ...], params: ReflectorParams
) -> Iterator[tuple[Fleet, dict[str, Simulator], dict[str, FaultProxy]]]:
    sims: dict[str, Simulator] = {}
    proxies: dict[str, FaultProxy] = {}
    fleet = None
    try:
        paths = []
        for name in contexts:
            sim = sims[name] = Simulator(controller=False).start()
            sim.bookmark_interval = 0.5
            for i in range(4):
                sim.store.create("rollouts", rollout(f"{name}-app-{i}", "shop", steps=2))
            proxy = proxies[name] = FaultProxy(("127.0.0.1", sim.port)).start()
            direct = sim.write_kubeconfig(tmp_path / f"{name}-direct.yaml", context=name)
            paths.append(through(direct, tmp_path / f"{name}.yaml", proxy.address))
        kubeconfig = merge_kubeconfigs(paths, tmp_path / "kubeconfig", contexts[0])
        fleet = Fleet(prepare(str(kubeconfig), list(contexts)), read_only=True, params=params, audit=None)
        fleet.start()
        assert fleet.wait_synced(10)
        yield fleet, sims, proxies
    finally:
        stop_all(fleet, proxies, sims)


def header(app: Any) -> str:
    return screen_text(app).splitlines()[0]


def rows_of(app: Any, context: str) -> list[str]:
    table = app.table
    return [key for key in table.keys if key.startswith(f"{context}/")]


def shows_server(app: Any, sims: dict[str, Simulator]) -> bool:
    """Every context live and the table holding exactly the server's rollouts."""
    for name, sim in sims.items():
        items, _ = sim.store.list("rollouts", None)
        wanted = {f"{name}/{o['metadata']['namespace']}/{o['metadata']['name']}" for o in items}
        if set(rows_of(app, name)) != wanted or not app.view.connections[name].ok:
            return False
    return "no data" not in header(app)


async def test_partition_is_shown_in_the_header_and_rows_then_recovers(tmp_path: Path) -> None:
    # default liveness settings: the real 15 s budget
    with proxied_fleet(tmp_path, ("west",), ReflectorParams()) as (fleet, sims, proxies):
        app = RolloutApp(fleet, ["west"], clock=FixedClock(FROZEN_AT), read_only=True)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_until(pilot, lambda: shows_server(app, sims), what="the first sync")
            proxies["west"].blackhole()
            started = time.monotonic()
            sims["west"].store.create("rollouts", rollout("added-in-the-dark", "shop", steps=2))
            await wait_until(pilot, lambda: "no data for" in header(app), timeout=15, what="staleness shown")
            assert time.monotonic() - started <= 15
            assert "reconnecting" in header(app) and "live" not in header(app)
            text = screen_text(app)
            for line in text.splitlines():
                if "west-app-" in line:
                    assert "stale" in line, line  # every row of the silent cluster says so
            proxies["west"].pass_through()
            back = time.monotonic()
            await wait_until(pilot, lambda: shows_server(app, sims), timeout=10, what="convergence")
            assert time.monotonic() - back <= 2.0
            assert "stale" not in screen_text(app)


async def test_wall_banner_names_the_silent_cluster_the_other_stays_live(tmp_path: Path) -> None:
    with proxied_fleet(tmp_path, ("east", "west"), FAST) as (fleet, sims, proxies):
        app = WallApp(fleet, ["east", "west"], clock=FixedClock(FROZEN_AT))
        async with app.run_test(size=(160, 40)) as pilot:
            await wait_until(pilot, lambda: shows_server(app, sims), what="the first sync")
            proxies["west"].blackhole()
            await wait_until(
                pilot,
                lambda: "no data from west for" in str(app.query_one(WallBanner)._last),
                timeout=15,
                what="the banner to name west",
            )
            assert "no data from west for" in header(app) and "east live" in header(app)
            lines = screen_text(app).splitlines()
            assert all("stale" in line for line in lines if "west-app-" in line)
            assert not any("stale" in line for line in lines if "east-app-" in line)
            proxies["west"].pass_through()
            back = time.monotonic()
            await wait_until(pilot, lambda: shows_server(app, sims), timeout=10, what="convergence")
            assert time.monotonic() - back <= 2.0
            assert "no data" not in str(app.query_one(WallBanner)._last)


FAULTS = {
    "resets": (lambda p, s: p.reset_every(1.0), lambda p, s: p.pass_through()),
    "refused": (lambda p, s: p.refuse(), lambda p, s: p.pass_through()),
    "stall": (lambda p, s: s.faults.stall(), lambda p, s: s.faults.unstall()),
    "errors429": (
        lambda p, s: (s.faults.fail_next(1_000_000, 429), s.faults.drop_watches()),
        lambda p, s: s.faults.reset(),
    ),
    "expire": (lambda p, s: s.faults.expire(), lambda p, s: None),
}


@pytest.mark.parametrize("mode", ["interactive", "wall"])
@pytest.mark.parametrize("fault", list(FAULTS))
async def test_fault_converges_on_screen_within_two_seconds(tmp_path: Path, fault: str, mode: str) -> None:
    begin, end = FAULTS[fault]
    with proxied_fleet(tmp_path, ("west",), FAST) as (fleet, sims, proxies):
        cls = WallApp if mode == "wall" else RolloutApp
        app = cls(fleet, ["west"], clock=FixedClock(FROZEN_AT), read_only=True)
        async with app.run_test(size=(160, 40)) as pilot:
            await wait_until(pilot, lambda: shows_server(app, sims), what="the first sync")
            await pilot.pause(1.5)  # watches running for a while: the bookmark cadence is known
            begin(proxies["west"], sims["west"])
            sims["west"].store.create("rollouts", rollout(f"added-during-{fault}", "shop", steps=2))
            sims["west"].store.delete("rollouts", "shop", "west-app-1")
            admitted = None
            for tenth in range(40):  # the fault lasts 4 s: the header must admit it meanwhile
                await pilot.pause(0.1)
                if admitted is None and "no data for" in header(app):
                    admitted = tenth / 10
            if fault != "expire":  # a 410 is answered by a relist at once: nothing to admit
                assert admitted is not None, f"{fault} in {mode} mode: the header never said no data"
            end(proxies["west"], sims["west"])
            back = time.monotonic()
            await wait_until(pilot, lambda: shows_server(app, sims), timeout=15, what="convergence")
            took = time.monotonic() - back
            assert took <= 2.0, f"{fault} in {mode} mode: the screen matched the server {took:.2f} s after"


async def test_detail_follows_the_cursor_on_a_slow_api_and_never_claims_an_empty_tree(tmp_path: Path) -> None:
    with proxied_fleet(tmp_path, ("west",), FAST) as (fleet, sims, proxies):
        for i in range(4):  # each rollout has a ReplicaSet: an empty tree would be a lie
            owner = sims["west"].store.get("rollouts", "shop", f"west-app-{i}")
            sims["west"].store.create("replicasets", replicaset_of(owner))
        app = RolloutApp(fleet, ["west"], clock=FixedClock(FROZEN_AT), read_only=True)
        async with app.run_test(size=(160, 40)) as pilot:
            await wait_until(pilot, lambda: shows_server(app, sims), what="the first sync")
            proxies["west"].latency(1.5)  # every chunk 1.5 s late, both ways
            for _ in range(3):
                await pilot.press("down")
                await pilot.pause(0.1)
            stopped = time.monotonic()
            target = app.selected_entry
            assert target is not None
            await wait_until(
                pilot,
                lambda: app.feed.key == target.key and target.state.name in screen_text(app),
                timeout=1.0,
                what="the detail to follow the cursor",
            )
            assert time.monotonic() - stopped <= 1.0
            claims: list[str] = []
            loading: list[bool] = []

            def tree_shown() -> bool:
                text = screen_text(app)
                if "No ReplicaSets yet." in text:
                    claims.append(text)
                loading.append(
                    f"loading {target.state.namespace}/{target.state.name}…" in text or "loading…" in text
                )
                return f"{target.state.name}-rs" in text

            await wait_until(pilot, tree_shown, timeout=30, what="the tree over the slow link")
            assert not claims, "the pane claimed an empty tree while its lists were in flight"
            assert loading[0], "while its lists were in flight the pane did not say loading…"
            detail_reflectors = [r for r in fleet.hub("west").reflectors() if r.name.endswith("/detail")]
            assert detail_reflectors and all(
                r.scope.namespace == target.state.namespace for r in detail_reflectors
            )
            assert app.feed.watch is not None and set(app.feed.watch.all_reflectors()) == set(
                detail_reflectors
            )


def replicaset_of(owner: dict) -> dict:
    name = owner["metadata"]["name"]
    labels = {"app": name, "rollouts-pod-template-hash": "abc"}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{name}-rs",
            "namespace": owner["metadata"]["namespace"],
            "labels": labels,
            "annotations": {"rollout.argoproj.io/revision": "1"},
            "ownerReferences": [
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "controller": True,
                 "name": name, "uid": owner["metadata"]["uid"]}
            ],
        },
        "spec": {"replicas": 1, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "app", "image": "i:1"}]}}},
    }  # fmt: skip
