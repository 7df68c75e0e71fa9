"""One rollout's state, computed once per object version: every screen, guard and command reads it.

`rollout_state(rollout)` is the single place where step, weights, status, pauses and what waits for
a human are derived from a Rollout object (as NewRolloutInfo in the plugin's
pkg/kubectl-argo-rollouts/info/rollout_info.go and GetRolloutPhase in utils/rollout/rolloututil.go
compute them). The value is frozen and does not depend on the clock: instants are kept as
deadlines (pause end, auto-promotion, progress deadline) and turned into countdowns by whoever
shows them, so a state stays valid until the object changes.

The only fact a Rollout object does not hold is the canary ReplicaSet's available replicas, which
the plugin uses for the actual weight of a canary without traffic routing. The overview watches
Rollouts alone, so there the weight is estimated from the rollout's replica counts (and marked as
an estimate); the detail, which watches the ReplicaSets, passes `canary_available` and gets the
plugin's exact figure. Both go through the same function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.fields import (
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_str,
    desired_replicas,
    dig,
    is_set,
    parse_time,
)
from rollout_tui.model.icons import rollout_status_kind
from rollout_tui.model.node import identity
from rollout_tui.model.replicasets import parse_revision
from rollout_tui.model.status import generation_observed, rollout_status
from rollout_tui.model.steps import StepSpec, step_spec
from rollout_tui.model.weights import (
    canary_steps,
    current_step_index,
    max_traffic_weight,
    set_weight,
    step_position,
)

CANARY, BLUE_GREEN = "Canary", "BlueGreen"
DEFAULT_PROGRESS_DEADLINE = 600  # seconds, the CRD's default for spec.progressDeadlineSeconds
# Pauses that only a human (or a promote) ends; a timed canary pause or an auto-promoting blue-green
# pause carries on by itself.
HUMAN_PAUSES = frozenset({"InconclusiveAnalysisRun", "InconclusiveExperiment"})


@dataclass(frozen=True, slots=True)
class Replicas:
    desired: int  # spec.replicas (default 1)
    current: int  # status.replicas
    updated: int
    ready: int
    available: int


@dataclass(frozen=True, slots=True)
class AnalysisPhases:
    """The AnalysisRun phases the rollout's status reports ("" when none)."""

    step: str  # status.canary.currentStepAnalysisRunStatus.status
    background: str  # status.canary.currentBackgroundAnalysisRunStatus.status
    pre_promotion: str  # status.blueGreen.prePromotionAnalysisRunStatus.status
    post_promotion: str  # status.blueGreen.postPromotionAnalysisRunStatus.status


