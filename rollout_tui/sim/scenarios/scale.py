"""The "scale" scenario: a large fleet in steady state, plus optional churn.

`start_scale(store, clock, rollouts=10000, namespaces=200, churn=0)` seeds N Rollouts over M
namespaces (90% canary, 10% blue-green with their Services), each with its ReplicaSet and
Running pods already there, as a cluster that has been up for an hour would be. The controller's
first pass only fills in each rollout's status; after that an idle fleet costs nothing.

`churn` is operator activity in actions per wall-clock second (capped at MAX_CHURN), run by a
background thread: mostly `set image` (a canary walks its steps), some abort / retry / promote
/ restart, always with the plugin's exact patches. With a manual clock there is no thread; `poll()`
performs the actions due for the simulated time elapsed since the last call.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import timedelta
from typing import Any

from rollout_tui.sim.clock import rfc3339
from rollout_tui.sim.kubelet.status import pod_status
from rollout_tui.sim.naming import pod_template_hash, random_suffix, step_hash
from rollout_tui.sim.objects import DESIRED_REPLICAS_ANNOTATION, HASH_LABEL, REVISION_ANNOTATION
from rollout_tui.sim.scenarios import Scenario
from rollout_tui.sim.scenarios.churn import Churn

CANARY_STEPS = [
    {"setWeight": 25},
    {"pause": {"duration": "30s"}},
    {"setWeight": 75},
    {"pause": {"duration": "30s"}},
]
_TEAMS = ("payments", "search", "checkout", "identity", "media", "ads", "maps", "billing", "growth", "infra")
_APPS = (
    "api",
    "worker",
    "gateway",
    "indexer",
    "frontend",
    "scheduler",
    "cache",
    "ingest",
    "notifier",
    "export",
)


def start_scale(
    store: Any,
    clock: Any,
    *,
    name: str = "scale",
    rollouts: int = 10000,
    namespaces: int = 200,
    churn: float = 0.0,
    seed: int = 0,
    **_ignored: Any,
) -> Scenario:
    started = time.perf_counter()
    count = populate(store, clock, rollouts=int(rollouts), namespaces=int(namespaces), seed=seed)
    churner = Churn(store, clock, float(churn), seed=seed)
    churner.start()
    return Scenario(
        name=name,
        cluster=None,
        objects=count,
        background=churner,
        info={
            "rollouts": int(rollouts),
            "namespaces": int(namespaces),
            "churn": churner.rate,
            "seed_seconds": round(time.perf_counter() - started, 3),
        },
    )


def namespace_name(index: int) -> str:
    return f"{_TEAMS[index % len(_TEAMS)]}-{index:03d}"


def populate(store: Any, clock: Any, *, rollouts: int, namespaces: int, seed: int = 0) -> int:
    rng = random.Random(seed)
    now = clock.now()
    born = now - timedelta(hours=1)
    objects: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace_name(i)}}
        for i in range(max(namespaces, 1))
    ]
    for i in range(rollouts):
        objects += _rollout_objects(i, namespace_name(i % max(namespaces, 1)), rng, born)
    # Load in chunks so watchers and listeners are not handed one enormous batch.
    stored = 0
    for start in range(0, len(objects), 5000):
        stored += store.load(objects[start : start + 5000])
    return stored


def _rollout_objects(i: int, namespace: str, rng: random.Random, born: Any) -> list[dict[str, Any]]:
    name = f"{_APPS[i % len(_APPS)]}-{i:05d}"
    replicas = 1 + i % 3
    blue_green = i % 10 == 9
    labels: dict[str, str] = {"app": name, "team": namespace.rsplit("-", 1)[0]}
    template: dict[str, Any] = {
        "metadata": {"labels": dict(labels)},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": f"registry.example.com/{namespace}/{name}:1.0.0",
                    "ports": [{"containerPort": 8080}],
                }
            ]
        },
    }
    digest = pod_template_hash(template)
    ro_uid, rs_uid = str(uuid.UUID(int=rng.getrandbits(128))), str(uuid.UUID(int=rng.getrandbits(128)))
    created = rfc3339(born)
    if blue_green:
        strategy: dict[str, Any] = {
            "blueGreen": {"activeService": f"{name}-active", "autoPromotionSeconds": 30}
        }
        status: dict[str, Any] = {
            "currentPodHash": digest,
            "stableRS": digest,
            "observedGeneration": "1",
            "blueGreen": {"activeSelector": digest},
            "canary": {},
        }
    else:
        strategy = {"canary": {"steps": CANARY_STEPS}}
        status = {
            "currentPodHash": digest,
            "stableRS": digest,
            "currentStepIndex": len(CANARY_STEPS),
            "observedGeneration": "1",
            "currentStepHash": step_hash(strategy["canary"]),
            "canary": {},
            "blueGreen": {},
        }
    rollout = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": ro_uid,
            "labels": dict(labels),
            "annotations": {REVISION_ANNOTATION: "1"},
            "creationTimestamp": created,
            "generation": 1,
        },
        "spec": {
            "replicas": replicas,
            "revisionHistoryLimit": 2,
            "selector": {"matchLabels": dict(labels)},
            "template": template,
            "strategy": strategy,
        },
        "status": status,
    }
    rs_template = {"metadata": {"labels": {**labels, HASH_LABEL: digest}}, "spec": template["spec"]}
    rs_name = f"{name}-{digest}"
    owner = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "name": name,
        "uid": ro_uid,
        "controller": True,
        "blockOwnerDeletion": True,
    }
    replica_set = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": rs_name,
            "namespace": namespace,
            "uid": rs_uid,
            "creationTimestamp": created,
            "generation": 1,
            "labels": {**labels, HASH_LABEL: digest},
            "annotations": {REVISION_ANNOTATION: "1", DESIRED_REPLICAS_ANNOTATION: str(replicas)},
            "ownerReferences": [owner],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {**labels, HASH_LABEL: digest}},
            "template": rs_template,
        },
        "status": {
            "observedGeneration": 1,
            "replicas": replicas,
            "fullyLabeledReplicas": replicas,
            "readyReplicas": replicas,
            "availableReplicas": replicas,
        },
    }
    out: list[dict[str, Any]] = [rollout, replica_set]
    rs_owner = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": rs_name,
        "uid": rs_uid,
        "controller": True,
        "blockOwnerDeletion": True,
    }
    for _ in range(replicas):
        pod: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": f"{rs_name}-{random_suffix(rng)}",
                "namespace": namespace,
                "uid": str(uuid.UUID(int=rng.getrandbits(128))),
                "creationTimestamp": created,
                "labels": {**labels, HASH_LABEL: digest},
                "ownerReferences": [rs_owner],
                "generateName": f"{rs_name}-",
            },
            "spec": {
                **template["spec"],
                "nodeName": f"sim-node-{rng.randint(1, 50)}",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
            },
        }
        pod["status"], _next = pod_status(pod, born, born + timedelta(minutes=10))
        out.append(pod)
    if blue_green:
        out.append(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {
                    "name": f"{name}-active",
                    "namespace": namespace,
                    "annotations": {"argo-rollouts.argoproj.io/managed-by-rollouts": name},
                },
                "spec": {
                    "selector": {**labels, HASH_LABEL: digest},
                    "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
                },
            }
        )
    return out


def measure(
    rollouts: int = 10000,
    namespaces: int = 200,
    idle_seconds: float = 10.0,
    churn: float = 0.0,
    churn_seconds: float = 10.0,
) -> dict[str, Any]:
    """Figures for the closing report: seeding time, the controller's first pass and a full
    re-reconcile, CPU used while idle (and under churn), resident memory. Prints nothing."""
    import resource

    from rollout_tui.sim.clock import SimClock
    from rollout_tui.sim.controller import Controller
    from rollout_tui.sim.store import Store

    def cpu() -> float:
        return time.process_time()

    clock = SimClock()
    store = Store(clock=clock)
    figures: dict[str, Any] = {"rollouts": rollouts, "namespaces": namespaces}
    t0 = time.perf_counter()
    scenario = start_scale(store, clock, rollouts=rollouts, namespaces=namespaces)
    figures["seed_s"] = round(time.perf_counter() - t0, 2)
    figures["objects"] = scenario.objects
    t0 = time.perf_counter()
    controller = Controller(store, clock)
    figures["controller_init_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    steps = controller.drain()
    elapsed = time.perf_counter() - t0
    figures["first_pass_s"] = round(elapsed, 2)
    figures["first_pass_reconciles"] = steps
    rv = int(store.resource_version)
    t0 = time.perf_counter()
    steps = controller.reconcile_all()
    elapsed = time.perf_counter() - t0
    figures["full_pass_s"] = round(elapsed, 2)
    figures["full_pass_reconciles_per_s"] = round(steps / elapsed) if elapsed else None
    figures["full_pass_writes"] = int(store.resource_version) - rv
    controller.start()
    c0 = cpu()
    time.sleep(idle_seconds)
    figures["idle_cpu_percent"] = round(100 * (cpu() - c0) / idle_seconds, 2)
    figures["idle_timers"] = controller.pending_timers()
    if churn > 0:
        churner = Churn(store, clock, churn)
        before = sum(controller.stats.values())
        c0 = cpu()
        churner.start()
        time.sleep(churn_seconds)
        churner.stop()
        figures["churn_actions_per_s"] = round(churner.actions / churn_seconds, 1)
        figures["churn_cpu_percent"] = round(100 * (cpu() - c0) / churn_seconds, 1)
        figures["churn_reconciles_per_s"] = round((sum(controller.stats.values()) - before) / churn_seconds)
    controller.stop()
    figures["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figures["controller_errors"] = len(controller.errors)
    return figures


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(
        description="Measure the simulated controller on the scale fleet (JSON)."
    )
    parser.add_argument("--rollouts", type=int, default=10000)
    parser.add_argument("--namespaces", type=int, default=200)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--churn", type=float, default=0.0, help="actions per second to measure under churn")
    parser.add_argument("--churn-seconds", type=float, default=10.0)
    options = parser.parse_args()
    print(
        json.dumps(
            measure(
                options.rollouts,
                options.namespaces,
                options.idle_seconds,
                options.churn,
                options.churn_seconds,
            )
        )
    )
