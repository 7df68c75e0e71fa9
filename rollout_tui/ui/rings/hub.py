"""The rings half of the app: its ring definitions, its waves, and the flow that starts one.

The app holds one `Rings` (`app.rings`): `open()` shows the rings view, `mounted()` opens it at
start when asked (`--rings`), `closed()` stops the UI's waves. Starting a wave from the view:
ask for the new image (the one ring 0 runs is offered), plan it from the states on screen, ask
RBAC about every planned write off the UI thread, show the plan, and run it once confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rollout_tui.kube.ring_reads import access_refusals, stale_contexts
from rollout_tui.kube.wave import new_wave_id
from rollout_tui.model.ring_config import RingConfig, default_rings
from rollout_tui.model.rings import Member, Target, image_target
from rollout_tui.model.wave_plan import WavePlan, plan_wave

from ..safe import clean
from ..screens.prompt import PromptScreen
from .plan_screen import StopWaveScreen, WavePlanScreen
from .rows import AppRow
from .supervisor import WaveSupervisor

if TYPE_CHECKING:
    from ..app import RolloutApp


@dataclass(frozen=True, slots=True)
class RingsOptions:
    """What the command line and the config file say about rings."""

    config: RingConfig | None = None  # None: one ring per context, in the order of --context
    open_at_start: bool = False  # --rings
    on_mount: Callable[[Rings], None] | None = None  # e.g. the demo starting its waves


class Rings:
    def __init__(self, app: RolloutApp, options: RingsOptions | None = None) -> None:
        self.app = app
        self.options = options or RingsOptions()
        self.waves = WaveSupervisor(app)

    @property
    def config(self) -> RingConfig:
        return self.options.config or default_rings(self.app.contexts)

    # -- the app's hooks -------------------------------------------------------------------------
    def mounted(self) -> None:
        if self.options.open_at_start:
            self.app.call_after_refresh(self.open)
        if self.options.on_mount is not None:
            self.options.on_mount(self)

    def open(self) -> None:
        from .screen import RingsScreen  # the screen imports this module's types

        self.app.push_screen(RingsScreen(self))

    def closed(self) -> None:
        self.waves.stop_all("the UI closed")

    # -- what the view and the plans are made of -------------------------------------------------
    def members(self) -> list[Member]:
        return [Member(e.context, e.state, e.attention) for e in self.app.view.entries.values()]

    def stale(self) -> dict[str, str]:
        """What a wave would call stale too: each context's overview watch (`stale_contexts`)."""
        stale = stale_contexts(self.app.fleet)
        known = self.app.fleet.contexts
        stale.update({c: "not in the kubeconfig's contexts" for c in self.config.contexts if c not in known})
        return stale

    def read_only(self) -> set[str]:
        contexts = self.app.fleet.contexts
        return {
            c
            for c in self.config.contexts
            if self.app.read_only or c not in contexts or contexts[c].read_only  # unknown: never written
        }

    def plan(self, row: AppRow, target: Target) -> WavePlan:
        return plan_wave(
            new_wave_id(),
            row.app,
            row.members,
            self.config,
            target,
            now=self.app.clock.now(),
            stale=self.stale(),
            read_only=self.read_only(),
        )

    # -- starting and stopping a wave --------------------------------------------------------------
    def ask_for_wave(self, row: AppRow) -> None:
        if self.waves.running(row.app):
            self._warn(f"a wave for {row.app} is running: stop it first (s)")
            return
        offered = _offer(row.target)
        question = f"Wave for {row.app}: the new image, [container=]image (offered: what ring 0 runs)"
        self.app.push_screen(PromptScreen(question, offered), lambda value: self._image_given(row, value))

    def _image_given(self, row: AppRow, value: str | None) -> None:
        if not value:
            return
        target = image_target(value)
        if isinstance(target, str):
            self._warn(target)
            return
        plan = self.plan(row, target)
        self.app.run_worker(lambda: self._check_access(plan), thread=True, exit_on_error=False, group="waves")

    def _check_access(self, plan: WavePlan) -> None:
        """On a worker thread: RBAC for every planned write, and for the aborts the checkbox adds."""
        aborting = replace(plan, abort_on_failure=True)
        try:
            checked = plan.refuse(access_refusals(plan, self.app.fleet))
            aborting = aborting.refuse(access_refusals(aborting, self.app.fleet))
        except Exception as exc:  # the plan screen must show, with what went wrong
            checked = plan.refuse({0: [f"cannot check permissions: {clean(exc, 200)}"]})
            aborting = replace(checked, abort_on_failure=True)
        self.app.call_from_thread(self.confirm, checked, aborting)

    def confirm(self, plan: WavePlan, aborting: WavePlan) -> None:
        def answered(chosen: WavePlan | None) -> None:
            if chosen is not None and chosen.ok:
                self.waves.start(chosen)

        typed = any(self.app.settings.policy(c).type_name for r in plan.rings for c in r.ring.contexts)
        self.app.push_screen(WavePlanScreen(plan, aborting, type_name=typed), answered)

    def ask_to_stop(self, row: AppRow) -> None:
        if row.wave is None or not self.waves.running(row.app):
            self._warn(f"no wave is running for {row.app}")
            return
        wave = row.wave.wave

        def answered(yes: bool | None) -> None:
            if yes:
                self.waves.stop(row.app)

        self.app.push_screen(StopWaveScreen(wave.plan.wave_id, row.app, wave.ring_name), answered)

    def _warn(self, text: str) -> None:
        self.app.notify(clean(text, 300), title="Rings", severity="warning", markup=False)


def _offer(target: Target | str) -> str:
    if isinstance(target, str) or len(target.images) != 1:
        return ""
    return target.images[0][1]
