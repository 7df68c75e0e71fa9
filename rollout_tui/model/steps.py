"""The canary step list: what each step does and whether it is done, current or pending."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.clock import Clock
from rollout_tui.model.durations import parse_duration
from rollout_tui.model.fields import as_bool, as_dict, as_int, as_list, as_str, dig, is_set, parse_time
from rollout_tui.model.weights import canary_spec, canary_steps, current_step_index

DONE, CURRENT, PENDING = "done", "current", "pending"
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


@dataclass(frozen=True)
class StepInfo:
    index: int
    kind: str  # one of STEP_KINDS, or "invalid"
    description: str  # CanaryStepString: "setWeight: 20", "pause: 1h", "analysis" ...
    detail: str  # templates of an analysis/experiment step, "" otherwise
    state: str  # DONE, CURRENT or PENDING
    weight: int | None = None  # setWeight steps
    pause_duration: timedelta | None = None  # timed pauses
    indefinite_pause: bool = False  # pause without duration: waits for promotion
    remaining: timedelta | None = None  # current timed pause, once the controller paused


@dataclass(frozen=True)
class StepsInfo:
    steps: tuple[StepInfo, ...]
    current_index: int | None  # status.currentStepIndex
    aborted: bool
    complete: bool  # index past the last step

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def current(self) -> StepInfo | None:
        return next((s for s in self.steps if s.state == CURRENT), None)


def step_description(step: Mapping[str, Any]) -> tuple[str, str]:
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


def steps_info(rollout: Any, clock: Clock) -> StepsInfo | None:
    """None for rollouts that are not canaries or have no steps."""
    if canary_spec(rollout) is None:
        return None
    raw_steps = canary_steps(rollout)
    if not raw_steps:
        return None
    index = current_step_index(rollout)
    position = 0 if index is None else index
    pause_started = _canary_pause_start(rollout)
    steps = []
    for i, raw in enumerate(raw_steps):
        step = as_dict(raw)
        kind, description = step_description(step)
        state = DONE if i < position else CURRENT if i == position else PENDING
        duration = indefinite = None
        remaining = None
        if kind == "pause":
            raw_duration = as_dict(step.get("pause")).get("duration")
            duration = parse_duration(raw_duration) if raw_duration is not None else None
            indefinite = raw_duration is None
            if state == CURRENT and duration is not None and pause_started is not None:
                remaining = max(timedelta(0), pause_started + duration - clock.now())
        steps.append(
            StepInfo(
                index=i,
                kind=kind,
                description=description,
                detail=_templates(step, kind),
                state=state,
                weight=as_int(step.get("setWeight")) if kind == "setWeight" else None,
                pause_duration=duration,
                indefinite_pause=bool(indefinite),
                remaining=remaining,
            )
        )
    return StepsInfo(
        steps=tuple(steps),
        current_index=index,
        aborted=as_bool(dig(rollout, "status", "abort")),
        complete=position >= len(raw_steps),
    )


def _canary_pause_start(rollout: Any) -> datetime | None:
    for cond in as_list(dig(rollout, "status", "pauseConditions")):
        cond = as_dict(cond)
        if cond.get("reason") == "CanaryPauseStep":
            return parse_time(cond.get("startTime"))
    return None


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
