"""Rollout conditions with the real controller's update rules (utils/conditions) and messages."""

from __future__ import annotations

from typing import Any

# Condition types
AVAILABLE = "Available"
PROGRESSING = "Progressing"
PAUSED = "Paused"
HEALTHY = "Healthy"
COMPLETED = "Completed"
INVALID_SPEC = "InvalidSpec"
REPLICA_FAILURE = "ReplicaFailure"

# Reasons and messages (argo-rollouts utils/conditions/conditions.go)
AVAILABLE_REASON = "AvailableReason"
AVAILABLE_MESSAGE = "Rollout has minimum availability"
NOT_AVAILABLE_MESSAGE = "Rollout does not have minimum availability"
RS_UPDATED = "ReplicaSetUpdated"
RS_PROGRESSING_MESSAGE = 'ReplicaSet "{}" is progressing.'
RS_NOT_AVAILABLE = "ReplicaSetNotAvailable"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
RS_COMPLETED_MESSAGE = 'ReplicaSet "{}" has successfully progressed.'
RS_TIMED_OUT_MESSAGE = 'ReplicaSet "{}" has timed out progressing.'
TIMED_OUT = "ProgressDeadlineExceeded"
ABORTED = "RolloutAborted"
ABORTED_MESSAGE = "Rollout aborted update to revision {}"
RETRY = "RolloutRetry"
RETRY_MESSAGE = "Retrying Rollout after abort"
PAUSED_REASON = "RolloutPaused"
PAUSED_MESSAGE = "Rollout is paused"
RESUMED = "RolloutResumed"
RESUMED_MESSAGE = "Rollout is resumed"
HEALTHY_REASON = "RolloutHealthy"
HEALTHY_MESSAGE = "Rollout is healthy"
NOT_HEALTHY_MESSAGE = "Rollout is not healthy"
COMPLETED_REASON = "RolloutCompleted"
NOT_COMPLETED_REASON = "RolloutNotCompleted"
INVALID_SPEC_REASON = "InvalidSpec"


def get(status: dict[str, Any], cond_type: str) -> dict[str, Any] | None:
    for cond in status.get("conditions") or []:
        if isinstance(cond, dict) and cond.get("type") == cond_type:
            return cond
    return None


def new(cond_type: str, status: str, reason: str, message: str, now: str) -> dict[str, Any]:
    return {
        "lastTransitionTime": now,
        "lastUpdateTime": now,
        "message": message,
        "reason": reason,
        "status": status,
        "type": cond_type,
    }


def set_condition(status: dict[str, Any], cond: dict[str, Any]) -> bool:
    """SetRolloutCondition: no-op when status, reason and message are unchanged; keeps the
    transition time when only reason/message change. Returns whether anything changed."""
    current = get(status, cond["type"])
    if current is not None and all(current.get(k) == cond[k] for k in ("status", "reason", "message")):
        return False
    if current is not None and current.get("status") == cond["status"]:
        cond = {**cond, "lastTransitionTime": current.get("lastTransitionTime", cond["lastTransitionTime"])}
    remove(status, cond["type"])
    status.setdefault("conditions", []).append(cond)
    return True


def remove(status: dict[str, Any], cond_type: str) -> None:
    conds = [
        c for c in status.get("conditions") or [] if not (isinstance(c, dict) and c.get("type") == cond_type)
    ]
    status["conditions"] = conds
