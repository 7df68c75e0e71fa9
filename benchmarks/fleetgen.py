"""Synthetic but realistic Argo Rollouts objects for the benchmarks (no files needed).

Each Rollout is shaped like a production canary rollout (~2 KB of JSON, labels, resources,
steps, conditions, a status the controller would have written) so list and watch sizes are
honest. ReplicaSets and pods carry owner references and pod-template-hash labels like the real
controller's, so the detail view builds a real revision tree from them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

BENCH_TS = "benchTs"  # status field the flood writes: server wall time of the change
CREATED = datetime.now(UTC) - timedelta(days=12)  # old objects: ages change rarely (quiet fleet)
TEAMS = ("checkout", "payments", "search", "catalog", "identity", "shipping", "ads", "media")


def _ts(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def pod_hash(name: str, revision: int = 1) -> str:
    return hashlib.sha1(f"{name}/{revision}".encode()).hexdigest()[:10]


def namespace_of(index: int, namespaces: int) -> str:
    return f"team-{index % namespaces:03d}"


def rollout(namespace: str, name: str, index: int = 0, paused: bool = False) -> dict[str, Any]:
    """A healthy (or paused at step 1) canary Rollout with the status its controller would write."""
    team = TEAMS[index % len(TEAMS)]
    rs_hash = pod_hash(name)
    conditions = [
        {
            "type": "Available",
            "status": "True",
            "reason": "AvailableReason",
            "message": "Rollout has minimum availability",
            "lastTransitionTime": _ts(CREATED),
            "lastUpdateTime": _ts(CREATED),
        },
        {
            "type": "Progressing",
            "status": "True",
            "reason": "NewReplicaSetAvailable",
            "message": f'ReplicaSet "{name}-{rs_hash}" has successfully progressed.',
            "lastTransitionTime": _ts(CREATED),
            "lastUpdateTime": _ts(CREATED),
        },
        {
            "type": "Healthy",
            "status": "True",
            "reason": "RolloutHealthy",
            "message": "Rollout is healthy",
            "lastTransitionTime": _ts(CREATED),
            "lastUpdateTime": _ts(CREATED),
        },
    ]
    status: dict[str, Any] = {
        "phase": "Healthy",
        "observedGeneration": "4",
        "replicas": 3,
        "updatedReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "currentPodHash": rs_hash,
        "stableRS": rs_hash,
        "currentStepIndex": 4,
        "currentStepHash": "5f8d9c7b6",
        "selector": f"app={name}",
        "conditions": conditions,
        "canary": {},
        "HPAReplicas": 3,
    }
    if paused:
        status.update(
            phase="Paused",
            message="CanaryPauseStep",
            currentStepIndex=1,
            pauseConditions=[{"reason": "CanaryPauseStep", "startTime": _ts(CREATED)}],
            controllerPause=True,
        )
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": f"bench-{hashlib.sha1(f'{namespace}/{name}'.encode()).hexdigest()[:24]}",
            "creationTimestamp": _ts(CREATED),
            "generation": 4,
            "labels": {"app": name, "team": team, "tier": "web" if index % 3 else "api"},
            "annotations": {"rollout.argoproj.io/revision": "1", "owner": f"{team}@example.com"},
        },
        "spec": {
            "replicas": 3,
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name, "team": team}},
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": f"registry.example.com/{team}/{name}:1.{index % 40}.0",
                            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                            "resources": {
                                "requests": {"cpu": "100m", "memory": "128Mi"},
                                "limits": {"cpu": "500m", "memory": "256Mi"},
                            },
                            "readinessProbe": {
                                "httpGet": {"path": "/healthz", "port": 8080},
                                "periodSeconds": 5,
                            },
                        }
                    ]
                },
            },
            "strategy": {
                "canary": {
                    "maxSurge": "25%",
                    "maxUnavailable": 0,
                    "steps": [
                        {"setWeight": 20},
                        {"pause": {}},
                        {"setWeight": 50},
                        {"pause": {"duration": "30s"}},
                    ],
                }
            },
        },
        "status": status,
    }


def fleet(count: int, namespaces: int, paused_every: int = 0) -> Iterator[dict[str, Any]]:
    for i in range(count):
        paused = bool(paused_every) and i % paused_every == 0
        yield rollout(namespace_of(i, namespaces), f"svc-{i:05d}", i, paused=paused)


def replicaset(owner: dict[str, Any], revision: int = 1, replicas: int = 3) -> dict[str, Any]:
    meta = owner["metadata"]
    name, namespace = meta["name"], meta["namespace"]
    rs_hash = pod_hash(name, revision)
    labels = dict(owner["spec"]["selector"]["matchLabels"], **{"rollouts-pod-template-hash": rs_hash})
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{name}-{rs_hash}",
            "namespace": namespace,
            "labels": labels,
            "uid": f"rs-{hashlib.sha1(f'{namespace}/{name}/{revision}'.encode()).hexdigest()[:24]}",
            "creationTimestamp": _ts(CREATED),
            "annotations": {"rollout.argoproj.io/revision": str(revision)},
            "ownerReferences": [
                {
                    "apiVersion": "argoproj.io/v1alpha1",
                    "kind": "Rollout",
                    "name": name,
                    "uid": meta["uid"],
                    "controller": True,
                }
            ],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": owner["spec"]["template"]["spec"]},
        },
        "status": {
            "replicas": replicas,
            "readyReplicas": replicas,
            "availableReplicas": replicas,
            "observedGeneration": 1,
        },
    }


def pod(rs: dict[str, Any], index: int) -> dict[str, Any]:
    meta = rs["metadata"]
    digest = hashlib.sha1(f"{meta['uid']}/{index}".encode()).hexdigest()
    name = f"{meta['name']}-{digest[:5]}"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": meta["namespace"],
            "labels": dict(meta["labels"]),
            "uid": f"pod-{digest[:24]}",
            "creationTimestamp": _ts(CREATED),
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": meta["name"],
                    "uid": meta["uid"],
                    "controller": True,
                }
            ],
        },
        "spec": {
            "containers": [
                {"name": "app", "image": rs["spec"]["template"]["spec"]["containers"][0]["image"]}
            ],
            "nodeName": f"node-{index % 7}",
        },
        "status": {
            "phase": "Running",
            "podIP": f"10.0.{index // 250 % 250}.{index % 250}",
            "startTime": _ts(CREATED),
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [
                {
                    "name": "app",
                    "ready": True,
                    "restartCount": 0,
                    "state": {"running": {"startedAt": _ts(CREATED)}},
                }
            ],
        },
    }


def rollout_family(namespace: str, name: str) -> list[dict[str, Any]]:
    """One rollout with two revisions' ReplicaSets and three pods on the stable one."""
    ro = rollout(namespace, name)
    old, stable = replicaset(ro, 1, replicas=0), replicaset(ro, 2)
    ro["status"].update(currentPodHash=pod_hash(name, 2), stableRS=pod_hash(name, 2))
    ro["metadata"]["annotations"]["rollout.argoproj.io/revision"] = "2"
    return [ro, old, stable, *(pod(stable, i) for i in range(3))]


