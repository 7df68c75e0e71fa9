"""Fault injection, over HTTP and from Python: what clients must survive."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from rollout_tui.sim import Simulator

from .conftest import Http, wait_until

ROLLOUTS = "/apis/argoproj.io/v1alpha1/namespaces/{ns}/rollouts"


@pytest.fixture
def faults_reset(sim: Simulator) -> Iterator[None]:
    yield
    sim.faults.reset()


def seed(sim: Simulator, ns: str, name: str = "r") -> str:
    sim.store.create(
        "rollouts", {"kind": "Rollout", "metadata": {"name": name, "namespace": ns}, "spec": {"replicas": 1}}
    )
    return sim.store.resource_version


def bump(sim: Simulator, ns: str, name: str = "r", replicas: int = 2) -> None:
    sim.store.patch("rollouts", ns, name, {"spec": {"replicas": replicas}}, "application/merge-patch+json")


def test_fault_endpoints_need_the_token(sim: Simulator) -> None:
    status, _, body = Http(sim, token="").request("POST", "/sim/faults/errors?count=1")
    assert status == 401 and body["reason"] == "Unauthorized"


@pytest.mark.usefixtures("faults_reset")
@pytest.mark.parametrize(
    ("code", "reason"), [(429, "TooManyRequests"), (500, "InternalError"), (503, "ServiceUnavailable")]
)
def test_next_requests_fail_with_status_objects(http_client: Http, code: int, reason: str) -> None:
    status, _, state = http_client.request("POST", f"/sim/faults/errors?count=2&code={code}&retryAfter=3")
    assert status == 200 and state["errors"] == {"code": code, "remaining": 2}
    for _ in range(2):
        status, headers, body = http_client.request("GET", "/apis/argoproj.io/v1alpha1/rollouts")
        assert (status, body["kind"], body["reason"], body["code"]) == (code, "Status", reason, code)
        assert headers.get("Retry-After") == ("3" if code == 429 else None)
    status, _, body = http_client.request("GET", "/apis/argoproj.io/v1alpha1/rollouts")
    assert status == 200 and body["kind"] == "RolloutList"


@pytest.mark.usefixtures("faults_reset")
def test_latency_delays_requests(http_client: Http) -> None:
    http_client.request("POST", "/sim/faults/latency", {"seconds": 0.3})
    started = time.monotonic()
    assert http_client.request("GET", "/api/v1/namespaces")[0] == 200
    assert time.monotonic() - started >= 0.3
    http_client.request("POST", "/sim/faults/latency?seconds=0")
    assert http_client.request("GET", "/sim/faults")[2]["latencySeconds"] == 0


def test_drop_watches_cuts_streams_without_a_final_chunk(sim: Simulator, http_client: Http) -> None:
    rv = seed(sim, "drop")
    stream = http_client.watch(ROLLOUTS.format(ns="drop") + f"?watch=true&resourceVersion={rv}")
    try:
        wait_until(lambda: any(w.namespace == "drop" for w in sim.store.watches()), what="the watch")
        status, _, _ = http_client.request("POST", "/sim/faults/drop-watches")
        assert status == 200
        with pytest.raises(ProtocolError):
            stream.next()
    finally:
        stream.close()


@pytest.mark.usefixtures("faults_reset")
def test_stall_silences_streams_until_unstalled(sim: Simulator, http_client: Http) -> None:
    rv = seed(sim, "stall")
    stream = http_client.watch(
        ROLLOUTS.format(ns="stall") + f"?watch=true&resourceVersion={rv}&allowWatchBookmarks=true",
        timeout=0.8,
    )
    try:
        wait_until(lambda: any(w.namespace == "stall" for w in sim.store.watches()), what="the watch")
        sim.faults.stall()
        bump(sim, "stall")
        with pytest.raises(ReadTimeoutError):  # no event, no bookmark: silence
            stream.next()
    finally:
        stream.close()
    stream = http_client.watch(ROLLOUTS.format(ns="stall") + f"?watch=true&resourceVersion={rv}", timeout=5)
    try:
        http_client.request("POST", "/sim/faults/unstall")
        event = stream.next()
        assert event is not None and event["type"] == "MODIFIED" and event["object"]["spec"]["replicas"] == 2
    finally:
        stream.close()


def test_expire_sends_410_to_open_watches_and_refuses_old_versions(sim: Simulator, http_client: Http) -> None:
    rv = seed(sim, "expire")
    stream = http_client.watch(ROLLOUTS.format(ns="expire") + f"?watch=true&resourceVersion={rv}")
    try:
        wait_until(lambda: any(w.namespace == "expire" for w in sim.store.watches()), what="the watch")
        assert http_client.request("POST", "/sim/faults/expire")[0] == 200
        event = stream.next()
        assert event is not None and event["type"] == "ERROR"
        assert (event["object"]["code"], event["object"]["reason"]) == (410, "Expired")
        assert stream.next() is None  # then a clean end
    finally:
        stream.close()
    again = http_client.watch(ROLLOUTS.format(ns="expire") + f"?watch=true&resourceVersion={rv}")
    try:
        event = again.next()
        assert event is not None and event["object"]["code"] == 410
        assert event["object"]["message"].startswith(f"too old resource version: {rv} (")
    finally:
        again.close()


def test_watch_bookmarks_and_timeout(sim: Simulator, http_client: Http) -> None:
    rv = seed(sim, "bookmarks")
    stream = http_client.watch(
        ROLLOUTS.format(ns="bookmarks") + f"?watch=true&resourceVersion={rv}"
        "&allowWatchBookmarks=true&timeoutSeconds=1"
    )
    try:
        events = []
        while (event := stream.next()) is not None:
            events.append(event)
        assert events and all(e["type"] == "BOOKMARK" for e in events)
        assert set(events[0]["object"]) == {"kind", "apiVersion", "metadata"}
        assert set(events[0]["object"]["metadata"]) == {"resourceVersion"}
    finally:
        stream.close()


def test_restart_keeps_state_and_port(tmp_path: object) -> None:
    with Simulator(controller=False) as sim:
        client = Http(sim)
        seed(sim, "restart")
        rv = sim.store.resource_version
        stream = client.watch(ROLLOUTS.format(ns="restart") + f"?watch=true&resourceVersion={rv}")
        status, _, body = client.request("POST", "/sim/faults/restart?downSeconds=0.5")
        assert status == 202 and body["restarting"] is True
        with pytest.raises(ProtocolError):
            stream.next()
        stream.close()

        def down() -> bool:
            try:
                client.request("GET", "/version", timeout=1)
            except OSError:
                return True
            return False

        wait_until(down, timeout=5, what="the server to go down")

        def up() -> bool:
            try:
                return (
                    client.request(
                        "GET", "/apis/argoproj.io/v1alpha1/namespaces/restart/rollouts/r", timeout=1
                    )[0]
                    == 200
                )
            except OSError:
                return False

        wait_until(up, timeout=10, what="the server to come back")
        assert sim.store.resource_version == rv
