"""One ``list experiments`` row (pkg/kubectl-argo-rollouts/cmd/list/list_experiments.go)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.clock import Clock
from rollout_tui.model.durations import age, human_duration, parse_duration
from rollout_tui.model.fields import as_str, dig, parse_time

COMPLETED_PHASES = frozenset({"Successful", "Failed", "Error", "Inconclusive"})  # AnalysisPhase.Completed


@dataclass(frozen=True)
class ExperimentRow:
    namespace: str
    name: str
    status: str
    duration: str  # "-" without a (parsable) spec.duration
    remaining: str  # "-" unless running with time left
    age: str
    spec_duration: timedelta | None = None  # spec.duration, when it parses
    ends_at: datetime | None = None  # a running experiment: availableAt + spec.duration


def _go_duration(value: Any) -> timedelta | None:
    """time.ParseDuration: a unit is required (unlike a pause's DurationString), except for "0"."""
    if not isinstance(value, str) or not value or (re.fullmatch(r"[0-9]+", value) and value != "0"):
        return None
    return parse_duration(value)


def experiment_row(experiment: Any, clock: Clock) -> ExperimentRow:
    phase = as_str(dig(experiment, "status", "phase"))
    duration = remaining = "-"
    ends_at = None
    spec_duration = _go_duration(dig(experiment, "spec", "duration"))
    if spec_duration is not None:
        duration = human_duration(spec_duration)
        available = parse_time(dig(experiment, "status", "availableAt"))
        if phase not in COMPLETED_PHASES and available is not None:
            ends_at = available + spec_duration
            left = ends_at - clock.now()
            if left.total_seconds() > 0:
                remaining = human_duration(left)
    return ExperimentRow(
        namespace=as_str(dig(experiment, "metadata", "namespace")),
        name=as_str(dig(experiment, "metadata", "name")),
        status=phase,
        duration=duration,
        remaining=remaining,
        age=age(dig(experiment, "metadata", "creationTimestamp"), clock),
        spec_duration=spec_duration,
        ends_at=ends_at,
    )
