"""The real CLI on a pty, as an operator's terminal runs it: quitting with requests in flight on
a slow API, the SSH session dropping (SIGHUP), a service manager's SIGTERM, and a stopped
process (SIGSTOP) running again. Exits are timed from outside, to the process's end."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from ptyrun import PtyApp
from uihelpers import fixture_paths

from rollout_tui.sim import Simulator
from rollout_tui.sim.netfaults import FaultProxy, through

LEAVE_ALT_SCREEN = b"\x1b[?1049l"
# longer than the app's resume threshold (5 s) and the bookmark cadence; the README's figure is
# the same test stopped for a suspended laptop's minute (ROLLOUT_TUI_STOPPED_FOR=60)
STOPPED_FOR = float(os.environ.get("ROLLOUT_TUI_STOPPED_FOR", "8"))
DOWN = b"\x1b[B"


@contextmanager
def cli_through_proxy(tmp_path: Path, *args: str) -> Iterator[tuple[PtyApp, Simulator, FaultProxy]]:
    with Simulator(load=fixture_paths(), controller=False) as sim:
        direct = sim.write_kubeconfig(tmp_path / "direct", context="sim")
        with FaultProxy(("127.0.0.1", sim.port)) as proxy:
            kubeconfig = through(direct, tmp_path / "kubeconfig", proxy.address)
            app = PtyApp(["--kubeconfig", str(kubeconfig), *args], cols=160, rows=40)
            try:
                assert app.wait_for(b"canary-demo-weights", 30), app.output[-400:]
                app.read_for(0.5)
                yield app, sim, proxy
            finally:
                app.close(timeout=5)


def exit_seconds(app: PtyApp, limit: float = 10.0) -> float:
    """Seconds until the process ended (reading its output meanwhile, as a terminal does)."""
    started = time.monotonic()
    while app.proc.poll() is None and time.monotonic() - started < limit:
        app.read_for(0.02)
    return time.monotonic() - started


def test_q_exits_within_a_second_with_requests_in_flight_on_a_slow_api(tmp_path: Path) -> None:
    with cli_through_proxy(tmp_path, "--read-only") as (app, _sim, proxy):
        proxy.latency(2.0)  # every chunk 2 s late: detail lists, RBAC reviews all in flight
        for key in (b"\r", DOWN, DOWN, DOWN):
            app.send(key)
            app.read_for(0.15)
        app.send(b"q")
        took = exit_seconds(app)
        assert app.proc.poll() == 0
        assert took <= 1.0, f"q took {took:.2f} s"
        assert LEAVE_ALT_SCREEN in app.output  # the terminal is restored


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGHUP, 129), (signal.SIGTERM, 143)])
def test_hangup_and_terminate_exit_cleanly_within_a_second(tmp_path: Path, signum: int, code: int) -> None:
    with cli_through_proxy(tmp_path, "--wall") as (app, _sim, proxy):
        proxy.latency(2.0)  # with watches and lists in flight
        app.send(b"")  # nothing typed: a wall is left alone
        app.read_for(0.5)
        before = len(app.output)
        os.kill(app.proc.pid, signum)
        took = exit_seconds(app)
        assert took <= 1.0, f"{signal.Signals(signum).name}: exited after {took:.2f} s"
        assert app.proc.returncode == code
        assert not Path(f"/proc/{app.proc.pid}").exists()  # reaped: no thread of it is left
        tail = bytes(app.output[before:])
        assert LEAVE_ALT_SCREEN in tail and b"Traceback" not in tail


def abort(obj: dict) -> None:
    obj["status"]["abort"] = True
    obj["status"]["phase"] = "Degraded"
    obj["status"]["message"] = "RolloutAborted: metric failed"


def test_a_stopped_process_catches_up_without_a_burst_of_alerts(tmp_path: Path) -> None:
    with cli_through_proxy(tmp_path, "--notify") as (app, sim, _proxy):
        os.kill(app.proc.pid, signal.SIGSTOP)
        try:
            for namespace, name in (("jesse-test", "canary-demo-weights"), ("jesse-test", "canary-demo")):
                sim.store.mutate("rollouts", namespace, name, abort, subresource="status")
            time.sleep(STOPPED_FOR)
        finally:
            os.kill(app.proc.pid, signal.SIGCONT)
        start = len(app.output)
        reader = threading.Thread(target=app.read_for, args=(6.0,))
        reader.start()
        reader.join()
        out = bytes(app.output[start:])
        assert b"Degraded" in out  # caught up: the screen shows what happened meanwhile
        assert b"\x1b]777;notify" not in out  # no desktop notification ...
        assert out.count(b"\x07") <= out.count(b"\x1b]")  # ... no bell (BELs here only end OSCs) ...
        assert b"canary-demo-weights aborted" not in out  # ... and no toast


ENTER_ALT_SCREEN = b"\x1b[?1049h"
CSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def test_a_continue_signal_with_no_suspend_before_it_leaves_one_reader_of_the_terminal(
    tmp_path: Path,
) -> None:
    """SIGCONT after a plain SIGSTOP (or none): Textual started application mode again, a second
    input thread beside the first; one of them then blocked in read() and `q` hung. Now the app
    stays in application mode, redraws, reads each key once and quits at once."""
    with cli_through_proxy(tmp_path, "--read-only") as (app, _sim, _proxy):
        before = len(app.output)
        for _ in range(4):
            os.kill(app.proc.pid, signal.SIGCONT)
            app.read_for(0.3)
        app.read_for(1.0)
        after = bytes(app.output[before:])
        assert ENTER_ALT_SCREEN not in after  # not started a second time ...
        assert b"canary-demo" in CSI.sub(b"", after)  # ... but all of the screen drawn again
        app.send(b"/")  # the filter box: one key, read once ...
        app.read_for(0.5)
        app.send(b"\x1b")
        app.read_for(0.5)
        app.send(b"q")  # ... and q ends it at once
        took = exit_seconds(app)
        assert app.proc.poll() == 0, "q did not end the process"
        assert took <= 1.0, f"q took {took:.2f} s"
