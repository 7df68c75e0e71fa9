"""The gate between rings and the verdict of the rings view: may the next ring start, and when.

The gate (`judge`) says whether a ring has proved the new revision: every rollout of the ring
Healthy at the target images for the ring's whole bake time, no failed or inconclusive analysis,
no restarts of the new revision's pods meanwhile, every cluster of the ring seen live. It is read
by the rings view (with what the overview knows) and by a running wave (with a scoped read too).

What the overview knows, from `RolloutState` and `Attention` alone: status, pauses and aborts,
the phase of the current step's and background analysis, since when the controller has called the
rollout Healthy (its Healthy condition), and whether the status is about the current spec. What
it cannot know needs a scoped read of the ring's new-revision pods and AnalysisRuns (`Evidence`):
container restarts (a crash-looping image restarts long before a progress deadline degrades the
rollout), pods that cannot start (ImagePullBackOff), and an analysis that failed or was
inconclusive after the rollout's status stopped reporting it. A wave never opens the gate without
evidence read after the bake ended. A stale cluster holds the gate: it is never taken as healthy.

Pure and clock-free: `now` is passed in; verdicts carry deadlines, shown as countdowns by the UI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.model.fields import as_dict, as_int, as_list, as_str, dig, parse_time
from rollout_tui.model.rings import RingCell, Target

# Container waiting reasons that mean the new revision cannot run (kubelet's wording).
BROKEN_WAITING = frozenset(
    {
        "CrashLoopBackOff",
        "ImagePullBackOff",
        "ErrImagePull",
        "InvalidImageName",
        "CreateContainerConfigError",
        "CreateContainerError",
        "RunContainerError",
    }
)
BAD_RUN_PHASES = frozenset({"Failed", "Error", "Inconclusive"})

OPEN, BAKING, ROLLING, HOLDING, FAILED = "open", "baking", "rolling", "holding", "failed"


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a scoped read of one rollout's new-revision pods and AnalysisRuns found."""

    where: str  # context/namespace/name
    pod_hash: str  # the revision read (rollouts-pod-template-hash)
    read_at: datetime
    restarts: int  # container restarts, summed over the revision's pods
    last_restart: datetime | None  # the latest container termination among them
    broken: str  # the first waiting reason that means the pods cannot run ("" when none)
    bad_analysis: str  # "analysis success-rate failed" ("" when every run passed or runs)

    def restarted_since(self, since: datetime | None) -> bool:
        if not self.restarts:
            return False
        # A restart whose time is unknown counts: the gate only opens on evidence of health.
        return since is None or self.last_restart is None or self.last_restart >= since


def evidence_from(
    where: str, pod_hash: str, pods: Iterable[Any], runs: Iterable[Any], read_at: datetime
) -> Evidence:
    """Evidence from the pods and AnalysisRuns labelled with the revision's pod template hash."""
    restarts, last, broken = 0, None, ""
    for pod in pods:
        for status in as_list(dig(pod, "status", "containerStatuses")):
            status = as_dict(status)
            restarts += as_int(status.get("restartCount"))
            finished = parse_time(dig(status, "lastState", "terminated", "finishedAt"))
            if finished is not None and (last is None or finished > last):
                last = finished
            reason = as_str(dig(status, "state", "waiting", "reason"))
            if reason in BROKEN_WAITING and not broken:
                broken = reason
    return Evidence(where, pod_hash, read_at, restarts, last, broken, _bad_analysis(runs))


def _bad_analysis(runs: Iterable[Any]) -> str:
    for run in runs:
        phase = as_str(dig(run, "status", "phase"))
        if phase not in BAD_RUN_PHASES:
            continue
        metrics = [
            as_str(as_dict(m).get("name"))
            for m in as_list(dig(run, "status", "metricResults"))
            if as_str(as_dict(m).get("phase")) in BAD_RUN_PHASES
        ]
        name = metrics[0] if metrics else as_str(dig(run, "metadata", "name"))
        return f"analysis {name} {phase.lower()}"
    return ""


@dataclass(frozen=True, slots=True)
class Gate:
    state: str  # OPEN, BAKING, ROLLING, HOLDING or FAILED
    text: str  # why, in words ("analysis success-rate failed", "west reconnecting since 12:03:04")
    until: datetime | None = None  # BAKING: when the bake ends


