"""The UI's waves: each runs on its own worker thread (kube.wave.WaveRunner), supervised here.

Transitions reach the UI thread one by one; the rings view reads `views()`; a wave that ends
(done, stopped, cancelled) is announced with a toast. Closing the UI stops every wave it runs
(nothing more is written; the ring in progress is left as it is): a wave that must outlive this
session runs headless, `rollout-tui wave ...`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rollout_tui.kube.wave import WaveRunner
from rollout_tui.model.wave_plan import WavePlan
from rollout_tui.model.waves import CANCELLED, DONE, STOPPED, Transition

from ..safe import clean
from .rows import WaveView

if TYPE_CHECKING:
    from ..app import RolloutApp

POLL_SECONDS = 1.0  # a wave looks at its ring once a second (the fleet's cache, not the network)


@dataclass
class _Run:
    runner: WaveRunner
    transitions: list[Transition] = field(default_factory=list)


class WaveSupervisor:
    def __init__(self, app: RolloutApp, poll: float = POLL_SECONDS) -> None:
        self.app = app
        self.poll = poll
        self._runs: dict[str, _Run] = {}  # by app name: the app's latest wave
        self.listeners: list[Callable[[], None]] = []  # screens showing waves: refresh on progress

    def views(self) -> dict[str, WaveView]:
        return {app: WaveView(run.runner.wave, tuple(run.transitions)) for app, run in self._runs.items()}

    def running(self, app: str) -> bool:
        run = self._runs.get(app)
        return run is not None and not run.runner.wave.finished

    def any_running(self) -> bool:
        return any(self.running(app) for app in self._runs)

    def start(self, plan: WavePlan) -> None:
        """Run a confirmed plan (never one with refusals: the runner refuses to start it)."""
        if self.running(plan.app):
            raise ValueError(f"a wave for {plan.app} is running already")
        runner = WaveRunner(self.app.fleet, plan, self.app.clock, self._from_worker(plan.app), poll=self.poll)
        self._runs[plan.app] = _Run(runner)
        self.app.run_worker(
            runner.run, thread=True, exit_on_error=False, group="waves", name=f"wave {plan.wave_id}"
        )

    def stop(self, app: str, reason: str = "stopped by the operator") -> None:
        run = self._runs.get(app)
        if run is not None:
            run.runner.stop(reason)

    def stop_all(self, reason: str) -> None:
        for app in list(self._runs):
            self.stop(app, reason)

    def _from_worker(self, app: str) -> Callable[[Transition], None]:
        def on_transition(transition: Transition) -> None:
            with contextlib.suppress(Exception):  # the UI may be closing: the wave is stopping anyway
                self.app.call_from_thread(self._record, app, transition)

        return on_transition

    def _record(self, app: str, transition: Transition) -> None:
        run = self._runs.get(app)
        if run is None or transition.wave != run.runner.plan.wave_id:
            return
        run.transitions.append(transition)
        if transition.event in (DONE, STOPPED, CANCELLED):
            severity: Literal["information", "error"] = "information" if transition.event == DONE else "error"
            self.app.notify(
                clean(transition.text, 300),
                title=f"Wave {transition.wave} for {clean(app, 60)}",
                severity=severity,
                markup=False,
                timeout=15,
            )
        for listener in list(self.listeners):
            listener()
