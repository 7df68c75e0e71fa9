"""Three simulated clusters in one KUBECONFIG for the rings and waves tests, on one manual clock.

Each simulator serves real HTTPS; its controller is driven from the test (`advance`), so bake time
passes in milliseconds and every instant is the simulators' own. `settle()` waits until the real
kube Fleet's caches hold what the simulators' stores hold, so a wave's pass sees the present.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CLUSTERS = ("east", "west", "north")
NAMESPACE, APP = "web", "frontend"
BLUE, GREEN, CRASH = (f"argoproj/rollouts-demo:{tag}" for tag in ("blue", "green", "red-crash"))
START = datetime(2026, 5, 4, 9, 0, 0, tzinfo=UTC)


def app_rollout(name: str = APP, image: str = BLUE, pause: str = "10s", labels: dict | None = None) -> dict:
    """A small canary: 50% for a timed pause, then done."""
    selector = {"app": name}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": {**selector, **(labels or {})}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": selector},
            "strategy": {"canary": {"steps": [{"setWeight": 50}, {"pause": {"duration": pause}}]}},
            "template": {
                "metadata": {"labels": selector},
                "spec": {"containers": [{"name": "web", "image": image}]},
            },
        },
    }


@dataclass
class Clusters:
    clock: Any
    sims: dict[str, Any]
    controllers: dict[str, Any]
    kubeconfig: Path
    fleets: list[Any] = field(default_factory=list)

    def advance(self, seconds: float = 1.0) -> None:
        """Simulated time moves for every cluster at once; each controller catches up."""
        self.clock.advance(seconds)
        for controller in self.controllers.values():
            controller.tick(0)

    def run_until(self, predicate: Any, seconds: float, step: float = 1.0) -> bool:
        waited = 0.0
        while not predicate():
            if waited >= seconds:
                return False
            self.advance(step)
            waited += step
        return True

    def stored(self, cluster: str, name: str = APP) -> dict:
        return self.sims[cluster].store.get("rollouts", NAMESPACE, name)

    def fleet(
        self, read_only: bool = False, read_only_contexts: tuple[str, ...] = (), audit: Any = None
    ) -> Any:
        from rollout_tui.kube.config import prepare
        from rollout_tui.kube.fleet import Fleet

        contexts = prepare(str(self.kubeconfig), list(CLUSTERS), False, read_only)
        for context in contexts:
            context.read_only = context.read_only or context.name in read_only_contexts
        fleet = Fleet(contexts, read_only=read_only, audit=audit).start()
        assert fleet.wait_synced(10), "fleet did not sync"
        self.fleets.append(fleet)
        return fleet

    def settle(self, fleet: Any, timeout: float = 10.0) -> None:
        """Until the fleet's cache holds every cluster's current rollouts (resourceVersions)."""
        deadline = time.monotonic() + timeout
        while True:
            behind = [
                (name, ns, ro)
                for name, sim in self.sims.items()
                for ro_obj in sim.store.list("rollouts")[0]
                for ns, ro in [(ro_obj["metadata"]["namespace"], ro_obj["metadata"]["name"])]
                if getattr(fleet.rollout_state(name, ns, ro), "resource_version", None)
                != ro_obj["metadata"]["resourceVersion"]
            ]
            if not behind:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"fleet cache behind the simulators: {behind[:3]}")
            time.sleep(0.005)


def healthy(rollout: dict) -> bool:
    from rollout_tui.model.status import rollout_status

    return rollout_status(rollout)[0] == "Healthy"


@contextlib.contextmanager
def three_clusters(tmp_path: Path, apps: tuple[dict, ...] | None = None) -> Iterator[Clusters]:
    """east, west and north, each running `apps` (default: one frontend at blue), all Healthy."""
    from rollout_tui.sim import Simulator
    from rollout_tui.sim.clock import SimClock
    from rollout_tui.sim.controller import Controller
    from rollout_tui.ui.demo import merge_kubeconfigs

    clock = SimClock.manual(START)
    sims: dict[str, Any] = {}
    controllers: dict[str, Any] = {}
    clusters: Clusters | None = None
    try:
        paths = []
        for name in CLUSTERS:
            sim = sims[name] = Simulator(port=0, controller=False, clock=clock).start()
            sim.store.create(
                "namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}
            )
            for obj in apps or (app_rollout(),):
                sim.store.create("rollouts", obj)
            controllers[name] = Controller(sim.store, clock, strict=True)
            paths.append(sim.write_kubeconfig(tmp_path / f"{name}.yaml", context=name))
        kubeconfig = merge_kubeconfigs(paths, tmp_path / "kubeconfig", CLUSTERS[0])
        clusters = Clusters(clock, sims, controllers, kubeconfig)
        assert clusters.run_until(
            lambda: all(healthy(r) for s in sims.values() for r in s.store.list("rollouts")[0]), 120
        ), "the apps did not become healthy"
        yield clusters
    finally:
        for fleet in clusters.fleets if clusters else []:
            fleet.stop()
        for sim in sims.values():
            sim.stop()


class Ticker:
    """Moves simulated time on a thread while a command runs on its own (one second every `pace`
    real seconds), the way the clusters' clocks would move under a headless wave."""

    def __init__(self, clusters: Clusters, pace: float = 0.003) -> None:
        import threading

        self.clusters, self.pace = clusters, pace
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.pace):
            self.clusters.advance(1)

    def __enter__(self) -> Ticker:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


@contextlib.contextmanager
def request_log() -> Iterator[Any]:
    """The simulators' access log while the block runs (uihelpers.RequestLog: method and path of
    every request), to prove "no writes"."""
    import logging

    from tests.ui.uihelpers import RequestLog

    handler, logger = RequestLog(), logging.getLogger("rollout_tui.sim.server")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def changes(log: Any) -> list[tuple[str, str]]:
    """The writes in a request log; a SelfSubjectAccessReview only asks a question."""
    return [w for w in log.writes() if "selfsubjectaccessreviews" not in w[1]]


def set_image(c: Clusters, cluster: str, name: str, image: str) -> None:
    """What a CD pipeline would do by hand in one cluster (through the store, not the API)."""
    c.sims[cluster].store.mutate(
        "rollouts",
        NAMESPACE,
        name,
        lambda o: o["spec"]["template"]["spec"]["containers"][0].__setitem__("image", image),
    )


STAGED_APPS = ("api", "catalog", "frontend", "search")


def staged(c: Clusters) -> None:
    """Four apps at four moments of a rollout across rings, on the simulators' clock:
    api crash-looped in east until its progress deadline degraded it; frontend is Healthy at green
    in east, baking; search is at v2 in east and west, north still at blue; catalog is done."""
    set_image(c, "east", "api", CRASH)
    assert c.run_until(lambda: c.stored("east", "api")["status"].get("phase") == "Degraded", 700, step=5)
    for cluster in ("east", "west"):
        set_image(c, cluster, "search", GREEN)
    for cluster in CLUSTERS:
        set_image(c, cluster, "catalog", GREEN)
    assert c.run_until(lambda: all(healthy(c.stored(k, "catalog")) for k in CLUSTERS), 120)
    c.advance(900)  # search and catalog have baked long since
    set_image(c, "east", "frontend", GREEN)
    assert c.run_until(lambda: healthy(c.stored("east", "frontend")), 120)
    c.advance(48)  # frontend: 48 s into its bake