def judge(
    cell: RingCell,
    now: datetime,
    *,
    not_before: datetime | None = None,
    evidence: Sequence[Evidence] | None = None,
    since: datetime | None = None,
) -> Gate:
    """Has this ring proved the target? `not_before`: the bake counts from no earlier than this
    (when a wave saw the ring healthy); `evidence`: the scoped reads (required to open when given,
    each read after the bake ended); `since`: restarts from then on fail the ring."""
    if cell.empty:
        return Gate(HOLDING, "the app does not run in this ring")
    if cell.stale:
        return Gate(HOLDING, f"stale: {cell.stale}")
    if not cell.at_target:
        return Gate(HOLDING, cell.waiting) if cell.waiting else Gate(ROLLING, _rolling(cell, False))
    failure = cell.failure or _evidence_failure(evidence or (), since)
    if failure:
        return Gate(FAILED, failure)
    if not cell.healthy:
        return Gate(HOLDING, cell.waiting) if cell.waiting else Gate(ROLLING, _rolling(cell, True))
    ends = cell.bake_ends_at(not_before)
    if ends is None:
        return Gate(HOLDING, "healthy, but since when is unknown (no Healthy condition)")
    if now < ends:
        return Gate(BAKING, f"healthy at {cell.image}, baking", ends)
    if evidence is not None and (not evidence or any(e.read_at < ends for e in evidence)):
        return Gate(BAKING, "bake over: checking its pods and analysis", ends)
    return Gate(OPEN, f"healthy at {cell.image} for its bake time")


def _rolling(cell: RingCell, at_target: bool) -> str:
    """ "rolling out green (Paused, step 1/5, 20%)", or what a ring not yet at the target runs."""
    if not at_target:
        return f"not yet at the new revision (runs {cell.image or 'nothing'})"
    progress = [
        p for p in (cell.status or "unknown", f"step {cell.step}" if cell.step else "", _weight(cell)) if p
    ]
    return f"rolling out {cell.image} ({', '.join(progress)})"


def _weight(cell: RingCell) -> str:
    return f"{cell.weight}%" if cell.weight is not None and cell.status != "Healthy" else ""


def _evidence_failure(evidence: Iterable[Evidence], since: datetime | None) -> str:
    for found in evidence:
        if found.broken:
            return f"{found.where}: new pods {found.broken}"
        if found.restarted_since(since):
            return f"{found.where}: new pods restarted ({found.restarts} restarts)"
        if found.bad_analysis:
            return f"{found.where}: {found.bad_analysis}"
    return ""


# --- the rings view's verdict ---------------------------------------------------------------------

DONE, READY, WAITING, FAILING, UNKNOWN = "done", "ready", "waiting", "failing", "unknown"


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str  # DONE, READY, BAKING, ROLLING, HOLDING, FAILING or UNKNOWN
    text: str  # "ring 2 may start", "ring 1 failing: analysis failed"
    ring: int | None = None  # the ring it is about (BAKING: the ring that may start; None: none left)
    until: datetime | None = None  # "ring 2 may start" at this instant

    def at(self, now: datetime, countdown: Callable[[float], str]) -> str:
        """The text with its deadline as a countdown (`countdown(seconds)` formats it)."""
        if self.until is None:
            return self.text
        left = (self.until - now).total_seconds()
        return f"{self.text} in {countdown(left)}" if left > 0 else f"{self.text} now"


def verdict(cells: Sequence[RingCell], target: Target | str, now: datetime) -> Verdict:
    """What the app's rings say to an operator deciding on the next ring: the first failure or
    hold, else the next ring to start (and from when), else done."""
    if isinstance(target, str):
        return Verdict(UNKNOWN, target)
    rings = [c for c in cells if not c.empty]
    if not rings:
        return Verdict(UNKNOWN, "in no ring")
    baking: Gate | None = None
    for cell in rings:
        name = f"ring {cell.index}"
        if not cell.at_target:
            if baking is not None:
                return Verdict(BAKING, f"{name} may start", cell.index, baking.until)
            return _next_ring(cell, target)
        gate = judge(cell, now)
        if gate.state == FAILED:
            return Verdict(FAILING, f"{name} failing: {gate.text}", cell.index)
        if gate.state == HOLDING:
            return Verdict(HOLDING, f"holding: {name} {gate.text}", cell.index)
        if gate.state == ROLLING:
            return Verdict(ROLLING, f"{name} {gate.text}", cell.index)
        if gate.state == BAKING and baking is None:
            baking = gate
    if baking is not None:  # no ring left to start: done once the last bake is over
        return Verdict(BAKING, f"every ring at {target.short}; bake ends", None, baking.until)
    return Verdict(DONE, f"every ring at {target.short}")


def _next_ring(cell: RingCell, target: Target) -> Verdict:
    name = f"ring {cell.index}"
    if cell.stale:
        return Verdict(HOLDING, f"holding: {name} stale ({cell.stale})", cell.index)
    if cell.read_only:
        return Verdict(HOLDING, f"holding: {name} read-only", cell.index)
    return Verdict(READY, f"{name} may start ({target.short})", cell.index)
