"""A wave's plan: every write it will make, per ring, decided and shown before anything is sent.

Starting a ring is, per rollout of the ring: nothing (already at the new revision), `promote` (at
the new revision and waiting for promotion), or `set_image` (an older revision: set the image the
previous ring proved). Each write is built by the action registry (`model.actions`) from the
`RolloutState` it was planned on, which the stale-view guard compares again when the write is
sent, so a rollout that changed after the plan was confirmed is refused, not overwritten.

A plan with refusals is not started: a read-only context, a cluster not seen live, a rollout busy
with another update or paused by hand, a container the image cannot be matched to. A ring the app
does not run in is skipped, and says so. With `abort_on_failure` the plan also says that a failing ring is aborted (those
writes are built from the ring's state when it fails).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from rollout_tui.model.actions import ActionArgs, action
from rollout_tui.model.ring_config import Ring, RingConfig
from rollout_tui.model.rings import Member, Target
from rollout_tui.model.state import RolloutState

PROMOTE, SET_IMAGE, ABORT = "promote", "set_image", "abort"
WAVE_ACTIONS = (PROMOTE, SET_IMAGE, ABORT)


@dataclass(frozen=True, slots=True)
class PlannedWrite:
    """One write of a wave: a registry action on one rollout, as planned."""

    ring: int
    context: str
    action: str  # PROMOTE, SET_IMAGE or ABORT (registry ids)
    args: ActionArgs
    expected: RolloutState  # what the plan saw: the stale-view guard compares it when sending
    text: str  # the registry's describe(): exactly what the write does

    @property
    def where(self) -> str:
        return f"{self.context}/{self.expected.namespace}/{self.expected.name}"


@dataclass(frozen=True, slots=True)
class PlannedRing:
    index: int
    ring: Ring
    members: tuple[Member, ...]  # the ring's rollouts of the app, as planned
    writes: tuple[PlannedWrite, ...]
    unchanged: tuple[str, ...]  # rollouts left as they are ("east/web/frontend: already at green")
    refusals: tuple[str, ...]  # why this ring cannot be part of a wave now


@dataclass(frozen=True, slots=True)
class WavePlan:
    wave_id: str
    app: str
    target: Target
    rings: tuple[PlannedRing, ...]
    abort_on_failure: bool
    created: datetime

    @property
    def refusals(self) -> tuple[str, ...]:
        return tuple(f"ring {r.index} ({r.ring.name}): {why}" for r in self.rings for why in r.refusals)

    @property
    def writes(self) -> tuple[PlannedWrite, ...]:
        return tuple(w for r in self.rings for w in r.writes)

    @property
    def ok(self) -> bool:
        return not self.refusals

    def refuse(self, extra: Mapping[int, Sequence[str]]) -> WavePlan:
        """The same plan with more refusals per ring index (e.g. what RBAC said)."""
        rings = tuple(
            replace(r, refusals=(*r.refusals, *extra.get(r.index, ()))) if extra.get(r.index) else r
            for r in self.rings
        )
        return replace(self, rings=rings)


def plan_wave(
    wave_id: str,
    app: str,
    members: Iterable[Member],
    config: RingConfig,
    target: Target,
    *,
    now: datetime,
    abort_on_failure: bool = False,
    stale: Mapping[str, str] | None = None,
    read_only: Iterable[str] = (),
) -> WavePlan:
    """Every write the wave will make, ring by ring (refusals where it cannot)."""
    members = tuple(members)
    locked, stale = set(read_only), stale or {}
    rings = tuple(
        _plan_ring(
            index,
            ring,
            [m for m in members if ring.holds(m.context, m.state.namespace)],
            target,
            now,
            stale,
            locked,
        )
        for index, ring in enumerate(config.rings)
    )
    return WavePlan(wave_id, app, target, rings, abort_on_failure, now)


def _plan_ring(
    index: int,
    ring: Ring,
    members: list[Member],
    target: Target,
    now: datetime,
    stale: Mapping[str, str],
    locked: set[str],
) -> PlannedRing:
    writes: list[PlannedWrite] = []
    unchanged: list[str] = []
    refusals = [f"{c} is {stale[c]}: its rollouts may have changed" for c in ring.contexts if stale.get(c)]
    if not members:
        unchanged.append(f"the app does not run in {ring.where}: this ring is skipped")
    for member in members:
        planned = member_write(index, member, target, now)
        if isinstance(planned, PlannedWrite):
            if member.context in locked:
                refusals.append(f"{member.where}: {member.context} is read-only, a wave cannot write there")
            writes.append(planned)
        elif planned.startswith("refused: "):
            refusals.append(f"{member.where}: {planned.removeprefix('refused: ')}")
        else:
            unchanged.append(f"{member.where}: {planned}")
    return PlannedRing(index, ring, tuple(members), tuple(writes), tuple(unchanged), tuple(refusals))


def member_write(index: int, member: Member, target: Target, now: datetime) -> PlannedWrite | str:
    """The write that starts `member` towards the target, or what happens instead: a note, or
    "refused: why"."""
    state = member.state
    if state.paused_by_hand:
        return "refused: paused by hand (spec.paused): resume it or leave it out of the rings"
    if target.met_by(state):
        if state.aborted:
            return "refused: aborted at the target revision: retry or roll it back first"
        if not state.awaiting_promotion:
            return f"already at {target.short} ({state.status or 'unknown'})"
        return _write(index, member, PROMOTE, ActionArgs(now=now))
    if state.status in ("Progressing", "Paused") and not state.aborted:
        where = f" at step {state.step_label}" if state.step_label else ""
        return f"refused: busy with another update ({state.status}{where}): let it finish or abort it"
    change = _image_change(state, target)
    if isinstance(change, str):
        return f"refused: {change}"
    container, image = change
    return _write(index, member, SET_IMAGE, ActionArgs(container=container, image=image, now=now))


def _image_change(state: RolloutState, target: Target) -> tuple[str, str] | str:
    """The one (container, image) set image must change, or why it cannot be one write."""
    if not state.containers:
        return f"no containers in its template ({state.workload_ref or 'workloadRef'}): set the image there"
    running = dict(state.containers)
    changes: list[tuple[str, str]] = []
    for container, image in target.images:
        if container == "*":
            if any(img != image for img in running.values()):
                changes.append(("*", image))
        elif container not in running:
            return f"has no container {container!r} (it has {', '.join(running)})"
        elif running[container] != image:
            changes.append((container, image))
    if len(changes) > 1:
        names = ", ".join(c for c, _ in changes)
        return f"containers {names} differ from the target: one container per wave (--image CONTAINER=IMAGE)"
    if not changes:
        return "nothing to change"
    container, image = changes[0]
    if container != "*" or len(running) == 1:
        return (next(iter(running)) if container == "*" else container), image
    return f"{len(running)} containers ({', '.join(running)}): name the one to set (--image CONTAINER=IMAGE)"


def _write(index: int, member: Member, action_id: str, args: ActionArgs) -> PlannedWrite:
    text = action(action_id).describe(member.state, args)
    return PlannedWrite(index, member.context, action_id, args, member.state, f"{member.context}: {text}")


def abort_writes(
    index: int, members: Iterable[Member], target: Target, now: datetime
) -> tuple[PlannedWrite, ...]:
    """`--abort-on-failure`: abort each rollout of the failing ring that is updating to the target
    (the registry's `possible` decides: a fully promoted rollout cannot be aborted)."""
    spec = action(ABORT)
    return tuple(
        _write(index, m, ABORT, ActionArgs(now=now))
        for m in members
        if target.met_by(m.state) and not spec.possible(m.state)
    )


def unabortable(members: Iterable[Member], target: Target) -> tuple[str, ...]:
    """Rollouts of a failing ring at the target that abort cannot take back (they finished)."""
    spec = action(ABORT)
    return tuple(
        f"{m.where}: {spec.possible(m.state)}"
        for m in members
        if target.met_by(m.state) and spec.possible(m.state)
    )


def describe_target(target: Target) -> str:
    return f"{target.full} ({'the image given' if target.source == '--image' else 'what ' + target.source + ' runs'})"


__all__ = [
    "ABORT",
    "PROMOTE",
    "SET_IMAGE",
    "WAVE_ACTIONS",
    "PlannedRing",
    "PlannedWrite",
    "WavePlan",
    "abort_writes",
    "describe_target",
    "member_write",
    "plan_wave",
    "unabortable",
]
