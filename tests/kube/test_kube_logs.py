"""kube.logs over real HTTPS against the simulator's kubelet logs: tails, follow, the previous
(crashed) run, resuming a silent follow without repeating a line, waiting containers, closing.

The simulator runs on a manual clock; its controller is ticked here, which also paces followers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rollout_tui.kube.config import load_contexts
from rollout_tui.kube.logs import LogLine, LogMux, LogRequest, LogStream, parse_line
from rollout_tui.sim import Simulator
from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller

from .conftest import wait_for

NS = "logs"


def rollout(name: str, image: str, replicas: int = 1) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": image}]},
            },
            "strategy": {"canary": {}},
        },
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Simulator, Controller, Any]]:
    with Simulator(port=0, controller=False, clock=SimClock.manual()) as sim:
        ctl = Controller(sim.store, sim.clock, strict=True)
        sim.store.create("rollouts", rollout("web", "demo:blue", replicas=2))
        sim.store.create("rollouts", rollout("crash", "demo:v2-crash"))
        ctl.tick(30)
        context = load_contexts(str(sim.write_kubeconfig(tmp_path_factory.mktemp("k") / "config")))[0]
        yield sim, ctl, context.api_client


def pods(sim: Simulator, app: str) -> list[str]:
    return sorted(
        p["metadata"]["name"]
        for p in sim.store.list("pods", NS)[0]
        if p["metadata"]["labels"].get("app") == app
    )


def collect(stream: LogStream | LogMux, until: Any, timeout: float = 10) -> list[LogLine]:
    seen: list[LogLine] = []

    def done() -> bool:
        seen.extend(stream.drain())
        return bool(until(seen))

    wait_for(done, timeout, message="log lines")
    return seen


def test_a_tail_of_a_running_pod_then_follow_as_the_clock_moves(world: Any) -> None:
    sim, ctl, api = world
    pod = pods(sim, "web")[0]
    stream = LogStream(api, LogRequest(NS, pod, tail=5)).start()
    try:
        first = collect(stream, lambda seen: len(seen) >= 5)
        assert len(first) == 5 and all(line.time and line.pod == pod for line in first)
        ctl.tick(5)
        more = collect(stream, lambda seen: seen)
        assert more[0].sort_key > first[-1].sort_key  # new lines, nothing repeated
        assert stream.state == "streaming"
    finally:
        stream.close()
    wait_for(lambda: not stream.alive, 5, message="the reader thread to end")


def test_the_previous_run_of_a_crash_loop_ends_in_its_panic(world: Any) -> None:
    sim, ctl, api = world
    ctl.tick(20)
    pod = pods(sim, "crash")[0]
    stream = LogStream(api, LogRequest(NS, pod, previous=True, tail=None)).start()
    lines = collect(stream, lambda seen: stream.state == "ended")
    assert any(line.text.startswith("panic: ") for line in lines), [line.text for line in lines]
    assert not stream.alive


def test_a_silent_follow_is_resumed_after_the_read_timeout_without_repeats(world: Any) -> None:
    sim, ctl, api = world
    pod = pods(sim, "web")[1]
    stream = LogStream(api, LogRequest(NS, pod, tail=3), timeouts=(5.0, 0.6), retry=0.1).start()
    try:
        first = collect(stream, lambda seen: len(seen) >= 3)
        wait_for(lambda: stream.requests >= 2, 10, message="a resumed request")  # no clock: silence
        ctl.tick(5)
        lines = first + collect(stream, lambda seen: seen)
        keys = [(line.time, line.text) for line in lines]
        assert len(keys) == len(set(keys)), "a line was read twice"
        assert [line.sort_key for line in lines] == sorted(line.sort_key for line in lines)
    finally:
        stream.close()


def test_a_waiting_container_is_asked_again_while_following(world: Any) -> None:
    sim, ctl, api = world
    sim.store.create("rollouts", rollout("pull", "demo:missing"))
    ctl.tick(10)
    stream = LogStream(api, LogRequest(NS, pods(sim, "pull")[0]), retry=0.1).start()
    try:
        wait_for(lambda: stream.requests >= 2, 10, message="a second attempt")
        assert stream.state.startswith("waiting: ") and "waiting to start" in stream.state
    finally:
        stream.close()


def test_a_mux_tags_each_line_with_its_pod_in_time_order(world: Any) -> None:
    sim, _ctl, api = world
    names = pods(sim, "web")
    mux = LogMux(LogStream(api, LogRequest(NS, name, tail=4, follow=False)) for name in names).start()
    lines = collect(mux, lambda seen: len(seen) >= 8)
    assert {line.pod for line in lines} == set(names)
    assert [line.sort_key for line in lines] == sorted(line.sort_key for line in lines)
    mux.close()


def test_lines_are_inert_and_bounded() -> None:
    line = parse_line(
        b"2026-01-01T00:00:00.5Z \x1b]0;pwned\x07 \x1b[2J [bold]x[/] " + b"L" * 10_000, "p", "c"
    )
    assert line.time == "2026-01-01T00:00:00.5Z" and "\x1b" not in line.text and "\x07" not in line.text
    assert "[bold]x[/]" in line.text and len(line.text) <= 4000
    assert line.sort_key == "2026-01-01T00:00:00.500000000Z"
    assert parse_line(b"no stamp\ttab", "p", "c") == LogLine("p", "c", "", "no stamp    tab")


def test_logs_are_read_through_a_read_only_session(world: Any, tmp_path: Path) -> None:
    sim, _ctl, _api = world
    context = load_contexts(str(sim.write_kubeconfig(tmp_path / "ro")), read_only=True)[0]
    stream = LogStream(context.api_client, LogRequest(NS, pods(sim, "web")[0], tail=2, follow=False)).start()
    assert len(collect(stream, lambda seen: stream.state == "ended")) == 2
    time.sleep(0)
