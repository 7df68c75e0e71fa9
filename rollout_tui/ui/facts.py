"""Facts about a Rollout object that the shell needs beyond the model's summary.

Pure functions over the Rollout dict: which step it is at, what the next step is, whether it
waits for a human. Used for quick filters, attention alerts and the confirmation texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rollout_tui.model.fields import as_dict, as_list, dig


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def canary_steps(rollout: dict) -> list[dict]:
    return [s for s in as_list(dig(rollout, "spec", "strategy", "canary", "steps")) if isinstance(s, dict)]


def strategy(rollout: dict) -> str:
    strategies = as_dict(dig(rollout, "spec", "strategy"))
    if "blueGreen" in strategies:
        return "BlueGreen"
    return "Canary" if "canary" in strategies else ""


def step_label(step: dict) -> str:
    """A step as an operator reads it: "pause", "pause 30s", "setWeight 60", "analysis"..."""
    if not step:
        return "?"
    kind, value = next(iter(step.items()))
    if kind == "setWeight":
        return f"setWeight {value}"
    if kind == "pause":
        duration = as_dict(value).get("duration")
        return f"pause {duration}" if duration not in (None, "") else "pause"
    if kind == "setCanaryScale":
        spec = as_dict(value)
        if "weight" in spec:
            return f"setCanaryScale weight {spec['weight']}"
        if "replicas" in spec:
            return f"setCanaryScale replicas {spec['replicas']}"
        return "setCanaryScale matchTrafficWeight"
    return kind


def current_step_index(rollout: dict) -> int | None:
    return _int(dig(rollout, "status", "currentStepIndex"))


def is_aborted(rollout: dict) -> bool:
    return dig(rollout, "status", "abort") is True


def pause_reasons(rollout: dict) -> tuple[str, ...]:
    return tuple(
        str(as_dict(c).get("reason", "")) for c in as_list(dig(rollout, "status", "pauseConditions"))
    )


def awaiting_promotion(rollout: dict) -> bool:
    """Paused until a human promotes: a blue-green pause, an indefinite canary pause step,
    or an inconclusive analysis. A timed pause resumes by itself and is not counted."""
    reasons = pause_reasons(rollout)
    if not reasons:
        return False
    if any(r in ("BlueGreenPause", "InconclusiveAnalysisRun", "InconclusiveExperiment") for r in reasons):
        return True
    if "CanaryPauseStep" in reasons:
        steps = canary_steps(rollout)
        index = current_step_index(rollout)
        if index is not None and 0 <= index < len(steps):
            pause = steps[index].get("pause")
            return not as_dict(pause).get("duration")
        return True
    return False


@dataclass(frozen=True)
class StepPosition:
    index: int | None  # None: no steps, or the rollout has not started them
    total: int

    def label(self, index: int | None = None) -> str:
        i = self.index if index is None else index
        return f"{i}/{self.total}" if i is not None else "-"


def step_position(rollout: dict) -> StepPosition:
    return StepPosition(current_step_index(rollout), len(canary_steps(rollout)))
