"""A fleet with one rollout in each state an operator must tell apart at a glance, written by hand.

Every attention level and reason of model.attention is here (failing: aborted, Degraded; stuck;
waiting: indefinite pause, blue-green without auto-promotion, inconclusive analysis, paused by
hand; auto: timed pause, auto-promotion, analysis running, progressing; ok), with status blocks as
the controller writes them, so the overview can be checked against `attention()` row by row. The
app runs with `GLANCE_CLOCK`: countdowns are exact ("pause ends in 4m12s").
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from rollout_tui.model.clock import FixedClock

NOW = datetime(2026, 3, 2, 14, 0, 0, tzinfo=UTC)
GLANCE_CLOCK = FixedClock(NOW)
STEPS = [
    {"setWeight": 20},
    {"pause": {"duration": "30s"}},
    {"setWeight": 40},
    {"pause": {}},
    {"setWeight": 60},
    {"pause": {"duration": "5m"}},
    {"analysis": {"templates": [{"templateName": "success-rate"}]}},
    {"setWeight": 80},
]


def stamp(seconds_ago: float) -> str:
    return (NOW - timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def rollout(name: str, namespace: str, strategy: dict[str, Any], status: dict[str, Any], **spec: Any) -> dict:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": f"uid-{namespace}-{name}",
            "creationTimestamp": stamp(3 * 86400),
            "annotations": {"rollout.argoproj.io/revision": "3"},
        },
        "spec": {
            "replicas": 4,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": "argoproj/rollouts-demo:green"}]},
            },
            "strategy": strategy,
            **spec,
        },
        "status": {
            "currentPodHash": "6f8d9c7b5",
            "stableRS": "5c4b3a291",
            "replicas": 4,
            "updatedReplicas": 1,
            "readyReplicas": 4,
            "availableReplicas": 4,
            **status,
        },
    }


def canary(name: str, namespace: str, step: int, **status: Any) -> dict:
    return rollout(name, namespace, {"canary": {"steps": STEPS}}, {"currentStepIndex": step, **status})


def paused(reason: str, seconds_ago: float) -> dict[str, Any]:
    return {"pauseConditions": [{"reason": reason, "startTime": stamp(seconds_ago)}], "controllerPause": True}


def blue_green(name: str, namespace: str, auto_promotion: int | None, **status: Any) -> dict:
    strategy: dict[str, Any] = {"activeService": f"{name}-active", "previewService": f"{name}-preview"}
    if auto_promotion is None:
        strategy["autoPromotionEnabled"] = False
    else:
        strategy["autoPromotionSeconds"] = auto_promotion
    return rollout(name, namespace, {"blueGreen": strategy}, status)


ABORTED_MESSAGE = (
    'RolloutAborted: Rollout aborted update to revision 3: Metric "error-rate" assessed Failed due to '
    "failed (1) > failureLimit (0)"
)


def glance_rollouts() -> list[dict]:
    """Twelve rollouts, worst first as the default sort orders them (ties by namespace, name)."""
    by_hand = canary("search-api", "search", 2, phase="Paused", message="manually paused")
    by_hand["spec"]["paused"] = True
    return [
        canary(
            "ledger", "payments", 6, phase="Degraded", message=ABORTED_MESSAGE, abort=True, updatedReplicas=0
        ),
        canary(
            "cart",
            "shop",
            2,
            phase="Degraded",
            message='ProgressDeadlineExceeded: ReplicaSet "cart-6f8d9c7b5" has timed out progressing.',
            readyReplicas=3,
        ),
        canary(
            "uploader",
            "media",
            0,
            phase="Progressing",
            message="more replicas need to be updated",
            conditions=[{"type": "Progressing", "status": "True", "lastUpdateTime": stamp(900)}],
            readyReplicas=3,
        ),
        canary(
            "fraud-model",
            "payments",
            6,
            phase="Paused",
            message="InconclusiveAnalysisRun",
            pauseConditions=[{"reason": "InconclusiveAnalysisRun", "startTime": stamp(120)}],
            controllerPause=True,
            canary={"currentStepAnalysisRunStatus": {"name": "fraud-1", "status": "Inconclusive"}},
        ),
        by_hand,
        canary(
            "checkout", "shop", 3, phase="Paused", message="CanaryPauseStep", **paused("CanaryPauseStep", 300)
        ),
        blue_green(
            "storefront",
            "shop",
            None,
            phase="Paused",
            message="BlueGreenPause",
            **paused("BlueGreenPause", 60),
        ),
        blue_green(
            "config-api",
            "platform",
            60,
            phase="Paused",
            message="BlueGreenPause",
            **paused("BlueGreenPause", 35),
        ),
        canary(
            "gateway",
            "platform",
            6,
            phase="Progressing",
            message="more replicas need to be updated",
            canary={"currentStepAnalysisRunStatus": {"name": "gateway-1", "status": "Running"}},
        ),
        canary(
            "indexer", "search", 5, phase="Paused", message="CanaryPauseStep", **paused("CanaryPauseStep", 48)
        ),
        canary("auth", "platform", 8, phase="Healthy", updatedReplicas=4, stableRS="6f8d9c7b5"),
        blue_green("notifications", "platform", 30, phase="Healthy", stableRS="6f8d9c7b5"),
    ]


def write_glance_fleet(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "glance.yaml"
    path.write_text(yaml.safe_dump_all(glance_rollouts(), sort_keys=False), encoding="utf-8")
    return directory