def unrelated(namespace: str, count: int) -> Iterator[dict[str, Any]]:
    """``count`` ReplicaSets and ``count`` pods owned by other workloads (not matching any rollout)."""
    for i in range(count):
        owner = rollout(namespace, f"other-{i:05d}", i)
        rs = replicaset(owner)
        rs["metadata"]["ownerReferences"][0].update(kind="Deployment", apiVersion="apps/v1")
        yield rs
        yield pod(rs, i)


def motion_fleet(count: int) -> list[dict[str, Any]]:
    """``count`` fresh canary rollouts (no status: the simulated controller brings them up) whose
    steps all have durations, so a new image walks through them without anyone promoting."""
    out = []
    for i in range(count):
        ro = rollout("motion", f"web-{i:02d}", i)
        ro.pop("status")
        for key in ("uid", "creationTimestamp", "generation"):
            ro["metadata"].pop(key)
        ro["spec"]["strategy"]["canary"]["steps"] = [
            {"setWeight": 25},
            {"pause": {"duration": "3s"}},
            {"setWeight": 50},
            {"pause": {"duration": "3s"}},
            {"setWeight": 75},
            {"pause": {"duration": "3s"}},
        ]
        out.append(ro)
    return out


def promotable(namespace: str, name: str) -> dict[str, Any]:
    """A fresh canary rollout whose second step is an indefinite pause: after a new image it waits
    for a promote (the action figure's target)."""
    ro = rollout(namespace, name)
    ro.pop("status")
    for key in ("uid", "creationTimestamp", "generation"):
        ro["metadata"].pop(key)
    ro["spec"]["strategy"]["canary"]["steps"] = [
        {"setWeight": 25},
        {"pause": {}},
        {"setWeight": 75},
        {"pause": {"duration": "2s"}},
    ]
    return ro
