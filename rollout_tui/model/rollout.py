"""Everything `get rollout` shows, and more, as one immutable view model (NewRolloutInfo)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.model.analysis import AnalysisRunInfo, analysisrun_infos
from rollout_tui.model.bluegreen import BlueGreenInfo, bluegreen_info
from rollout_tui.model.clock import Clock
from rollout_tui.model.durations import age
from rollout_tui.model.experiments import ExperimentInfo, experiment_infos
from rollout_tui.model.fields import (
    annotations,
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_str,
    desired_replicas,
    dig,
    is_set,
    labels,
    parse_time,
)
from rollout_tui.model.icons import rollout_status_kind
from rollout_tui.model.images import ImageInfo, merge_image
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.replicasets import ReplicaSetInfo, replicaset_infos
from rollout_tui.model.status import rollout_status
from rollout_tui.model.steps import StepsInfo, steps_info
from rollout_tui.model.validate import object_warnings
from rollout_tui.model.weights import actual_weight, set_weight, step_label


@dataclass(frozen=True)
class ContainerInfo:
    name: str
    image: str


@dataclass(frozen=True)
class RevisionInfo:
    revision: int
    replicasets: tuple[ReplicaSetInfo, ...]
    experiments: tuple[ExperimentInfo, ...]
    analysisruns: tuple[AnalysisRunInfo, ...]


@dataclass(frozen=True)
class RolloutInfo:
    name: str
    namespace: str
    uid: str
    created: datetime | None
    age: str
    status: str
    message: str
    icon_kind: str
    strategy: str  # "Canary", "BlueGreen" or ""
    step: str  # "N/M" or ""
    set_weight: str  # canary only, else ""
    actual_weight: str
    desired: int
    current: int
    updated: int
    ready: int
    available: int
    images: tuple[ImageInfo, ...]
    containers: tuple[ContainerInfo, ...]
    init_containers: tuple[ContainerInfo, ...]
    replicasets: tuple[ReplicaSetInfo, ...]
    experiments: tuple[ExperimentInfo, ...]
    analysisruns: tuple[AnalysisRunInfo, ...]
    revisions: tuple[RevisionInfo, ...]
    steps: StepsInfo | None
    bluegreen: BlueGreenInfo | None
    paused: bool  # spec.paused
    aborted: bool
    pause_reasons: tuple[str, ...]
    restarted_at: str  # "Never" when never restarted
    generation: int
    observed_generation: str
    current_pod_hash: str
    stable_rs: str
    workload_ref: str  # "Kind/name" of spec.workloadRef, "" when none
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]


def rollout_info(rollout: Any, related: ObjectSet, clock: Clock) -> RolloutInfo:
    """Build the view of one Rollout from it and the objects of its namespace in `related`."""
    warnings: list[str] = []
    meta = as_dict(dig(rollout, "metadata"))
    namespace = as_str(meta.get("namespace"))
    uid = as_str(meta.get("uid"))
    spec = as_dict(dig(rollout, "spec"))
    status = as_dict(dig(rollout, "status"))
    strategy = as_dict(spec.get("strategy"))

    replicasets = replicaset_infos(
        uid, rollout, related.of_kind("ReplicaSet", namespace), related.of_kind("Pod", namespace), clock
    )
    experiments = experiment_infos(uid, related, namespace, clock)
    runs = analysisrun_infos(uid, related.of_kind("AnalysisRun", namespace), clock, warnings)
    for exp in experiments:
        warnings.extend(exp.warnings)
    shown = _shown_uids(replicasets, experiments, runs)
    warnings[:0] = _shape_warnings(
        rollout,
        [
            (kind, related.of_kind(kind, namespace))
            for kind in ("ReplicaSet", "Pod", "Experiment", "AnalysisRun")
        ],
        shown,
    )

    strategy_name, step, weight, actual = "", "", "", ""
    if is_set(strategy.get("canary")):
        strategy_name = "Canary"
        step = step_label(rollout) or ""
        weight = str(set_weight(rollout))
        canary_available = None
        for rs in replicasets:  # Go keeps the last canary ReplicaSet it sees
            if rs.canary:
                canary_available = rs.available
        actual = actual_weight(rollout, canary_available)
    elif is_set(strategy.get("blueGreen")):
        strategy_name = "BlueGreen"

    phase, message = rollout_status(rollout)  # shape problems are reported by _shape_warnings
    workload = _workload(rollout, related, namespace, warnings)
    template_spec = as_dict(dig(workload if workload is not None else rollout, "spec", "template", "spec"))
    restarted = status.get("restartedAt")

    return RolloutInfo(
        name=as_str(meta.get("name")),
        namespace=namespace,
        uid=uid,
        created=parse_time(meta.get("creationTimestamp")),
        age=age(meta.get("creationTimestamp"), clock),
        status=phase,
        message=message,
        icon_kind=rollout_status_kind(phase),
        strategy=strategy_name,
        step=step,
        set_weight=weight,
        actual_weight=actual,
        desired=desired_replicas(spec),
        current=as_int(status.get("replicas")),
        updated=as_int(status.get("updatedReplicas")),
        ready=as_int(status.get("readyReplicas")),
        available=as_int(status.get("availableReplicas")),
        images=_images(replicasets, experiments),
        containers=_containers(template_spec.get("containers")),
        init_containers=_containers(template_spec.get("initContainers")),
        replicasets=replicasets,
        experiments=experiments,
        analysisruns=runs,
        revisions=_revisions(replicasets, experiments, runs),
        steps=steps_info(rollout, clock),
        bluegreen=bluegreen_info(rollout, replicasets, clock),
        paused=as_bool(spec.get("paused")),
        aborted=as_bool(status.get("abort")),
        pause_reasons=tuple(as_str(as_dict(c).get("reason")) for c in as_list(status.get("pauseConditions"))),
        restarted_at=as_str(restarted) if restarted else "Never",
        generation=as_int(meta.get("generation")),
        observed_generation=as_str(status.get("observedGeneration")),
        current_pod_hash=as_str(status.get("currentPodHash")),
        stable_rs=as_str(status.get("stableRS")),
        workload_ref=_workload_ref(spec),
        labels=_pairs(labels(rollout)),
        annotations=_pairs(annotations(rollout)),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _shown_uids(
    replicasets: tuple[ReplicaSetInfo, ...],
    experiments: tuple[ExperimentInfo, ...],
    runs: tuple[AnalysisRunInfo, ...],
) -> set[str]:
    uids: set[str] = set()
    for rs in (*replicasets, *(r for e in experiments for r in e.replicasets)):
        uids.add(rs.uid)
        uids.update(p.uid for p in rs.pods)
    uids.update(e.uid for e in experiments)
    uids.update(r.uid for r in (*runs, *(r for e in experiments for r in e.analysisruns)))
    uids.discard("")
    return uids


def _images(
    replicasets: tuple[ReplicaSetInfo, ...], experiments: tuple[ExperimentInfo, ...]
) -> tuple[ImageInfo, ...]:
    """Images(): running images tagged canary/stable/active/preview/ping/pong, then experiments'."""
    images: list[ImageInfo] = []
    for rs in replicasets:
        if rs.replicas <= 0:
            continue
        tags = tuple(
            tag
            for tag, on in (
                ("canary", rs.canary),
                ("stable", rs.stable),
                ("active", rs.active),
                ("preview", rs.preview),
                ("ping", rs.ping),
                ("pong", rs.pong),
            )
            if on
        )
        for image in rs.images:
            images = merge_image(images, ImageInfo(image, tags))
    for exp in experiments:
        for image in exp.images:
            images = merge_image(images, image)
    return tuple(images)


