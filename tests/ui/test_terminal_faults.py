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


def timed_pause(name: str, started: datetime) -> dict:
    """A canary in its 10-minute pause step, started at ``started`` (the controller's stamp)."""
    stamp = started.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": stamp},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {"duration": "10m"}}]}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": []}},
        },
        "status": {
            "phase": "Paused",
            "currentStepIndex": 1,
            "pauseConditions": [{"reason": "CanaryPauseStep", "startTime": stamp}],
            "controllerPause": True,
        },
    }


@pytest.mark.parametrize("jump", [timedelta(hours=-1), timedelta(hours=1)])
async def test_a_clock_jump_leaves_ages_and_countdowns_running(
    fleet_factory: object, jump: timedelta
) -> None:
    fleet, contexts, sims = fleet_factory(load=())  # type: ignore[operator]
    paused = timed_pause("timed", datetime.now(UTC) - timedelta(seconds=30))
    sims[0].store.create("rollouts", paused)
    sims[0].store.mutate(
        "rollouts", "default", "timed", lambda o: o.update(status=paused["status"]), subresource="status"
    )
    wall = JumpingWall()
    app = RolloutApp(fleet, contexts, clock=SteadyClock(wall=wall), read_only=True)
    async with app.run_test(size=(160, 20)) as pilot:
        await wait_until(pilot, lambda: app.selected_entry is not None, what="the paused rollout")
        entry = app.selected_entry
        assert entry is not None and entry.state.pause_ends_at is not None
        left_before = entry.state.pause_ends_at - app.clock.now()
        wall.offset = jump  # set by hand (or a bad NTP step) while the wall runs
        await pilot.pause(1.5)  # a tick or two
        left_after = entry.state.pause_ends_at - app.clock.now()
        # the countdown went on by the time that passed, not by the jump, and did not stick
        assert timedelta() < left_before - left_after < timedelta(seconds=5), (left_before, left_after)
        text = screen_text(app)
        assert "timed" in text and "<invalid>" not in text
        assert "9m" in text or "9 min" in text or "10m" in text, text  # the pause's time left, shown
