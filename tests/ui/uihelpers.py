"""UI test helpers (imported by the tests in this directory as ``uihelpers``): a simulator over real HTTP, a real kube Fleet on it, and the app under Pilot.

``running_fleet`` serves the recorded fixture sets with no controller (stable screens); the app
gets a FixedClock at the instant they were recorded, so ages never move. ``wait_until`` polls with a deadline instead of sleeping blindly.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.sets import RECORDED, RECORDED_AT

FROZEN_AT = RECORDED_AT  # the app's frozen clock: the instant the fixture sets were recorded
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class RequestLog(logging.Handler):
    """Counts the simulator's HTTP requests by method (from its access log), to prove "no writes"."""

    _LINE = re.compile(r'"([A-Z]+) (\S+) HTTP')

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._mutex = threading.Lock()
        self.requests: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = self._LINE.search(record.getMessage())
        if match:
            with self._mutex:
                self.requests.append((match.group(1), match.group(2)))

    def writes(self) -> list[tuple[str, str]]:
        with self._mutex:
            return [r for r in self.requests if r[0] in WRITE_METHODS]


@pytest.fixture
def request_log() -> Iterator[RequestLog]:
    handler = RequestLog()
    logger = logging.getLogger("rollout_tui.sim.server")
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def fixture_paths() -> list[Path]:
    """The recorded object sets (the project's own, see tests/fixtures/README.md)."""
    return [RECORDED]


@contextmanager
def running_fleet(
    tmp_path: Path,
    contexts: tuple[str, ...] = ("sim",),
    read_only: bool = False,
    controller: bool = False,
    user: str | None = None,
    sims: list[Any] | None = None,
    **sim_kwargs: Any,
) -> Iterator[tuple[Any, list[str], list[Any]]]:
    """One Simulator per context (fixtures loaded unless ``scenario``/``load`` given), a Fleet on all."""
    from rollout_tui.kube.config import prepare
    from rollout_tui.kube.fleet import Fleet
    from rollout_tui.sim import Simulator
    from rollout_tui.ui.demo import merge_kubeconfigs

    sim_kwargs.setdefault("load", fixture_paths())
    started = sims if sims is not None else []
    fleet = None
    try:
        paths = []
        for name in contexts:
            sim = Simulator(port=0, controller=controller, **sim_kwargs).start()
            started.append(sim)
            if user is not None:
                sim.add_user(user, f"{user}-token", read_only_namespaces=["*"])
            paths.append(sim.write_kubeconfig(tmp_path / f"{name}.yaml", context=name, user=user))
        kubeconfig = merge_kubeconfigs(paths, tmp_path / "kubeconfig", contexts[0])
        loaded = prepare(str(kubeconfig), list(contexts), False, read_only)
        fleet = Fleet(loaded, read_only=read_only).start()
        assert fleet.wait_synced(30), "fleet did not sync with the simulator"  # a busy machine
        yield fleet, list(contexts), started
    finally:
        if fleet is not None:
            fleet.stop()
        for sim in started:
            sim.stop()


async def wait_until(pilot: Any, predicate: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Let the app run until ``predicate()`` is truthy; fail with ``what`` after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        await pilot.pause(0.05)


async def settled(pilot: Any, timeout: float = 5.0) -> None:
    """Let the app run until two screenshots 0.2 s apart are the same: a snapshot taken while a
    late layout pass (a scrollbar thumb, a footer recompose) is still under way would differ."""
    import time

    deadline = time.monotonic() + timeout
    before = pilot.app.export_screenshot()
    while time.monotonic() < deadline:
        await pilot.pause(0.2)
        now = pilot.app.export_screenshot()
        if now == before:
            return
        before = now
    raise AssertionError(f"the screen still changed after {timeout}s")


async def shell_is_wide(pilot: Any) -> bool:
    """Whether the shell lays the detail beside the table. Asked too early, before the screen's first
    resize set its breakpoint class, "not -wide" reads as narrow: a test would press Enter (moving
    focus into the detail) or skip waiting for the detail, and its snapshot would differ."""
    screen = pilot.app.screen_stack[0]
    await wait_until(pilot, lambda: screen.has_class("-wide") or screen.has_class("-narrow"), what="layout")
    return bool(screen.has_class("-wide"))


async def press(pilot: Any, selector: str) -> None:
    """Press a button (or tick a checkbox) of the screen on top, once its layout has settled: a
    click at coordinates could land on whatever was there a frame earlier."""
    await pilot.pause()
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.press("space" if widget.__class__.__name__ == "Checkbox" else "enter")
    await pilot.pause()


def screen_text(app: Any) -> str:
    """The screen as plain text (what an operator reads), for assertions."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens, simplify=True)
    )
    return console.export_text()


@pytest.fixture
def fleet_factory(tmp_path: Path) -> Iterator[Callable[..., tuple[Any, list[str], list[Any]]]]:
    stack: list[Any] = []

    def make(**kwargs: Any) -> tuple[Any, list[str], list[Any]]:
        cm = running_fleet(tmp_path / f"f{len(stack)}", **kwargs)
        (tmp_path / f"f{len(stack)}").mkdir(exist_ok=True)
        value = cm.__enter__()
        stack.append(cm)
        return value

    yield make
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


def stop_all(fleet: Any, proxies: dict[str, Any], sims: dict[str, Any]) -> None:
    """Tear down what a multi-cluster test started: the fleet first, then proxies, then simulators."""
    if fleet is not None:
        fleet.stop()
    for proxy in proxies.values():
        proxy.stop()
    for sim in sims.values():
        sim.stop()
