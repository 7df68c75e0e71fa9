"""The first list of a reflector reaches its sink page by page, with how far it got, and waits for a
consumer that takes nothing yet."""

from __future__ import annotations

import gc
import time
from typing import Any

from rollout_tui.kube.config import load_contexts
from rollout_tui.kube.reflector import Reflector, Scope
from rollout_tui.kube.resources import ROLLOUT, ResourceClient
from rollout_tui.kube.state import ConnectionState, Phase

from .conftest import FAST, rollout, wait_for


class _Recorder:
    """A ReflectorSink that writes down every call, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def page(self, reflector: Reflector, items: list[dict]) -> None:
        self.calls.append(("page", len(items)))

    def listed(self, reflector: Reflector, seen: set[tuple[str, str]]) -> None:
        self.calls.append(("listed", len(seen)))

    def upsert(self, reflector: Reflector, obj: dict) -> None:
        self.calls.append(("upsert", obj["metadata"]["name"]))

    def delete(self, reflector: Reflector, obj: dict) -> None:
        self.calls.append(("delete", obj["metadata"]["name"]))

    def state(self, reflector: Reflector, state: ConnectionState) -> None:
        self.calls.append(("state", (state.phase, state.loaded, state.expected)))


def test_first_list_reaches_the_store_page_by_page_with_its_progress(sim: Any, kubeconfig: str) -> None:
    for i in range(120):
        sim.store.create("rollouts", rollout(f"r-{i:03d}"))
    context = load_contexts(kubeconfig)[0]
    sink = _Recorder()
    reflector = Reflector("t", ResourceClient(context.api_client, ROLLOUT), Scope(), sink, FAST).start()
    try:
        wait_for(lambda: ("state", (Phase.LIVE, 0, None)) in sink.calls, message="live")
    finally:
        reflector.stop()
    assert sink.calls[: sink.calls.index(("state", (Phase.LIVE, 0, None)))] == [
        ("page", 50),
        ("state", (Phase.SYNCING, 50, 120)),  # "loading 50 / ~120": remainingItemCount after page 1
        ("page", 50),
        ("state", (Phase.SYNCING, 100, 120)),
        ("page", 20),
        ("listed", 120),
    ]


def test_a_list_waits_for_its_consumer_between_pages(sim: Any, kubeconfig: str) -> None:
    """With a lookahead, a list does not run ahead of a consumer that is not taking batches yet
    (the UI still importing Textual): it waits between pages, and goes on once batches are taken."""
    from rollout_tui.kube.fleet import Fleet

    for i in range(120):
        sim.store.create("rollouts", rollout(f"r-{i:03d}"))
    with Fleet(load_contexts(kubeconfig), params=FAST, audit=None, list_lookahead=1) as fleet:
        wait_for(lambda: not fleet.batches.empty(), message="the first page")
        time.sleep(0.3)  # nobody consumes: the list waits after its first page
        assert len(fleet.rollouts()["sim"]) == 50 and not fleet.wait_synced(0)
        while not fleet.wait_synced(0):  # a consumer takes the batches: the rest comes
            while not fleet.batches.empty():
                fleet.batches.get_nowait()
            time.sleep(0.01)
        assert len(fleet.rollouts()["sim"]) == 120


def _decoded_rollouts() -> list[str]:
    gc.collect()
    return [o["metadata"]["name"] for o in gc.get_objects() if type(o) is dict and o.get("kind") == "Rollout"]


def test_a_list_waiting_between_pages_holds_none_of_its_decoded_objects(sim: Any, kubeconfig: str) -> None:
    """A list that waits for its consumer (the UI still starting) must not hold its last page
    meanwhile: 20 contexts each holding a decoded page of 500 Rollouts was ~100 MB."""
    for i in range(120):
        sim.store.create("rollouts", rollout(f"held-{i:03d}"))
    context = load_contexts(kubeconfig)[0]
    held: list[list[str]] = []

    def pace() -> None:  # what the coalescer's pace would wait with
        held.append([name for name in _decoded_rollouts() if name.startswith("held-")])

    client = ResourceClient(context.api_client, ROLLOUT)
    reflector = Reflector("t", client, Scope(), _Recorder(), FAST, pace=pace).start()
    try:
        wait_for(lambda: reflector.synced.is_set(), message="listed")
    finally:
        reflector.stop()
    assert held == [[], []]  # paced between pages 1-2 and 2-3, with no decoded Rollout alive
