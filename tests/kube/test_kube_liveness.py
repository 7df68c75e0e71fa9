"""Every fault on the wire or in the server: shown as it happens, converged within 2 s after.

The reflectors reach the simulator through the TCP fault proxy (``sim.netfaults``): blackhole,
resets, refused connects and latency happen on the wire, the rest in the simulator. While each
fault lasts, rollouts are added, changed and deleted behind the client's back; recovery is timed
from the moment the API answers again to the moment the cache equals the server's store and the
connection says live. The backoff is the real one (0.5 s doubling to 30 s): recovery must not
wait for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from rollout_tui.kube.config import load_contexts, prepare
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.reachability import prober_for
from rollout_tui.kube.reflector import ReflectorParams
from rollout_tui.kube.state import Phase
from rollout_tui.sim.netfaults import FaultProxy, through

from .conftest import rollout, wait_for
from .test_kube_config import exec_plugin
from .test_kube_reflector import churn, converged, overview_reflector, seed

RECOVERY_SECONDS = 2.0
# real backoff and watch timeouts; the silence probe after 1 s (default 5 s) keeps the tests short
PARAMS = ReflectorParams(page_size=50, watch_timeout=30, connect_timeout=1.0, silence_probe=1.0)


@dataclass
class Wire:
    sim: Any
    proxy: FaultProxy
    kubeconfig: str


@pytest.fixture
def wire(sim: Any, kubeconfig: str, tmp_path: Path) -> Iterator[Wire]:
    proxy = FaultProxy(("127.0.0.1", sim.port)).start()
    try:
        yield Wire(sim, proxy, str(through(kubeconfig, tmp_path / "through-proxy", proxy.address)))
    finally:
        proxy.stop()


def start(kubeconfig: str, params: ReflectorParams = PARAMS) -> Fleet:
    # The Rollouts stream alone: the overview's Warning-event stream would stay silent after a
    # fault in which no warning happens, and these tests follow one stream (tests/ui cover both).
    fleet = Fleet(load_contexts(kubeconfig), params=params, audit=None, warnings=False).start()
    assert fleet.wait_synced(10)
    return fleet


def live_and_converged(sim: Any, fleet: Fleet) -> bool:
    return fleet.states()["sim"].phase is Phase.LIVE and converged(sim, fleet)


def recovery_seconds(sim: Any, fleet: Fleet, back_at: float) -> float:
    wait_for(lambda: live_and_converged(sim, fleet), timeout=30, message="convergence after the fault")
    return time.monotonic() - back_at


@dataclass(frozen=True)
class Fault:
    begin: Callable[[Wire], Any]
    end: Callable[[Wire], Any]
    lasts: float
    shows: tuple[Phase, ...]  # what the connection state must say during the fault ("" = nothing)
    delay_after: float = 0.0  # the wire still delivers late data this long after end()


def _burst(code: int) -> Callable[[Wire], Any]:
    def begin(w: Wire) -> None:
        w.sim.faults.fail_next(1_000_000, code)
        w.sim.faults.drop_watches()

    return begin


TROUBLE = (Phase.RECONNECTING, Phase.UNREACHABLE)
FAULTS = {
    "blackhole": Fault(lambda w: w.proxy.blackhole(), lambda w: w.proxy.pass_through(), 6.0, TROUBLE),
    "resets": Fault(lambda w: w.proxy.reset_every(1.0), lambda w: w.proxy.pass_through(), 8.0, TROUBLE),
    "refused": Fault(lambda w: w.proxy.refuse(), lambda w: w.proxy.pass_through(), 4.0, TROUBLE),
    "latency": Fault(lambda w: w.proxy.latency(2.0), lambda w: w.proxy.pass_through(), 5.0, (), 2.0),
    "stall": Fault(lambda w: w.sim.faults.stall(), lambda w: w.sim.faults.unstall(), 4.0, TROUBLE),
    "drop": Fault(lambda w: w.sim.faults.drop_watches(), lambda w: None, 0.0, ()),
    "expire": Fault(lambda w: w.sim.faults.expire(), lambda w: None, 0.0, ()),
    "errors429": Fault(_burst(429), lambda w: w.sim.faults.reset(), 8.0, (Phase.RECONNECTING,)),
    "errors503": Fault(_burst(503), lambda w: w.sim.faults.reset(), 8.0, (Phase.RECONNECTING,)),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_shown_and_converges_within_two_seconds_of_the_api_answering(wire: Wire, name: str) -> None:
    fault = FAULTS[name]
    seed(wire.sim, 20)
    fleet = start(wire.kubeconfig)
    seen: set[Phase] = set()
    try:
        reflector = overview_reflector(fleet)
        # running for a while: the server's bookmark cadence (0.3 s) is known
        wait_for(lambda: reflector.liveness.expected_interval() < 1.0, message="the bookmark interval")
        fault.begin(wire)
        churn(wire.sim, name)  # the cluster moves on while the client cannot see it
        end = time.monotonic() + fault.lasts
        while time.monotonic() < end:
            seen.add(fleet.states()["sim"].phase)
            time.sleep(0.05)
        fault.end(wire)
        back_at = time.monotonic() + fault.delay_after
        took = recovery_seconds(wire.sim, fleet, back_at)
        assert took <= RECOVERY_SECONDS, f"{name}: converged {took:.2f} s after the API answered again"
        if fault.shows:
            assert seen & set(fault.shows), f"{name}: the connection never admitted trouble: {seen}"
    finally:
        fleet.stop()


def test_a_partition_is_shown_as_stale_within_fifteen_seconds_with_the_default_timeouts(wire: Wire) -> None:
    # Accepted connections, nothing forwarded: TCP says nothing, the old client saw "live" until
    # its 90 s read timeout. Default liveness settings: a probe after 5 s of silence.
    seed(wire.sim, 5)
    fleet = start(wire.kubeconfig, ReflectorParams(page_size=50))
    try:
        wait_for(lambda: wire.sim.store.watches(), message="an open watch")
        wire.proxy.blackhole()
        began = time.monotonic()
        wait_for(lambda: fleet.states()["sim"].stale, timeout=15, message="the partition to be shown")
        state = fleet.states()["sim"]
        assert state.detail.startswith("no data"), state.detail
        assert state.silent_for(time.monotonic()) >= time.monotonic() - began  # counted from the last data
        wire.proxy.pass_through()
        back_at = time.monotonic()
        assert recovery_seconds(wire.sim, fleet, back_at) <= RECOVERY_SECONDS
    finally:
        fleet.stop()


def test_a_quiet_stream_with_bookmarks_is_never_taken_for_a_dead_one(wire: Wire) -> None:
    seed(wire.sim, 5)
    fleet = start(wire.kubeconfig)
    try:
        reflector = overview_reflector(fleet)
        time.sleep(3.0)  # nothing changes; the simulator bookmarks every 0.3 s
        assert reflector.liveness.silences == 0
        assert fleet.states()["sim"].phase is Phase.LIVE
        assert 0.2 <= reflector.liveness.expected_interval() <= 0.6  # learned from the stream
    finally:
        fleet.stop()


def test_a_stream_silent_past_its_bookmark_interval_is_reopened_though_the_server_answers(
    wire: Wire,
) -> None:
    # No bookmarks at all (an old server) and nothing changes: the probe answers, so the stream
    # is given up only after 1.5 times the expected interval (3 s here, ~60 s on real servers).
    wire.sim.bookmark_interval = 1000.0
    seed(wire.sim, 5)
    fleet = start(wire.kubeconfig, replace(PARAMS, bookmark_interval=3.0))
    try:
        reflector = overview_reflector(fleet)
        prober = prober_for(fleet.contexts["sim"].api_client)
        sent = prober.sent
        time.sleep(3.5)
        assert prober.sent > sent  # probed while quiet ...
        assert reflector.liveness.silences == 0  # ... and the server answered: not stale yet
        wait_for(lambda: reflector.liveness.silences >= 1, timeout=5, message="the silent stream given up")
        watches = reflector.watches
        wait_for(lambda: reflector.watches > watches, message="a new watch")
        wire.sim.store.create("rollouts", rollout("after-the-silence"))
        wait_for(lambda: live_and_converged(wire.sim, fleet), message="live again once data flows")
    finally:
        fleet.stop()


def test_reflectors_of_one_context_share_one_probe_while_the_api_is_down(wire: Wire) -> None:
    seed(wire.sim, 5)
    fleet = start(wire.kubeconfig)
    try:
        hub = fleet.hub("sim")
        detail = fleet.open_detail("sim", "default", "r-001")  # six more reflectors
        assert detail.wait_synced(10)
        prober = prober_for(fleet.contexts["sim"].api_client)
        wire.proxy.refuse()
        time.sleep(0.5)
        sent = prober.sent
        time.sleep(4.0)
        per_second = (prober.sent - sent) / 4.0
        assert len(hub.reflectors()) >= 7
        # shared: ~2 probes/s (every 0.5 s) whatever the number of reflectors; unshared, seven
        # would send >= 14/s. The margin is for a loaded machine's bunched timers.
        assert per_second <= 4.0, f"{per_second} probes/s for {len(hub.reflectors())} reflectors"
        wire.proxy.pass_through()
        back_at = time.monotonic()
        assert recovery_seconds(wire.sim, fleet, back_at) <= RECOVERY_SECONDS
    finally:
        fleet.stop()


def _token_file_kubeconfig(sim: Any, tmp_path: Path, user: dict) -> str:
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "sim", "cluster": {"server": sim.url}}],
        "users": [{"name": "sa", "user": user}],
        "contexts": [{"name": "sim", "context": {"cluster": "sim", "user": "sa"}}],
        "current-context": "sim",
    }
    path = tmp_path / "kc-credentials"
    path.write_text(yaml.safe_dump(doc))
    return str(path)


def test_rotated_service_account_token_file_is_read_again_after_401(sim: Any, tmp_path: Path) -> None:
    seed(sim, 5)
    token_file = tmp_path / "token"
    token_file.write_text("bound-token-1\n")
    sim.add_user("sa", "bound-token-1")
    fleet = start(_token_file_kubeconfig(sim, tmp_path, {"tokenFile": str(token_file)}))
    try:
        token_file.write_text("bound-token-2\n")  # the kubelet rotated the projected token
        sim.add_user("sa", "bound-token-2")
        assert sim.users.revoke("bound-token-1")
        sim.faults.drop_watches()
        churn(sim, "rotated")
        back_at = time.monotonic()
        assert recovery_seconds(sim, fleet, back_at) <= RECOVERY_SECONDS
        assert fleet.contexts["sim"].api_client.configuration.api_key["BearerToken"] == "Bearer bound-token-2"
    finally:
        fleet.stop()


def test_expired_exec_credentials_rerun_the_plugin_and_converge_within_two_seconds(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sim, 5)
    state, user = exec_plugin(sim, tmp_path, monkeypatch, "exec-token-1")
    [context] = prepare(_token_file_kubeconfig(sim, tmp_path, user))
    fleet = Fleet([context], params=PARAMS, audit=None).start()
    try:
        assert fleet.wait_synced(10)
        state.write_text("exec-token-2")
        sim.add_user("exec-user", "exec-token-2")
        assert sim.users.revoke("exec-token-1")
        sim.faults.drop_watches()
        churn(sim, "exec")
        back_at = time.monotonic()
        assert recovery_seconds(sim, fleet, back_at) <= RECOVERY_SECONDS
    finally:
        fleet.stop()


@pytest.mark.parametrize("bookmarks", [True, False])
def test_quiet_streams_are_live_within_two_seconds_after_a_partition_heals(
    wire: Wire, bookmarks: bool
) -> None:
    # The detail's streams carry nothing while nothing changes. With bookmarks the partition
    # outlasts them (the streams are cut and reopened meanwhile); without, they are only marked
    # stale, and reopened as soon as the probe finds the API again: a quiet stream must not stay
    # stale until its next bookmark (a minute on real servers).
    if not bookmarks:
        wire.sim.bookmark_interval = 1000.0
    seed(wire.sim, 5)
    fleet = start(wire.kubeconfig)
    try:
        detail = fleet.open_detail("sim", "default", "r-001")
        assert detail.wait_synced(10)
        reflectors = fleet.hub("sim").reflectors()
        wire.proxy.blackhole()
        wait_for(lambda: all(r.state.stale for r in reflectors), timeout=15, message="every stream stale")
        time.sleep(2.0)
        wire.proxy.pass_through()
        back_at = time.monotonic()
        wait_for(lambda: all(r.state.ok for r in reflectors), timeout=30, message="every stream live")
        took = time.monotonic() - back_at
        assert took <= RECOVERY_SECONDS, f"quiet streams live {took:.2f} s after the partition healed"
    finally:
        fleet.stop()
