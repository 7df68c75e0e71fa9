"""ReplicaSet rows of the revision tree: health, roles, scale-down delay, pods (replicaset_info.go)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from rollout_tui.model.durations import human_duration
from rollout_tui.model.fields import (
    annotations_of,
    as_dict,
    as_int,
    as_list,
    as_str,
    dig,
    is_set,
    labels_of,
    owner_uids,
    parse_go_int,
    parse_time,
)
from rollout_tui.model.icons import replicaset_status_kind
from rollout_tui.model.node import ObjectInfo, identity
from rollout_tui.model.ordering import time_key
from rollout_tui.model.pods import PodInfo, pod_info

POD_TEMPLATE_HASH_LABEL = "rollouts-pod-template-hash"
REVISION_ANNOTATION = "rollout.argoproj.io/revision"
SCALE_DOWN_DEADLINE_ANNOTATION = "scale-down-deadline"
EXPERIMENT_TEMPLATE_ANNOTATION = "experiment.argoproj.io/template-name"
# The role flags of a ReplicaSetInfo (the services and ping-pong sides that select it).
ROLES = ("stable", "canary", "active", "preview", "ping", "pong")


@dataclass(frozen=True, slots=True)
class ReplicaSetInfo(ObjectInfo):
    revision: int
    pod_template_hash: str
    desired: int | None  # spec.replicas
    replicas: int  # status.replicas
    ready: int
    available: int
    template: str  # experiment template name, "" for rollout ReplicaSets
    scale_down_deadline: datetime | None
    has_scale_down_annotation: bool  # the plugin prints "delay:" even when it cannot parse it
    stable: bool = False
    canary: bool = False
    active: bool = False
    preview: bool = False
    ping: bool = False
    pong: bool = False
    images: tuple[str, ...] = ()
    init_images: tuple[str, ...] = ()
    pods: tuple[PodInfo, ...] = ()

    def roles(self, order: tuple[str, ...] = ROLES) -> tuple[str, ...]:
        """Every role flag that is set, in `order` (a sequence of ROLES)."""
        return tuple(role for role in order if getattr(self, role))

    @property
    def tags(self) -> tuple[str, ...]:
        """Role tags in the order the plugin prints them in INFO (without delay)."""
        tags = ["stable"] if self.stable else []
        if self.canary:
            tags.append("canary")
        elif self.active:
            tags.append("active")
        elif self.preview:
            tags.append("preview")
        if self.ping:
            tags.append("ping")
        if self.pong:
            tags.append("pong")
        return tuple(tags)

    def scale_down_delay(self, now: datetime) -> str:
        """ "" (no readable deadline), "passed", or the time left as a human duration."""
        if self.scale_down_deadline is None:
            return ""
        if self.scale_down_deadline < now:
            return "passed"
        return human_duration(self.scale_down_deadline - now)


def parse_revision(obj: Any) -> int:
    """Annotation rollout.argoproj.io/revision; 0 when missing or not an integer."""
    value = parse_go_int(annotations_of(obj).get(REVISION_ANNOTATION))
    return value if value is not None else 0


def replicaset_health(rs: Any) -> str:
    generation = as_int(dig(rs, "metadata", "generation"))
    observed = as_int(dig(rs, "status", "observedGeneration"))
    desired = dig(rs, "spec", "replicas")
    desired = as_int(desired) if isinstance(desired, int) and not isinstance(desired, bool) else None
    if generation > observed:
        return "Progressing"
    failure = next(
        (
            as_dict(c)
            for c in as_list(dig(rs, "status", "conditions"))
            if as_dict(c).get("type") == "ReplicaFailure"
        ),
        None,
    )
    if failure is not None and failure.get("status") == "True":
        return "ReplicaFailure"
    if desired is not None and as_int(dig(rs, "status", "availableReplicas")) < desired:
        return "Progressing"
    if desired == 0:
        return "ScaledDown"
    return "Healthy"


def replicaset_infos(
    owner_uid: str,
    rollout: Mapping[str, Any] | None,
    replicasets: list[dict[str, Any]],
    pods: list[dict[str, Any]],
) -> tuple[ReplicaSetInfo, ...]:
    """GetReplicaSetInfo: ReplicaSets owned by `owner_uid`, with roles when `rollout` is given."""
    infos = [_replicaset_info(rs, rollout) for rs in replicasets if owner_uid and owner_uid in owner_uids(rs)]
    # Go's comparator means to order by creation time but discards the result: revision desc, name.
    infos.sort(key=lambda info: (-info.revision, info.name))
    return _attach_pods(infos, pods)


def _replicaset_info(rs: Any, rollout: Mapping[str, Any] | None) -> ReplicaSetInfo:
    status = as_dict(dig(rs, "status"))
    notes = annotations_of(rs)
    deadline_raw = as_str(notes.get(SCALE_DOWN_DEADLINE_ANNOTATION))
    deadline = parse_time(deadline_raw)
    desired = dig(rs, "spec", "replicas")
    health = replicaset_health(rs)
    pod_hash = as_str(labels_of(rs).get(POD_TEMPLATE_HASH_LABEL))
    containers = as_list(dig(rs, "spec", "template", "spec", "containers"))
    init_containers = as_list(dig(rs, "spec", "template", "spec", "initContainers"))
    return ReplicaSetInfo(
        **identity(rs),
        status=health,
        icon_kind=replicaset_status_kind(health),
        revision=parse_revision(rs),
        pod_template_hash=pod_hash,
        desired=as_int(desired) if isinstance(desired, int) and not isinstance(desired, bool) else None,
        replicas=as_int(status.get("replicas")),
        ready=as_int(status.get("readyReplicas")),
        available=as_int(status.get("availableReplicas")),
        template=as_str(notes.get(EXPERIMENT_TEMPLATE_ANNOTATION)),
        scale_down_deadline=deadline,
        has_scale_down_annotation=bool(deadline_raw),
        images=tuple(as_str(as_dict(c).get("image")) for c in containers),
        init_images=tuple(as_str(as_dict(c).get("image")) for c in init_containers),
        **_roles(rollout, pod_hash),
    )


def _roles(rollout: Mapping[str, Any] | None, pod_hash: str) -> dict[str, Any]:
    """Role flags. Like Go, an unlabelled ReplicaSet matches an empty stableRS/currentPodHash."""
    roles: dict[str, Any] = {}
    if rollout is None:
        return roles
    strategy = as_dict(dig(rollout, "spec", "strategy"))
    status = as_dict(dig(rollout, "status"))
    stable_rs = as_str(status.get("stableRS"))
    if is_set(strategy.get("canary")):
        ping_pong = is_set(dig(strategy, "canary", "pingPong"))
        stable_is_ping = dig(status, "canary", "stablePingPong") == "ping"
        if stable_rs == pod_hash:
            roles["stable"] = True
            if ping_pong:
                roles["ping"], roles["pong"] = stable_is_ping, not stable_is_ping
        elif as_str(status.get("currentPodHash")) == pod_hash:
            roles["canary"] = True
            if ping_pong:
                roles["ping"], roles["pong"] = not stable_is_ping, stable_is_ping
    if is_set(strategy.get("blueGreen")):
        if stable_rs == pod_hash:
            roles["stable"] = True
        if as_str(dig(status, "blueGreen", "activeSelector")) == pod_hash:
            roles["active"] = True
        elif as_str(dig(status, "blueGreen", "previewSelector")) == pod_hash:
            roles["preview"] = True
    return roles


def _attach_pods(infos: list[ReplicaSetInfo], pods: list[dict[str, Any]]) -> tuple[ReplicaSetInfo, ...]:
    index = {info.uid: i for i, info in enumerate(infos)}
    owned: list[list[PodInfo]] = [[] for _ in infos]
    for pod in pods:
        # Like Go's ownerRef(): the first ownerReference that names one of these ReplicaSets.
        owner = next((uid for uid in owner_uids(pod) if uid in index), None)
        if owner is not None:
            owned[index[owner]].append(pod_info(pod))
    result = []
    for info, pod_list in zip(infos, owned, strict=True):
        pod_list.sort(key=lambda pod: (time_key(pod.created), pod.name))
        result.append(replace(info, pods=tuple(pod_list)))
    return tuple(result)
