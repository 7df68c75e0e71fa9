"""Experiment rows: their ReplicaSets (with pods) and AnalysisRuns (experiment_info.go)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rollout_tui.model.analysis import AnalysisRunInfo, analysisrun_infos
from rollout_tui.model.fields import as_str, dig, owner_uids
from rollout_tui.model.icons import analysis_status_kind
from rollout_tui.model.images import ImageInfo, merge_image
from rollout_tui.model.node import ObjectInfo, identity
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.ordering import go_insertion_sort, time_key
from rollout_tui.model.replicasets import ReplicaSetInfo, parse_revision, replicaset_infos


@dataclass(frozen=True, slots=True)
class ExperimentInfo(ObjectInfo):
    message: str
    revision: int
    replicasets: tuple[ReplicaSetInfo, ...]
    analysisruns: tuple[AnalysisRunInfo, ...]
    warnings: tuple[str, ...] = ()

    @property
    def images(self) -> tuple[ImageInfo, ...]:
        """ExperimentImages: running template images tagged Σ:<template>."""
        images: list[ImageInfo] = []
        for rs in self.replicasets:
            if rs.replicas > 0:
                for image in rs.images:
                    tags = (f"Σ:{rs.template}",) if rs.template else ()
                    images = merge_image(images, ImageInfo(image, tags))
        return tuple(images)


def experiment_info(experiment: Any, related: ObjectSet) -> ExperimentInfo:
    """NewExperimentInfo; `related` supplies ReplicaSets, Pods and AnalysisRuns of the namespace."""
    warnings: list[str] = []
    namespace = as_str(dig(experiment, "metadata", "namespace"))
    uid = as_str(dig(experiment, "metadata", "uid"))
    phase = as_str(dig(experiment, "status", "phase"))
    return ExperimentInfo(
        **identity(experiment),
        status=phase,
        icon_kind=analysis_status_kind(phase),
        message=as_str(dig(experiment, "status", "message")),
        revision=parse_revision(experiment),
        replicasets=replicaset_infos(
            uid, None, related.of_kind("ReplicaSet", namespace), related.of_kind("Pod", namespace)
        ),
        analysisruns=analysisrun_infos(uid, related.of_kind("AnalysisRun", namespace), warnings),
        warnings=tuple(warnings),
    )


def experiment_infos(owner_uid: str, related: ObjectSet, namespace: str) -> tuple[ExperimentInfo, ...]:
    infos = [
        experiment_info(e, related)
        for e in related.of_kind("Experiment", namespace)
        if owner_uid and owner_uid in owner_uids(e)
    ]

    def less(a: ExperimentInfo, b: ExperimentInfo) -> bool:
        # Go's comparator, verbatim in spirit: higher revision first, otherwise older first.
        if a.revision > b.revision:
            return True
        return time_key(a.created) < time_key(b.created)

    return tuple(go_insertion_sort(infos, less))
