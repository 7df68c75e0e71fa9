"""Canary steps: what each step does (from the spec) and how far the rollout got through them.

`StepSpec` describes a step as written (CanaryStepString in the plugin's
pkg/kubectl-argo-rollouts/info/rollout_info.go). `steps_info` marks each one done, current, pending,
skipped or failed for the detail view; it needs the rollout's AnalysisRuns to tell an analysis
that passed from one a promote jumped over. Nothing here reads the clock: a timed pause's end is
`RolloutState.pause_ends_at`.

Steps are numbered by their index, as the plugin's "Step: N/M" (N = status.currentStepIndex) and
the controller's AnalysisRun names and `step-index` labels number them: "step 1/8" is the step at
index 1, which is the second one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rollout_tui.model.durations import parse_duration
from rollout_tui.model.fields import as_bool, as_dict, as_int, as_list, as_str, dig, is_set
from rollout_tui.model.ordering import time_key

if TYPE_CHECKING:
    from rollout_tui.model.analysis import AnalysisRunInfo

DONE, CURRENT, PENDING, SKIPPED, FAILED = "done", "current", "pending", "skipped", "failed"
FAILED_PHASES = ("Failed", "Error")
STEP_KINDS = (
    "setWeight",
    "pause",
    "experiment",
    "analysis",
    "setCanaryScale",
    "plugin",
    "setHeaderRoute",
    "setMirrorRoute",
)


@dataclass(frozen=True, slots=True)
class StepSpec:
    index: int
    kind: str  # one of STEP_KINDS, or "invalid"
    description: str  # CanaryStepString: "setWeight: 20", "pause: 1h", "analysis" ...
    detail: str  # templates of an analysis/experiment step, "" otherwise
    weight: int | None = None  # setWeight steps
    pause_duration: timedelta | None = None  # timed pauses
    indefinite: bool = False  # a pause without duration: waits for promotion

    @property
    def label(self) -> str:
        """The step as an operator reads it: "setWeight 20", "pause 30s", "pause", "analysis"."""
        if self.kind == "setWeight":
            return f"setWeight {self.weight}"
        if self.kind == "pause":
            return "pause" if self.indefinite else self.description.replace("pause: ", "pause ")
        if self.kind in ("analysis", "experiment"):
            return self.kind
        return self.description.replace(": ", " ")

    def numbered(self, count: int) -> str:
        """ "step 1/8 (pause 30s)": the position as the plugin counts it, and what the step does."""
        return f"step {self.index}/{count} ({self.label})"


@dataclass(frozen=True, slots=True)
class StepInfo:
    spec: StepSpec
    state: str  # DONE, CURRENT, PENDING, SKIPPED or FAILED
    run: str = ""  # the AnalysisRun that ran this analysis step, if any
    failure: str = ""  # FAILED: the metric that failed it and why ("success-rate: failed (3) > ...")


@dataclass(frozen=True, slots=True)
class StepsInfo:
    steps: tuple[StepInfo, ...]
    position: int  # currentStepIndex, unset counting as 0
    aborted: bool
    failed_at: int | None = None  # aborted by the analysis of this step (None: not, or not known)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def complete(self) -> bool:
        return not self.aborted and self.position >= len(self.steps)

    @property
    def current(self) -> StepInfo | None:
        if self.aborted:
            return None  # nothing runs until a retry, which starts again at step 0
        return self.steps[self.position] if 0 <= self.position < len(self.steps) else None


def step_spec(raw: Any, index: int) -> StepSpec:
    """One spec.strategy.canary.steps[] entry."""
    step = as_dict(raw)
    kind, description = _describe(step)
    duration: timedelta | None = None
    indefinite = False
    if kind == "pause":
        raw_duration = as_dict(step.get("pause")).get("duration")
        indefinite = raw_duration is None
        duration = parse_duration(raw_duration) if raw_duration is not None else None
    return StepSpec(
        index=index,
        kind=kind,
        description=description,
        detail=_templates(step, kind),
        weight=as_int(step.get("setWeight")) if kind == "setWeight" else None,
        pause_duration=duration,
        indefinite=indefinite,
    )


def _describe(step: Mapping[str, Any]) -> tuple[str, str]:
    """(kind, CanaryStepString) for one step."""
    if step.get("setWeight") is not None:
        return "setWeight", f"setWeight: {as_int(step.get('setWeight'))}"
    if is_set(step.get("pause")):
        duration = as_dict(step.get("pause")).get("duration")
        return "pause", "pause" if duration is None else f"pause: {as_str(duration)}"
    if is_set(step.get("experiment")):
        return "experiment", "experiment"
    if is_set(step.get("analysis")):
        return "analysis", "analysis"
    scale = step.get("setCanaryScale")
    if is_set(scale):
        scale = as_dict(scale)
        if scale.get("weight") is not None:
            return "setCanaryScale", f"setCanaryScale{{weight: {as_int(scale.get('weight'))}}}"
        if as_bool(scale.get("matchTrafficWeight")):
            return "setCanaryScale", "setCanaryScale{matchTrafficWeight: true}"
        if scale.get("replicas") is not None:
            return "setCanaryScale", f"setCanaryScale{{replicas: {as_int(scale.get('replicas'))}}}"
    for kind in ("plugin", "setHeaderRoute", "setMirrorRoute"):
        if is_set(step.get(kind)):
            return kind, f"{kind}: {as_str(as_dict(step.get(kind)).get('name'))}"
    return "invalid", "invalid"


def steps_info(
    rollout: Any, position: int, aborted: bool, runs: Sequence[AnalysisRunInfo] = ()
) -> StepsInfo | None:
    """The steps with their state; None for rollouts that are not canaries or have no steps.

    `runs` are the AnalysisRuns of the revision being rolled out. A passed analysis step is one
    whose run succeeded on its own; one the rollout moved past without that (a promote jumps over
    the analysis it is waiting for and the controller terminates the run, which then reports
    Successful "Run Terminated") was skipped. An abort sets currentStepIndex back to 0
    (syncRolloutStatusCanary in rollout/canary.go), so the step that failed is found from its
    run: the newest step run, when it failed, is what aborted the rollout (rollout/analysis.go
    aborts on a failed or errored step run).
    """
    if not is_set(dig(rollout, "spec", "strategy", "canary")):
        return None
    raw_steps = as_list(dig(rollout, "spec", "strategy", "canary", "steps"))
    if not raw_steps:
        return None
    by_step = _newest_by_step(runs)
    failed_at = _failed_step(by_step) if aborted else None
    reached = failed_at if failed_at is not None else position
    steps = []
    for index, raw in enumerate(raw_steps):
        spec = step_spec(raw, index)
        run = by_step.get(index)
        if index == failed_at and run is not None:
            steps.append(StepInfo(spec, FAILED, run.name, failure_reason(run)))
            continue
        if index < reached:
            state = _passed(spec, run)
        else:
            state = CURRENT if index == position and not aborted else PENDING
        steps.append(StepInfo(spec, state, run.name if run else ""))
    return StepsInfo(steps=tuple(steps), position=position, aborted=aborted, failed_at=failed_at)


def _run_order(run: AnalysisRunInfo) -> tuple[datetime, str]:
    # A retried step's run is named with a collision suffix (".1"), which also sorts later.
    return time_key(run.created), run.name


def _newest_by_step(runs: Sequence[AnalysisRunInfo]) -> dict[int, AnalysisRunInfo]:
    newest: dict[int, AnalysisRunInfo] = {}
    for run in sorted(runs, key=_run_order):
        if run.rollout_type == "Step" and run.step_index is not None:
            newest[run.step_index] = run
    return newest


def _failed_step(by_step: Mapping[int, AnalysisRunInfo]) -> int | None:
    if not by_step:
        return None
    index, run = max(by_step.items(), key=lambda item: _run_order(item[1]))
    return index if run.status in FAILED_PHASES else None


def _passed(spec: StepSpec, run: AnalysisRunInfo | None) -> str:
    """The state of a step the rollout has moved past."""
    if spec.kind != "analysis":
        return DONE
    if run is not None and run.status == "Successful" and not run.terminated:
        return DONE
    return FAILED if run is not None and run.status in FAILED_PHASES else SKIPPED


def failure_reason(run: AnalysisRunInfo) -> str:
    """Which metric failed `run` and why, in the controller's words."""
    for series in run.metrics:
        if series.phase in FAILED_PHASES:
            why = "; ".join(series.limit_breaches) or series.message or series.phase.lower()
            return f"{series.name}: {why}"
    return run.message or run.status.lower()


def _templates(step: Mapping[str, Any], kind: str) -> str:
    if kind == "analysis":
        return ",".join(
            as_str(as_dict(t).get("templateName")) for t in as_list(dig(step, "analysis", "templates"))
        )
    if kind == "experiment":
        return ",".join(
            f"{as_str(as_dict(t).get('name'))}:{as_str(as_dict(t).get('specRef'))}"
            for t in as_list(dig(step, "experiment", "templates"))
        )
    return ""