def _revisions(
    replicasets: tuple[ReplicaSetInfo, ...],
    experiments: tuple[ExperimentInfo, ...],
    runs: tuple[AnalysisRunInfo, ...],
) -> tuple[RevisionInfo, ...]:
    numbers = sorted({x.revision for x in (*replicasets, *experiments, *runs)}, reverse=True)
    return tuple(
        RevisionInfo(
            revision=n,
            replicasets=tuple(rs for rs in replicasets if rs.revision == n),
            experiments=tuple(e for e in experiments if e.revision == n),
            analysisruns=tuple(r for r in runs if r.revision == n),
        )
        for n in numbers
    )


def _containers(value: Any) -> tuple[ContainerInfo, ...]:
    return tuple(
        ContainerInfo(as_str(as_dict(c).get("name")), as_str(as_dict(c).get("image"))) for c in as_list(value)
    )


def _workload_ref(spec: dict) -> str:
    ref = spec.get("workloadRef")
    if not is_set(ref):
        return ""
    return f"{as_str(as_dict(ref).get('kind'))}/{as_str(as_dict(ref).get('name'))}"


def _workload(rollout: Any, related: ObjectSet, namespace: str, warnings: list[str]) -> dict | None:
    """The Deployment named by spec.workloadRef, whose containers replace the Rollout's template.

    Like the plugin, the lookup is a Deployment by name whatever kind the reference states.
    """
    ref = dig(rollout, "spec", "workloadRef")
    if not is_set(ref):
        return None
    name = as_str(as_dict(ref).get("name"))
    found = related.get("Deployment", namespace, name)
    if found is None:
        # The plugin stops with "not found"; without it we still show everything but containers.
        warnings.append(f'workloadRef: Deployment "{name}" not found; container list unavailable')
    return found


def _pairs(mapping: Any) -> tuple[tuple[str, str], ...]:
    return tuple((as_str(k), as_str(v)) for k, v in as_dict(mapping).items())


def _shape_warnings(rollout: Any, info_children: list[tuple[str, list[dict]]], uids: set[str]) -> list[str]:
    """Warnings for the rollout and for every related object that appears in its tree."""
    found = object_warnings(rollout, "Rollout")
    strategy = as_dict(dig(rollout, "spec", "strategy"))
    if (
        isinstance(rollout, dict)
        and not is_set(strategy.get("canary"))
        and not is_set(strategy.get("blueGreen"))
    ):
        found.append(
            f'Rollout "{as_str(dig(rollout, "metadata", "name"))[:80]}": '
            "spec.strategy has neither canary nor blueGreen"
        )
    for kind, objects in info_children:
        for obj in objects:
            if as_str(dig(obj, "metadata", "uid")) in uids:
                found.extend(object_warnings(obj, kind))
    return found
