"""A wave's state machine: pure, its transitions are events, the runner (kube.wave) does the I/O.

    pending → starting ring N → writing → rolling → baking → starting ring N+1 ... → done
                                   ↘ stopped (a write refused, the ring failed; with
                                     abort_on_failure: aborting the ring first)
    any unfinished → cancelled (the operator stopped it: nothing more is written)

`start(plan, now)` and then, in a loop, `observe(wave, cell, evidence, now)` with the current
ring's cell (the ring's rollouts as now seen, against the plan's target) and its scoped reads;
`written(wave, results, now)` after the runner sent the writes a step asked for. Each returns a
`Step`: the next `Wave`, the `Transition`s that happened (one line each on the CLI), and the writes
to send now. Rings after the current one are never written before it is baked, and rings not yet
started are untouched when the wave stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from rollout_tui.model.durations import human_duration
from rollout_tui.model.ring_gate import BAKING, FAILED, HOLDING, OPEN, Evidence, judge
from rollout_tui.model.rings import RingCell
from rollout_tui.model.state import RolloutState
from rollout_tui.model.wave_plan import (
    ABORT,
    PROMOTE,
    PlannedWrite,
    WavePlan,
    abort_writes,
    describe_target,
    unabortable,
)

PENDING, STARTING, WRITING, ROLLING = "pending", "starting", "writing", "rolling"
ABORTING, DONE, STOPPED, CANCELLED = "aborting", "done", "stopped", "cancelled"
FINISHED = frozenset({DONE, STOPPED, CANCELLED})


@dataclass(frozen=True, slots=True)
class Transition:
    """One event of a wave (a line of progress)."""

    wave: str
    at: datetime
    event: str  # started, ring-starting, write, skipped, holding, ring-rolling, ring-baking,
    # ring-baked, ring-failed, aborting, stopped, done, cancelled
    text: str
    ring: int | None = None
    ring_name: str = ""
    until: datetime | None = None  # ring-baking: when the bake ends
    where: str = ""  # write/skipped: context/namespace/name
    outcome: str = ""  # write: applied, noop, stale, denied, unknown, failed


@dataclass(frozen=True, slots=True)
class WriteResult:
    """How one planned write ended (kube.actions.ActionResult, as the model needs it)."""

    write: PlannedWrite
    ok: bool
    outcome: str
    message: str


@dataclass(frozen=True, slots=True)
class Wave:
    plan: WavePlan
    phase: str = PENDING
    ring: int = 0  # the current ring
    ring_started: datetime | None = None  # when the current ring's writes went out (or it was taken as is)
    wrote: bool = False  # the current ring was written by this wave
    healthy_seen: datetime | None = None  # when this wave first saw the current ring healthy
    holding: str = ""  # the current reason for holding (a transition only when it changes)
    reason: str = ""  # why it stopped or was cancelled
    failed_ring: int | None = None

    @property
    def finished(self) -> bool:
        return self.phase in FINISHED

    @property
    def succeeded(self) -> bool:
        return self.phase == DONE

    @property
    def ring_name(self) -> str:
        return self.plan.rings[self.ring].ring.name if self.plan.rings else ""


@dataclass(frozen=True, slots=True)
class Step:
    wave: Wave
    transitions: tuple[Transition, ...] = ()
    writes: tuple[PlannedWrite, ...] = field(default=())


_CURRENT = -1  # `ring=` default of _event: the wave's current ring


def _event(
    wave: Wave,
    now: datetime,
    event: str,
    text: str,
    *,
    ring: int | None = _CURRENT,
    until: datetime | None = None,
    where: str = "",
    outcome: str = "",
) -> Transition:
    index = wave.ring if ring == _CURRENT else ring
    name = wave.plan.rings[index].ring.name if index is not None and wave.plan.rings else ""
    return Transition(wave.plan.wave_id, now, event, text, index, name, until, where, outcome)


def start(plan: WavePlan, now: datetime) -> Step:
    if not plan.ok:
        raise ValueError(f"a plan with refusals cannot start: {plan.refusals[0]}")
    if not plan.rings:
        raise ValueError("a wave needs at least one ring")
    wave = Wave(plan, STARTING, 0)
    rings = " → ".join(r.ring.name for r in plan.rings)
    bakes = sorted({human_duration(r.ring.bake) for r in plan.rings})
    text = (
        f"wave {plan.wave_id} for {plan.app}: {describe_target(plan.target)} through {rings}, "
        f"{len(plan.writes)} planned writes, bake {', '.join(bakes)}"
    )
    return Step(wave, (_event(wave, now, "started", text, ring=None),))


def observe(
    wave: Wave,
    cell: RingCell,
    evidence: Sequence[Evidence] | None,
    now: datetime,
    gone: Sequence[str] = (),
) -> Step:
    """The current ring as seen now (`gone`: planned rollouts no longer there): what happens next."""
    if gone and wave.phase in (STARTING, ROLLING, BAKING):
        return _fail(wave, f"ring {wave.ring} ({wave.ring_name}): {gone[0]} is gone", now)
    if wave.phase == STARTING:
        return _start_ring(wave, cell, now)
    if wave.phase == ABORTING:
        return _abort(wave, cell, now)
    if wave.phase not in (ROLLING, BAKING):
        return Step(wave)
    seen = (wave.healthy_seen or now) if cell.healthy else None
    gate = judge(
        cell,
        now,
        not_before=seen if wave.wrote else None,  # a ring this wave wrote bakes from when it saw it healthy
        evidence=evidence,
        since=wave.ring_started,
    )
    if gate.state == FAILED:
        return _fail(wave, f"ring {wave.ring} ({wave.ring_name}) failed: {gate.text}", now)
    if gate.state == HOLDING:  # stale or waiting for a human: what was seen so far still counts
        return _hold(wave, gate.text, now)
    if gate.state == OPEN:
        return _baked(replace(wave, healthy_seen=seen, holding=""), now)
    if gate.state == BAKING:
        baking = replace(wave, phase=BAKING, healthy_seen=seen, holding="")
        if wave.phase == BAKING and not wave.holding:
            return Step(baking)
        text = f"healthy at {wave.plan.target.short}: baking {_bake(wave)}"
        return Step(baking, (_event(wave, now, "ring-baking", text, until=gate.until),))
    rolling = replace(wave, phase=ROLLING, healthy_seen=None, holding="")
    if wave.phase == BAKING:
        text = f"no longer healthy ({gate.text}): the bake starts again when it is"
        return Step(rolling, (_event(wave, now, "ring-rolling", text),))
    if wave.holding:
        return Step(rolling, (_event(wave, now, "ring-rolling", gate.text),))
    return Step(rolling)


def written(wave: Wave, results: Sequence[WriteResult], now: datetime) -> Step:
    """The writes the last step asked for were sent: report each, and stop on any refusal."""
    events = [
        _event(
            wave,
            now,
            "write",
            f"{r.write.context}: {r.message}" if r.ok else f"{r.write.context}: not applied: {r.message}",
            where=r.write.where,
            outcome=r.outcome,
        )
        for r in results
    ]
    failed = [r for r in results if not r.ok]
    if wave.phase == ABORTING:
        return Step(replace(wave, phase=STOPPED), (*events, _stopped(wave, now)))
    if failed:
        first = failed[0]
        reason = f"ring {wave.ring} ({wave.ring_name}): {first.write.where}: {first.outcome}: {first.message}"
        step = _fail(wave, reason, now)
        return Step(step.wave, (*events, *step.transitions), step.writes)
    return Step(replace(wave, phase=ROLLING), tuple(events))


def cancel(wave: Wave, reason: str, now: datetime) -> Step:
    if wave.finished:
        return Step(wave)
    stopped = replace(wave, phase=CANCELLED, reason=reason)
    text = f"cancelled: {reason}; nothing more is written{_untouched(wave)}"
    return Step(stopped, (_event(wave, now, "cancelled", text),))


# -- internals ---------------------------------------------------------------------------------


def _start_ring(wave: Wave, cell: RingCell, now: datetime) -> Step:
    planned = wave.plan.rings[wave.ring]
    if not planned.members:
        return _next_ring(
            wave, now, _event(wave, now, "skipped", f"skipped: the app does not run in {planned.ring.where}")
        )
    current = {m.where: m for m in cell.members}
    writes: list[PlannedWrite] = []
    events = []
    for write in planned.writes:
        member = current.get(write.where)
        if member is None:
            return _fail(wave, f"ring {wave.ring} ({wave.ring_name}): {write.where} is gone", now)
        skip = _skip_reason(write, member.state, wave)
        if skip:
            events.append(_event(wave, now, "skipped", f"{write.context}: {skip}", where=write.where))
        else:
            writes.append(write)
    n = len(writes)
    text = (
        f"starting: {n} write{'s' if n != 1 else ''}" if n else "starting: already at the target, watching it"
    )
    started = replace(
        wave, phase=WRITING if n else ROLLING, ring_started=now, wrote=bool(n), healthy_seen=None
    )
    return Step(started, (_event(wave, now, "ring-starting", text), *events), tuple(writes))


def _skip_reason(write: PlannedWrite, state: RolloutState, wave: Wave) -> str:
    """A planned write that is not needed any more (someone else got there first)."""
    target = wave.plan.target
    if write.action == PROMOTE and target.met_by(state) and not state.awaiting_promotion:
        return f"no longer waiting for promotion ({state.status}): not promoted"
    if write.action != PROMOTE and target.met_by(state):
        return f"already at {target.short}: image not set"
    return ""


def _hold(wave: Wave, why: str, now: datetime) -> Step:
    if why == wave.holding:
        return Step(wave)
    return Step(replace(wave, holding=why), (_event(wave, now, "holding", f"holding: {why}"),))


def _baked(wave: Wave, now: datetime) -> Step:
    event = _event(wave, now, "ring-baked", f"baked: healthy at {wave.plan.target.short} for {_bake(wave)}")
    return _next_ring(wave, now, event)


def _next_ring(wave: Wave, now: datetime, event: Transition) -> Step:
    if wave.ring + 1 >= len(wave.plan.rings):
        done = replace(wave, phase=DONE)
        text = f"done: every ring healthy at {wave.plan.target.short}"
        return Step(done, (event, _event(done, now, "done", text, ring=None)))
    following = replace(wave, phase=STARTING, ring=wave.ring + 1, ring_started=None, wrote=False)
    return Step(following, (event,))


def _fail(wave: Wave, reason: str, now: datetime) -> Step:
    event = _event(wave, now, "ring-failed", reason)
    failing = replace(wave, reason=reason, failed_ring=wave.ring)
    if wave.plan.abort_on_failure:
        return Step(replace(failing, phase=ABORTING), (event,))
    return Step(replace(failing, phase=STOPPED), (event, _stopped(failing, now)))


def _abort(wave: Wave, cell: RingCell, now: datetime) -> Step:
    writes = abort_writes(wave.ring, cell.members, wave.plan.target, now)
    left = unabortable(cell.members, wave.plan.target)
    notes = [_event(wave, now, "aborting", f"cannot abort {why}: roll it back with undo") for why in left]
    if not writes:
        stopped = replace(wave, phase=STOPPED)
        return Step(stopped, (*notes, _stopped(stopped, now)))
    text = f"aborting the ring: {len(writes)} rollout{'s' if len(writes) != 1 else ''} back to stable"
    return Step(wave, (_event(wave, now, "aborting", text), *notes), writes)


def _stopped(wave: Wave, now: datetime) -> Transition:
    return _event(wave, now, "stopped", f"stopped: {wave.reason}{_untouched(wave)}")


def _untouched(wave: Wave) -> str:
    later = [r.ring.name for r in wave.plan.rings[wave.ring + 1 :]]
    return (
        f"; rings {', '.join(later)} untouched"
        if len(later) > 1
        else f"; ring {later[0]} untouched"
        if later
        else ""
    )


def _bake(wave: Wave) -> str:
    return human_duration(wave.plan.rings[wave.ring].ring.bake)


__all__ = [
    "ABORT",
    "ABORTING",
    "BAKING",
    "CANCELLED",
    "DONE",
    "FINISHED",
    "PENDING",
    "ROLLING",
    "STARTING",
    "STOPPED",
    "WRITING",
    "Step",
    "Transition",
    "Wave",
    "WriteResult",
    "cancel",
    "observe",
    "start",
    "written",
]
