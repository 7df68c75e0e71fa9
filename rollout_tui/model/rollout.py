"""Everything `get rollout` shows, and more, as one immutable view (the plugin's NewRolloutInfo).

A `RolloutInfo` is the rollout's `RolloutState` (the one computation of its step, weights and
status, see `model.state`) plus the objects it owns: revisions, ReplicaSets with their pods,
Experiments and AnalysisRuns. It does not read the clock: ages and countdowns are computed from
the instants it holds when it is shown, so it needs rebuilding only when an object changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rollout_tui.model.analysis import AnalysisRunInfo, analysisrun_infos
from rollout_tui.model.bluegreen import BlueGreenInfo, bluegreen_info
from rollout_tui.model.diff import TemplateFacts, template_facts
from rollout_tui.model.events import EventInfo, timeline
from rollout_tui.model.experiments import ExperimentInfo, experiment_infos
from rollout_tui.model.fields import annotations_of, as_dict, as_list, as_str, dig, is_set
from rollout_tui.model.images import ImageInfo, merge_image
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.replicasets import ReplicaSetInfo, replicaset_infos
from rollout_tui.model.state import RolloutState, rollout_state
from rollout_tui.model.steps import StepsInfo, steps_info
from rollout_tui.model.timeline import RolloutDuration, rollout_duration
from rollout_tui.model.traffic import TrafficInfo, traffic_info
from rollout_tui.model.validate import object_warnings


@dataclass(frozen=True, slots=True)
class ContainerInfo:
    name: str
    image: str


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    revision: int
    replicasets: tuple[ReplicaSetInfo, ...]
    experiments: tuple[ExperimentInfo, ...]
    analysisruns: tuple[AnalysisRunInfo, ...]
    template: TemplateFacts | None = None  # the pod template of its (first) ReplicaSet

    @property
    def stable(self) -> bool:
        return any(rs.stable for rs in self.replicasets)


@dataclass(frozen=True, slots=True)
class RolloutInfo:
    state: RolloutState  # with the exact actual weight (the canary ReplicaSet is known here)
    images: tuple[ImageInfo, ...]
    containers: tuple[ContainerInfo, ...]
    init_containers: tuple[ContainerInfo, ...]
    replicasets: tuple[ReplicaSetInfo, ...]
    experiments: tuple[ExperimentInfo, ...]
    analysisruns: tuple[AnalysisRunInfo, ...]
    revisions: tuple[RevisionInfo, ...]
    steps: StepsInfo | None
    bluegreen: BlueGreenInfo | None
    restarted_at: str  # "Never" when never restarted
    observed_generation: str
    annotations: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    traffic: TrafficInfo | None = None  # what the router objects carry (traffic-routed canaries)
    duration: RolloutDuration | None = None  # status.duration, when the controller reports it
    events: tuple[EventInfo, ...] = ()  # of the rollout and its objects (model.events), newest first


def rollout_info(rollout: Any, related: ObjectSet) -> RolloutInfo:
    """Build the view of one Rollout from it and the objects of its namespace in `related`."""
    warnings: list[str] = []
    meta = as_dict(dig(rollout, "metadata"))
    namespace = as_str(meta.get("namespace"))
    uid = as_str(meta.get("uid"))
    status = as_dict(dig(rollout, "status"))

    replicasets = replicaset_infos(
        uid, rollout, related.of_kind("ReplicaSet", namespace), related.of_kind("Pod", namespace)
    )
    experiments = experiment_infos(uid, related, namespace)
    runs = analysisrun_infos(uid, related.of_kind("AnalysisRun", namespace), warnings)
    for exp in experiments:
        warnings.extend(exp.warnings)
    shown = _shown_uids(replicasets, experiments, runs)
    kinds = ("ReplicaSet", "Pod", "Experiment", "AnalysisRun")
    warnings[:0] = _shape_warnings(
        rollout, [(kind, related.of_kind(kind, namespace)) for kind in kinds], shown
    )

    state = rollout_state(rollout, canary_available=_canary_available(replicasets))
    owned = {rs.uid for rs in replicasets}
    templates = {
        uid: template_facts(dig(rs, "spec", "template"))
        for rs in related.of_kind("ReplicaSet", namespace)
        if (uid := as_str(dig(rs, "metadata", "uid"))) in owned
    }
    revisions = _revisions(replicasets, experiments, runs, templates)
    workload = _workload(rollout, related, namespace, warnings)
    template_spec = as_dict(dig(workload if workload is not None else rollout, "spec", "template", "spec"))
    restarted = status.get("restartedAt")
    return RolloutInfo(
        state=state,
        images=_images(replicasets, experiments),
        containers=_containers(template_spec.get("containers")),
        init_containers=_containers(template_spec.get("initContainers")),
        replicasets=replicasets,
        experiments=experiments,
        analysisruns=runs,
        revisions=revisions,
        steps=steps_info(rollout, state.step_position, state.aborted, _current_runs(state, revisions)),
        bluegreen=bluegreen_info(state, replicasets),
        restarted_at=as_str(restarted) if restarted else "Never",
        observed_generation=as_str(status.get("observedGeneration")),
        annotations=_pairs(annotations_of(rollout)),
        warnings=tuple(dict.fromkeys(warnings)),
        traffic=traffic_info(rollout, related, state),
        duration=rollout_duration(rollout),
        events=timeline(related.of_kind("Event", namespace)),
    )


def _canary_available(replicasets: tuple[ReplicaSetInfo, ...]) -> int | None:
    """status.availableReplicas of the canary ReplicaSet; Go keeps the last one it sees."""
    available = None
    for rs in replicasets:
        if rs.canary:
            available = rs.available
    return available


def _current_runs(state: RolloutState, revisions: tuple[RevisionInfo, ...]) -> tuple[AnalysisRunInfo, ...]:
    """The AnalysisRuns of the revision being rolled out (its step analyses)."""
    for revision in revisions:
        if any(rs.pod_template_hash == state.current_pod_hash for rs in revision.replicasets):
            return revision.analysisruns
    return revisions[0].analysisruns if revisions else ()


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


_IMAGE_TAG_ORDER = ("canary", "stable", "active", "preview", "ping", "pong")  # as Images() tags


def _images(
    replicasets: tuple[ReplicaSetInfo, ...], experiments: tuple[ExperimentInfo, ...]
) -> tuple[ImageInfo, ...]:
    """Images(): running images tagged canary/stable/active/preview/ping/pong, then experiments'."""
    images: list[ImageInfo] = []
    for rs in replicasets:
        if rs.replicas <= 0:
            continue
        tags = rs.roles(_IMAGE_TAG_ORDER)
        for name in rs.images:
            images = merge_image(images, ImageInfo(name, tags))
    for exp in experiments:
        for image in exp.images:
            images = merge_image(images, image)
    return tuple(images)


