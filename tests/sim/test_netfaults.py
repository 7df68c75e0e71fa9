"""The TCP fault proxy between the real kubernetes client and the simulator over HTTPS."""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import urllib3
from kubernetes import client, config, watch

from rollout_tui.sim import Simulator
from rollout_tui.sim.netfaults import FaultProxy, through

GROUP, VERSION = "argoproj.io", "v1alpha1"


def rollout(name: str) -> dict[str, Any]:
    return {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"replicas": 1, "strategy": {"canary": {}}},
    }


@pytest.fixture()
def proxy(sim: Simulator) -> Iterator[FaultProxy]:
    port = int(sim.url.rsplit(":", 1)[1])
    with FaultProxy(("127.0.0.1", port)) as running:
        yield running


@pytest.fixture()
def custom(kubeconfig: Path, proxy: FaultProxy, tmp_path: Path) -> Iterator[client.CustomObjectsApi]:
    """A kubernetes client whose every connection goes through the proxy."""
    api = config.new_client_from_config(str(through(kubeconfig, tmp_path / "config", proxy.address)))
    yield client.CustomObjectsApi(api)
    api.close()


def list_rollouts(custom: client.CustomObjectsApi, timeout: float = 2.0) -> list[Any]:
    return custom.list_namespaced_custom_object(
        GROUP, VERSION, "default", "rollouts", _request_timeout=(timeout, timeout)
    )["items"]


def follow(custom: client.CustomObjectsApi) -> queue.Queue[Any]:
    """Watch rollouts in a thread; events (or the exception that ended the stream) land in the queue."""
    events: queue.Queue[Any] = queue.Queue()
    rv = custom.list_namespaced_custom_object(GROUP, VERSION, "default", "rollouts")["metadata"][
        "resourceVersion"
    ]

    def run() -> None:
        try:
            for event in watch.Watch().stream(
                custom.list_namespaced_custom_object,
                GROUP,
                VERSION,
                "default",
                "rollouts",
                resource_version=rv,
                _request_timeout=(5, 30),
            ):
                events.put(event["object"]["metadata"]["name"])
        except Exception as exc:  # the stream's end is what some tests wait for
            events.put(exc)

    threading.Thread(target=run, daemon=True).start()
    time.sleep(0.3)  # the watch request is on the wire
    return events


def test_pass_through_serves_the_api_over_tls(
    sim: Simulator, custom: client.CustomObjectsApi, proxy: FaultProxy
) -> None:
    sim.store.create("rollouts", rollout("through-proxy"))
    names = [o["metadata"]["name"] for o in list_rollouts(custom)]
    assert "through-proxy" in names
    stats = proxy.stats()
    assert stats["accepted"] >= 1 and stats["bytes_down"] > 0


def test_blackhole_forwards_nothing_then_delivers_what_was_held(
    sim: Simulator, custom: client.CustomObjectsApi, proxy: FaultProxy
) -> None:
    events = follow(custom)
    proxy.blackhole()
    before = proxy.stats()["bytes_down"]
    sim.store.create("rollouts", rollout("during-blackhole"))
    with pytest.raises(queue.Empty):
        events.get(timeout=1.0)
    with pytest.raises(urllib3.exceptions.HTTPError):
        list_rollouts(custom, timeout=1.0)  # a new connection is accepted, its request unanswered
    assert proxy.stats()["bytes_down"] == before
    proxy.pass_through()
    assert events.get(timeout=5) == "during-blackhole"  # the open stream was only delayed


def test_reset_every_cuts_open_streams_and_lets_new_requests_through(
    custom: client.CustomObjectsApi, proxy: FaultProxy
) -> None:
    events = follow(custom)
    proxy.reset_every(0.5)
    ended = events.get(timeout=5)
    assert isinstance(ended, Exception)
    assert proxy.stats()["resets"] >= 1
    list_rollouts(custom)  # between resets a request still succeeds
    proxy.pass_through()


def test_refuse_refuses_connects_on_the_same_port_until_passed_again(
    custom: client.CustomObjectsApi, proxy: FaultProxy
) -> None:
    events = follow(custom)
    proxy.refuse()
    assert isinstance(events.get(timeout=5), Exception)  # open connections are reset
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=2).close()
    proxy.pass_through()
    assert isinstance(list_rollouts(custom), list)


def test_latency_delays_every_chunk(custom: client.CustomObjectsApi, proxy: FaultProxy) -> None:
    list_rollouts(custom)  # the pooled connection is open: only the request itself is timed
    start = time.monotonic()
    list_rollouts(custom)
    quick = time.monotonic() - start
    proxy.latency(0.4)
    start = time.monotonic()
    list_rollouts(custom, timeout=10)
    slow = time.monotonic() - start
    proxy.pass_through()
    assert slow >= 0.8 > quick  # 0.4 s up for the request, 0.4 s down for the answer
