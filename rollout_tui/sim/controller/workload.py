"""``spec.workloadRef``: a Rollout whose pod template (and, when it has none, selector) comes from a
Deployment, ReplicaSet or PodTemplate (argo-rollouts rollout/templateref.go Resolve).

The referenced template is the rollout's: a change of it is a new revision. The workload's
generation is recorded on the rollout (annotation ``rollout.argoproj.io/workload-generation``,
then ``status.workloadObservedGeneration``), and a Deployment is scaled down as
``workloadRef.scaleDown`` says (rollout/replicaset.go, rollout/sync.go promoteStable,
rollout/scale_utils.go): ``never`` (default), ``onsuccess`` (to 0 once revision 1 is Healthy),
``progressively`` (down by the rollout's ready replicas while revision 1 rolls out, to 0 once
Healthy).
"""

from __future__ import annotations

import copy
from typing import Any

from rollout_tui.sim.controller.context import RolloutContext
from rollout_tui.sim.objects import annotations_of, as_int, meta, set_annotation

WORKLOAD_GENERATION_ANNOTATION = "rollout.argoproj.io/workload-generation"
# (group, kind) -> (plural, path to the pod template, path to the selector)
KINDS: dict[tuple[str, str], tuple[str, tuple[str, ...], tuple[str, ...] | None]] = {
    ("apps", "Deployment"): ("deployments", ("spec", "template"), ("spec", "selector")),
    ("apps", "ReplicaSet"): ("replicasets", ("spec", "template"), ("spec", "selector")),
    ("", "PodTemplate"): ("podtemplates", ("template",), None),
}


class WorkloadError(Exception):
    """The reference cannot be resolved; the message is the InvalidSpec condition's."""


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def referenced(ro: dict[str, Any]) -> dict[str, Any] | None:
    ref = (ro.get("spec") or {}).get("workloadRef")
    return ref if isinstance(ref, dict) else None


def _empty_template(template: Any) -> bool:
    """Spec.EmptyTemplate: nothing a pod template would carry (serializers leave {} or nulls)."""
    if not isinstance(template, dict):
        return template is None
    tmeta = template.get("metadata") or {}
    return not (
        (template.get("spec") or {}).get("containers") or tmeta.get("labels") or tmeta.get("annotations")
    )


def resolve(store: Any, ro: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the rollout with the workload's template and selector in its spec, the workload)."""
    ref = referenced(ro)
    assert ref is not None
    spec = ro.get("spec") or {}
    if not _empty_template(spec.get("template")):
        raise WorkloadError("template must be empty for workload reference rollout")
    api_version = str(ref.get("apiVersion") or "")
    group = api_version.split("/", 1)[0] if "/" in api_version else ""
    kind = str(ref.get("kind") or "")
    if (group, kind) not in KINDS:
        raise WorkloadError(f"workload of type {group}/{kind} is not supported")
    plural, template_path, selector_path = KINDS[(group, kind)]
    name = str(ref.get("name") or "")
    try:
        workload = store.get(plural, meta(ro).get("namespace"), name)
    except Exception as exc:
        if getattr(exc, "code", None) == 404:
            raise WorkloadError(
                f'{plural}.{group} "{name}" not found' if group else f'{plural} "{name}" not found'
            ) from None
        raise
    resolved = copy.deepcopy(ro)
    template = _dig(workload, template_path)
    if isinstance(template, dict):
        resolved["spec"]["template"] = copy.deepcopy(template)
    if not spec.get("selector") and selector_path is not None:
        selector = _dig(workload, selector_path)
        if isinstance(selector, dict):
            resolved["spec"]["selector"] = copy.deepcopy(selector)
    return resolved, workload


def record_generation(ctx: RolloutContext, workload: dict[str, Any]) -> None:
    """The workload's generation on the rollout (what the resolver's informer patches), and in
    status.workloadObservedGeneration."""
    generation = str(meta(workload).get("generation", 1))
    if annotations_of(ctx.ro).get(WORKLOAD_GENERATION_ANNOTATION) != generation:
        ctx.ro = set_annotation(ctx.c.store, "rollouts", ctx.ro, WORKLOAD_GENERATION_ANNOTATION, generation)
    ctx.status["workloadObservedGeneration"] = generation


def scale_down(ctx: RolloutContext, workload: dict[str, Any]) -> None:
    ref = referenced(ctx.ro) or {}
    mode = str(ref.get("scaleDown") or "never")
    if (
        workload.get("kind") != "Deployment"
        or mode not in ("onsuccess", "progressively")
        or ctx.revision != 1
    ):
        return
    healthy = ctx.old.get("phase") == "Healthy"
    if healthy:
        target = 0
    elif mode == "progressively" and as_int(ctx.old.get("readyReplicas")) > 0:
        target = max(ctx.replicas - as_int(ctx.old.get("readyReplicas")), 0)
    else:
        return
    if as_int((workload.get("spec") or {}).get("replicas"), 1) != target:
        ctx.c.store.mutate(
            "deployments",
            ctx.namespace,
            meta(workload)["name"],
            lambda obj: obj["spec"].__setitem__("replicas", target),
        )