def _revisions(
    replicasets: tuple[ReplicaSetInfo, ...],
    experiments: tuple[ExperimentInfo, ...],
    runs: tuple[AnalysisRunInfo, ...],
    templates: dict[str, TemplateFacts],
) -> tuple[RevisionInfo, ...]:
    numbers = sorted(
        {rs.revision for rs in replicasets} | {e.revision for e in experiments} | {r.revision for r in runs},
        reverse=True,
    )
    return tuple(
        RevisionInfo(
            revision=n,
            replicasets=tuple(rs for rs in replicasets if rs.revision == n),
            experiments=tuple(e for e in experiments if e.revision == n),
            analysisruns=tuple(r for r in runs if r.revision == n),
            template=next(
                (templates[rs.uid] for rs in replicasets if rs.revision == n and rs.uid in templates), None
            ),
        )
        for n in numbers
    )


def _containers(value: Any) -> tuple[ContainerInfo, ...]:
    return tuple(
        ContainerInfo(as_str(as_dict(c).get("name")), as_str(as_dict(c).get("image"))) for c in as_list(value)
    )


def _workload(rollout: Any, related: ObjectSet, namespace: str, warnings: list[str]) -> dict[str, Any] | None:
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


def _shape_warnings(
    rollout: Any, info_children: list[tuple[str, list[dict[str, Any]]]], uids: set[str]
) -> list[str]:
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