@dataclass(frozen=True, slots=True)
class RolloutState:
    """What rollout-tui knows about one Rollout at one resourceVersion."""

    namespace: str
    name: str
    uid: str
    resource_version: str
    generation: int
    created: datetime | None
    labels: tuple[tuple[str, str], ...]
    revision: int  # annotation rollout.argoproj.io/revision (0 when absent)
    strategy: str  # CANARY, BLUE_GREEN or "" (neither)
    status: str  # Healthy, Degraded, Paused, Progressing (or whatever status.phase says)
    message: str
    icon_kind: str  # semantic status kind for glyphs and colours (model.icons)
    step_index: int | None  # status.currentStepIndex as written; None when unset
    step_count: int  # canary steps in the spec
    current_step: StepSpec | None  # the step the rollout is at; None when complete or without steps
    next_step: StepSpec | None  # the step a promote moves to; None when it completes the steps
    set_weight: int | None  # canary only: the weight the current step asks for
    actual_weight: int | None  # canary only: the weight traffic has (or is estimated to have)
    actual_weight_estimated: bool  # derived from the rollout's replica counts, not the ReplicaSets/router
    weights_verified: bool | None  # status.canary.weights.verified (None when not reported)
    max_weight: int  # 100, or trafficRouting.maxTrafficWeight
    traffic_routed: bool
    paused_by_hand: bool  # spec.paused
    pause_reasons: tuple[str, ...]  # status.pauseConditions[].reason, in order
    pause_started: datetime | None  # startTime of the first pause condition
    pause_ends_at: datetime | None  # a timed canary pause: when the controller resumes by itself
    auto_promote_at: datetime | None  # blue-green autoPromotionSeconds: when it promotes by itself
    controller_pause: bool
    aborted: bool
    promote_full: bool
    analysis: AnalysisPhases
    replicas: Replicas
    current_pod_hash: str
    stable_rs: str
    active_selector: str  # blue-green status.blueGreen.activeSelector
    preview_selector: str
    containers: tuple[tuple[str, str], ...]  # (name, image) of the pod template's containers, in order
    workload_ref: str  # "Kind/name" of spec.workloadRef, "" when none
    progressing_since: datetime | None  # lastUpdateTime of the Progressing condition
    progress_deadline: int  # spec.progressDeadlineSeconds
    healthy_since: datetime | None  # lastTransitionTime of the Healthy condition while it is True
    spec_observed: bool  # the controller has seen this generation (its status is about this spec)

    @property
    def images(self) -> tuple[str, ...]:
        """The pod template's container images (empty with a workloadRef)."""
        return tuple(image for _, image in self.containers)

    @property
    def key(self) -> tuple[str, str]:
        return self.namespace, self.name

    @property
    def target(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def step_label(self) -> str:
        """The plugin's "N/M" (currentStepIndex / number of steps), "" when either is missing."""
        return (
            f"{self.step_index}/{self.step_count}" if self.step_index is not None and self.step_count else ""
        )

    @property
    def step_position(self) -> int:
        """Where the rollout is in its steps: currentStepIndex, unset counting as 0 (GetCurrentCanaryStep)."""
        return step_position(self.step_index, self.step_count)

    @property
    def steps_complete(self) -> bool:
        return self.step_count > 0 and self.step_position >= self.step_count

    @property
    def fully_promoted(self) -> bool:
        return bool(self.current_pod_hash) and self.current_pod_hash == self.stable_rs

    @property
    def awaiting_promotion(self) -> bool:
        """Waiting for a human: an indefinite canary pause, a blue-green pause without
        auto-promotion, or an inconclusive analysis/experiment."""
        if any(reason in HUMAN_PAUSES for reason in self.pause_reasons):
            return True
        if "BlueGreenPause" in self.pause_reasons:
            return self.auto_promote_at is None
        if "CanaryPauseStep" in self.pause_reasons:
            return self.current_step is None or (
                self.current_step.kind == "pause" and self.current_step.indefinite
            )
        return False

    @property
    def paused(self) -> bool:
        """Paused by hand or by the controller (what the stale-view guard calls paused)."""
        return self.paused_by_hand or bool(self.pause_reasons)

    def stuck_at(self) -> datetime | None:
        """When the rollout counts as stuck (no progress for progressDeadlineSeconds), if it is progressing."""
        if self.status != "Progressing" or self.progressing_since is None or self.paused:
            return None
        return self.progressing_since + timedelta(seconds=self.progress_deadline)


def rollout_state(rollout: Any, canary_available: int | None = None) -> RolloutState:
    """The state of one Rollout object (malformed fields degrade to neutral values); `canary_available`:
    the canary ReplicaSet's available replicas when known, for the plugin's exact actual weight."""
    meta = as_dict(dig(rollout, "metadata"))
    spec = as_dict(dig(rollout, "spec"))
    status = as_dict(dig(rollout, "status"))
    strategy_spec = as_dict(spec.get("strategy"))
    strategy = _strategy(strategy_spec)
    phase, message = rollout_status(rollout)
    index, count, current, following = _steps(rollout, strategy)
    pause_reasons, pause_started = _pauses(status)
    routed = is_set(dig(strategy_spec, "canary", "trafficRouting"))
    weight, actual, estimated = _weights(
        rollout, status, strategy, current is not None, routed, canary_available
    )
    return RolloutState(
        **identity(rollout),
        resource_version=as_str(meta.get("resourceVersion")),
        generation=as_int(meta.get("generation")),
        labels=tuple((as_str(k), as_str(v)) for k, v in as_dict(meta.get("labels")).items()),
        revision=parse_revision(rollout),
        strategy=strategy,
        status=phase,
        message=message,
        icon_kind=rollout_status_kind(phase),
        step_index=index,
        step_count=count,
        current_step=current,
        next_step=following,
        set_weight=weight,
        actual_weight=actual,
        actual_weight_estimated=estimated,
        weights_verified=_verified(status),
        max_weight=max_traffic_weight(rollout),
        traffic_routed=routed,
        paused_by_hand=as_bool(spec.get("paused")),
        pause_reasons=pause_reasons,
        pause_started=pause_started,
        pause_ends_at=_pause_end(current, pause_reasons, pause_started),
        auto_promote_at=_auto_promote_at(strategy_spec, pause_reasons, pause_started),
        controller_pause=as_bool(status.get("controllerPause")),
        aborted=as_bool(status.get("abort")),
        promote_full=as_bool(status.get("promoteFull")),
        analysis=_analysis(status),
        replicas=_replicas(spec, status),
        current_pod_hash=as_str(status.get("currentPodHash")),
        stable_rs=as_str(status.get("stableRS")),
        active_selector=as_str(dig(status, "blueGreen", "activeSelector")),
        preview_selector=as_str(dig(status, "blueGreen", "previewSelector")),
        containers=_containers(spec),
        workload_ref=_workload_ref(spec),
        progressing_since=_progressing_since(status),
        progress_deadline=_progress_deadline(spec),
        healthy_since=_healthy_since(status),
        spec_observed=generation_observed(rollout),
    )


def _strategy(strategy: Mapping[str, Any]) -> str:
    if is_set(strategy.get("canary")):
        return CANARY
    return BLUE_GREEN if is_set(strategy.get("blueGreen")) else ""


def _replicas(spec: Mapping[str, Any], status: Mapping[str, Any]) -> Replicas:
    return Replicas(
        desired=desired_replicas(spec),
        current=as_int(status.get("replicas")),
        updated=as_int(status.get("updatedReplicas")),
        ready=as_int(status.get("readyReplicas")),
        available=as_int(status.get("availableReplicas")),
    )


def _analysis(status: Mapping[str, Any]) -> AnalysisPhases:
    def phase(*path: str) -> str:
        return as_str(dig(status, *path, "status"))

    return AnalysisPhases(
        step=phase("canary", "currentStepAnalysisRunStatus"),
        background=phase("canary", "currentBackgroundAnalysisRunStatus"),
        pre_promotion=phase("blueGreen", "prePromotionAnalysisRunStatus"),
        post_promotion=phase("blueGreen", "postPromotionAnalysisRunStatus"),
    )


def _steps(rollout: Any, strategy: str) -> tuple[int | None, int, StepSpec | None, StepSpec | None]:
    """(currentStepIndex, number of steps, the current step, the next one)."""
    steps = canary_steps(rollout) if strategy == CANARY else []
    index = current_step_index(rollout)
    position = step_position(index, len(steps))
    current = step_spec(steps[position], position) if 0 <= position < len(steps) else None
    following = step_spec(steps[position + 1], position + 1) if 0 <= position + 1 < len(steps) else None
    return index, len(steps), current, following


def _weights(
    rollout: Any,
    status: Mapping[str, Any],
    strategy: str,
    has_step: bool,
    routed: bool,
    canary_available: int | None,
) -> tuple[int | None, int | None, bool]:
    """(set weight, actual weight, estimated) of a canary; no weights for other strategies."""
    if strategy != CANARY:
        return None, None, False
    actual, estimated = _actual_weight(rollout, status, has_step, routed, canary_available)
    return set_weight(rollout), actual, estimated


def _actual_weight(
    rollout: Any, status: Mapping[str, Any], has_step: bool, routed: bool, canary_available: int | None
) -> tuple[int, bool]:
    """(weight, estimated), in the plugin's order of cases (rollout_info.go, ActualWeight)."""
    # Past the last step the canary *is* the stable: it serves the maximum weight even though the
    # controller's reported canary weight has gone back to 0.
    if not has_step:
        return max_traffic_weight(rollout), False
    available = as_int(status.get("availableReplicas"))
    if available <= 0:
        return 0, False
    if routed:
        weights = dig(status, "canary", "weights")
        if is_set(weights):
            return as_int(dig(weights, "canary", "weight")), False
        return set_weight(rollout), False
    if canary_available is not None:
        return _go_div(canary_available * max_traffic_weight(rollout), available), False
    # Basic canary without its ReplicaSets at hand: updated replicas approximate its available pods.
    canary_pods = min(as_int(status.get("updatedReplicas")), available)
    return _go_div(canary_pods * max_traffic_weight(rollout), available), True


def _go_div(a: int, b: int) -> int:
    """Go integer division truncates toward zero."""
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient


def _pauses(status: Mapping[str, Any]) -> tuple[tuple[str, ...], datetime | None]:
    conditions = [as_dict(c) for c in as_list(status.get("pauseConditions"))]
    reasons = tuple(as_str(c.get("reason")) for c in conditions)
    started = parse_time(conditions[0].get("startTime")) if conditions else None
    return reasons, started


def _pause_end(
    current: StepSpec | None, reasons: tuple[str, ...], started: datetime | None
) -> datetime | None:
    if current is None or current.kind != "pause" or current.pause_duration is None:
        return None
    if "CanaryPauseStep" not in reasons or started is None:
        return None
    return started + current.pause_duration


def _auto_promote_at(
    strategy: Mapping[str, Any], reasons: tuple[str, ...], started: datetime | None
) -> datetime | None:
    seconds = as_int(dig(strategy, "blueGreen", "autoPromotionSeconds"))
    if "BlueGreenPause" not in reasons or started is None or seconds <= 0:
        return None
    return started + timedelta(seconds=seconds)


def _verified(status: Mapping[str, Any]) -> bool | None:
    value = dig(status, "canary", "weights", "verified")
    return value if isinstance(value, bool) else None


def _workload_ref(spec: Mapping[str, Any]) -> str:
    ref = spec.get("workloadRef")
    if not is_set(ref):
        return ""
    return f"{as_str(as_dict(ref).get('kind'))}/{as_str(as_dict(ref).get('name'))}"


def _progressing_since(status: Mapping[str, Any]) -> datetime | None:
    for cond in as_list(status.get("conditions")):
        cond = as_dict(cond)
        if cond.get("type") == "Progressing":
            return parse_time(cond.get("lastUpdateTime")) or parse_time(cond.get("lastTransitionTime"))
    return None


def _containers(spec: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (as_str(as_dict(c).get("name")), as_str(as_dict(c).get("image")))
        for c in as_list(dig(spec, "template", "spec", "containers"))
    )


def _healthy_since(status: Mapping[str, Any]) -> datetime | None:
    """Since when the controller has called the rollout healthy (conditions.RolloutHealthy in
    utils/conditions/conditions.go): what a ring's bake time counts from."""
    for cond in as_list(status.get("conditions")):
        cond = as_dict(cond)
        if cond.get("type") == "Healthy":
            return parse_time(cond.get("lastTransitionTime")) if cond.get("status") == "True" else None
    return None


def _progress_deadline(spec: Mapping[str, Any]) -> int:
    return as_int(spec.get("progressDeadlineSeconds"), DEFAULT_PROGRESS_DEADLINE) or DEFAULT_PROGRESS_DEADLINE
