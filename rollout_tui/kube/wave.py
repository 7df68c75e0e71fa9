"""Running a wave against the live fleet, supervised: the model decides, this reads and writes.

`WaveRunner(fleet, plan, clock, on_transition).run()` drives `model.waves` until the wave is done,
stopped or cancelled: each pass reads the current ring's rollouts from the overview's cache (and
the scoped reads of `ring_reads` while the ring rolls out and bakes), asks the state machine what
happens, and sends the writes it asks for through `kube.actions.Actions.run` with the registry's
specs, so RBAC, read-only, the stale-view guard and the audit trail (with the wave's id) apply to
every one of them. Nothing is retried blindly: a refused write stops the wave.

Time is the injected clock's (the simulators' in tests). `step()` is one pass, for tests that
move simulated time between passes; `stop()` cancels from any thread. A wave lives as long as the
process that runs it: headless from the CLI, or inside the UI until it closes.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from rollout_tui.kube.actions import FAILED, Actions
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.ring_reads import current_member, read_evidence, read_only_contexts, stale_contexts
from rollout_tui.model.actions import action
from rollout_tui.model.clock import Clock
from rollout_tui.model.ring_config import RingConfig
from rollout_tui.model.ring_gate import Evidence
from rollout_tui.model.rings import Member, RingCell, ring_cells
from rollout_tui.model.wave_plan import PlannedWrite, WavePlan
from rollout_tui.model.waves import (
    BAKING,
    ROLLING,
    Step,
    Transition,
    Wave,
    WriteResult,
    cancel,
    observe,
    start,
    written,
)

EVIDENCE_EVERY = timedelta(seconds=5)  # scoped reads while a ring rolls out and bakes


def new_wave_id() -> str:
    return f"w-{secrets.token_hex(3)}"


class WaveRunner:
    def __init__(
        self,
        fleet: Fleet,
        plan: WavePlan,
        clock: Clock,
        on_transition: Callable[[Transition], None] = lambda t: None,
        *,
        poll: float = 1.0,
        evidence_every: timedelta = EVIDENCE_EVERY,
    ) -> None:
        self.fleet = fleet
        self.plan = plan
        self.clock = clock
        self.on_transition = on_transition
        self.poll = poll
        self.evidence_every = evidence_every
        self.wave = Wave(plan)
        self.transitions: list[Transition] = []
        self._stop = threading.Event()
        self._stop_reason = ""
        self._lock = threading.Lock()
        self._evidence: dict[str, Evidence] = {}
        self._read_errors: set[str] = set()
        self._bake_until: datetime | None = None

    # -- control ---------------------------------------------------------------------------------
    def begin(self) -> Wave:
        self._apply(start(self.plan, self.clock.now()))
        return self.wave

    def run(self) -> Wave:
        """Until done, stopped or cancelled (blocking)."""
        if self.wave.phase == "pending":
            self.begin()
        while not self.wave.finished:
            if self._stop.is_set():
                self._apply(cancel(self.wave, self._stop_reason, self.clock.now()))
                break
            self.step()
            self._stop.wait(self.poll)
        return self.wave

    def stop(self, reason: str = "stopped by the operator") -> None:
        """Cancel (from any thread): nothing more is written once the current write returns."""
        self._stop_reason = reason
        self._stop.set()

    # -- one pass --------------------------------------------------------------------------------
    def step(self) -> Wave:
        with self._lock:
            if self.wave.finished or self._stop.is_set():
                return self.wave
            now = self.clock.now()
            cell, gone = self._current_cell(now)
            evidence = self._read_evidence(cell, now) if self.wave.phase in (ROLLING, BAKING) else None
            self._apply(observe(self.wave, cell, evidence, now, gone))
            return self.wave

    def _current_cell(self, now: datetime) -> tuple[RingCell, list[str]]:
        planned = self.plan.rings[self.wave.ring]
        members: list[Member] = []
        gone: list[str] = []
        for member in planned.members:
            current = current_member(self.fleet, member, now)
            if current is None:
                gone.append(member.where)
            else:
                members.append(current)
        config = RingConfig((planned.ring,))
        stale, locked = stale_contexts(self.fleet), read_only_contexts(self.fleet)
        cell = ring_cells(members, config, self.plan.target, stale, locked)[0]
        return replace(cell, index=planned.index), gone

    def _read_evidence(self, cell: RingCell, now: datetime) -> list[Evidence]:
        """Fresh scoped reads every `evidence_every`, and once more as soon as a bake is over."""
        found = []
        for member in cell.members:
            if not self.plan.target.met_by(member.state) or not member.state.current_pod_hash:
                continue
            key = f"{member.where}@{member.state.current_pod_hash}"
            last = self._evidence.get(key)
            due = last is None or now - last.read_at >= self.evidence_every
            if last is not None and self._bake_until is not None and last.read_at < self._bake_until <= now:
                due = True
            if due:
                try:
                    last = self._evidence[key] = read_evidence(self.fleet, member, now)
                except Exception as exc:
                    self._read_error(member, exc, now)
            if last is not None:
                found.append(last)
        return found

    def _read_error(self, member: Member, exc: Exception, now: datetime) -> None:
        text = f"holding: cannot read the new pods of {member.where}: {exc}"
        if text not in self._read_errors:
            self._read_errors.add(text)
            self._emit(
                Transition(self.plan.wave_id, now, "holding", text, self.wave.ring, self.wave.ring_name)
            )

    # -- applying the model's answer -------------------------------------------------------------
    def _apply(self, step: Step) -> None:
        while True:
            self.wave = step.wave
            for transition in step.transitions:
                if transition.event == "ring-baking":
                    self._bake_until = transition.until
                self._emit(transition)
            if not step.writes:
                return
            results = self._send(step.writes)
            step = written(self.wave, results, self.clock.now())

    def _emit(self, transition: Transition) -> None:
        self.transitions.append(transition)
        with contextlib.suppress(Exception):  # a broken printer or UI must not take the wave down
            self.on_transition(transition)

    def _send(self, writes: Sequence[PlannedWrite]) -> list[WriteResult]:
        results = []
        for write in writes:
            if self._stop.is_set() and write.action != "abort":
                break  # cancelled between two writes: the rest is not sent
            results.append(self._send_one(write))
            if not results[-1].ok:
                break  # the first refusal stops the ring: nothing after it is sent
        return results

    def _send_one(self, write: PlannedWrite) -> WriteResult:
        try:
            actions: Actions | None = self.fleet.actions(write.context)
        except ValueError:
            actions = None
        if actions is None:
            return WriteResult(write, False, FAILED, f"{write.context} is read-only: nothing was written")
        state = write.expected
        try:
            result = actions.run(
                action(write.action),
                state.namespace,
                state.name,
                expected=state,
                args=write.args,
                wave=self.plan.wave_id,
            )
        except Exception as exc:  # a bug or transport error: the wave stops, it never guesses
            return WriteResult(write, False, FAILED, f"{type(exc).__name__}: {exc}")
        return WriteResult(write, result.ok, result.outcome, result.message)
