"""Terminal and clock faults: resize storms and a 40x10 terminal do not crash the real CLI on a
pty; a system clock set an hour back or forward moves no age and sticks no countdown."""

from __future__ import annotations

import fcntl
import random
import signal
import struct
import termios
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ptyrun import PtyApp
from uihelpers import fixture_paths, screen_text, wait_until

from rollout_tui.model.clock import SteadyClock
from rollout_tui.sim import Simulator
from rollout_tui.ui.app import RolloutApp


def resize(app: PtyApp, cols: int, rows: int) -> None:
    fcntl.ioctl(app.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    app.proc.send_signal(signal.SIGWINCH)


@pytest.mark.parametrize("mode", ["--read-only", "--wall"])
def test_resize_storm_and_a_tiny_terminal_do_not_crash(tmp_path: Path, mode: str) -> None:
    with Simulator(load=fixture_paths(), controller=False) as sim:
        kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig", context="sim")
        app = PtyApp(["--kubeconfig", str(kubeconfig), mode], cols=40, rows=10)
        try:
            assert app.wait_for(b"need you", 30), app.output[-300:]
            rnd = random.Random(mode)
            for _ in range(60):  # a window dragged about: 60 sizes in ~3 s
                resize(app, rnd.randint(20, 220), rnd.randint(5, 70))
                app.read_for(0.05)
            resize(app, 40, 10)
            start = len(app.output)
            app.send(b"\r")  # the detail at 40x10
            app.read_for(1.5)
            assert app.proc.poll() is None, "the UI died"
            assert len(app.output) > start  # still painting
            assert b"Traceback" not in app.output
        finally:
            code = app.close()
        assert code == 0


class JumpingWall:
    """The system clock as the OS reports it; ``jump`` sets it like an operator would."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.mark.parametrize("jump", [timedelta(hours=-1), timedelta(hours=1)])
def test_a_system_clock_jump_moves_no_age(jump: timedelta) -> None:
    wall = JumpingWall()
    clock = SteadyClock(wall=wall)
    before = clock.now()
    wall.offset = jump
    after = clock.now()
    assert timedelta() <= after - before < timedelta(seconds=1)


async def test_ages_stay_sane_when_the_clock_is_set_back_an_hour(fleet_factory: object) -> None:
    fleet, contexts, sims = fleet_factory(load=())  # type: ignore[operator]
    sims[0].store.create(
        "rollouts",
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Rollout",
            "metadata": {"name": "fresh", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "fresh"}}, "strategy": {"canary": {}},
                     "template": {"metadata": {"labels": {"app": "fresh"}}, "spec": {"containers": []}}},
        },
    )  # fmt: skip
    wall = JumpingWall()
    app = RolloutApp(fleet, contexts, clock=SteadyClock(wall=wall), read_only=True)
    async with app.run_test(size=(120, 20)) as pilot:
        await wait_until(pilot, lambda: "fresh" in screen_text(app), what="the new rollout")
        wall.offset = timedelta(hours=-1)  # created "an hour in the future" by this clock now
        await pilot.pause(1.5)  # a tick or two
        text = screen_text(app)
        assert "<invalid>" not in text and "fresh" in text
