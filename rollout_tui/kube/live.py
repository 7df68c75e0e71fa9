"""One-shot reads for the live CLI (``get``, ``list``, ``status`` and the action commands).

``get rollout NAME`` must stay fast in a namespace with 10,000 unrelated objects, so nothing is
listed namespace-wide except Experiments (few, and not selectable by label): ReplicaSets and pods
by the rollout's ``spec.selector``, AnalysisRuns by its ``matchLabels`` (the controller copies
them onto every run). The independent lists run in parallel.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rollout_tui.kube.config import ClusterContext, load_contexts
from rollout_tui.kube.errors import classify
from rollout_tui.kube.resources import (
    ANALYSIS_RUN,
    EXPERIMENT,
    POD,
    REPLICA_SET,
    ROLLOUT,
    Kind,
    ResourceClient,
    label_selector,
)

REQUEST_TIMEOUT = (10.0, 60.0)


class ContextChoiceError(ValueError):
    pass


def connect(kubeconfig: str | None, contexts: list[str] | None, all_contexts: bool = False,
            read_only: bool = False) -> ClusterContext:
    """The single context a CLI command works on (KubeError / ContextChoiceError on problems)."""
    if all_contexts or (contexts and len(set(contexts)) > 1):
        raise ContextChoiceError("this command works on one context: pass a single --context")
    return load_contexts(kubeconfig, contexts or (), False, read_only)[0]


def namespace_for(context: ClusterContext, namespace: str | None) -> str:
    return namespace or context.namespace or "default"


def get_object(context: ClusterContext, kind: Kind, namespace: str, name: str) -> dict:
    from kubernetes import client as kclient

    try:
        api = kclient.CustomObjectsApi(context.api_client)
        resp = api.get_namespaced_custom_object(kind.group, kind.version, namespace, kind.plural, name,
                                                _preload_content=False, _request_timeout=REQUEST_TIMEOUT)
        obj = json.loads(resp.data)
    except Exception as exc:
        raise classify(exc) from None
    obj.setdefault("kind", kind.kind)
    obj.setdefault("apiVersion", kind.api_version)
    return obj


def list_objects(context: ClusterContext, kind: Kind, namespace: str | None, selector: str = "") -> list[dict]:
    try:
        items, _ = ResourceClient(context.api_client, kind).list_all(
            namespace, label_selector=selector or None, request_timeout=REQUEST_TIMEOUT)
    except Exception as exc:
        raise classify(exc) from None
    return items


def _owners(obj: dict) -> set[str]:
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    return {str(r.get("uid")) for r in refs if isinstance(r, dict)}


def rollout_objects(context: ClusterContext, namespace: str, name: str) -> list[dict]:
    """The rollout and what ``get rollout`` shows under it, fetched by selector (raises KubeError)."""
    rollout = get_object(context, ROLLOUT, namespace, name)
    spec = rollout.get("spec") if isinstance(rollout.get("spec"), dict) else {}
    selector = spec.get("selector")
    labels = label_selector(selector)
    match_labels = selector.get("matchLabels") if isinstance(selector, dict) else None
    run_labels = label_selector({"matchLabels": match_labels}) if match_labels else labels
    jobs: list[tuple[Kind, str | None]] = [(EXPERIMENT, "")]
    if labels:  # never list a whole namespace of pods because a rollout lacks a selector
        jobs += [(REPLICA_SET, labels), (POD, labels)]
    if run_labels:
        jobs.append((ANALYSIS_RUN, run_labels))
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda job: list_objects(context, job[0], namespace, job[1] or ""), jobs))
    found = dict(zip([k.kind for k, _ in jobs], results, strict=True))
    uid = str((rollout.get("metadata") or {}).get("uid") or "")
    experiments = [e for e in found.get("Experiment", []) if uid in _owners(e)]
    owners = {uid} | {str((e.get("metadata") or {}).get("uid")) for e in experiments}
    replicasets = [rs for rs in found.get("ReplicaSet", []) if _owners(rs) & owners]
    rs_uids = {str((rs.get("metadata") or {}).get("uid")) for rs in replicasets}
    pods = [p for p in found.get("Pod", []) if _owners(p) & rs_uids]
    runs = [r for r in found.get("AnalysisRun", []) if _owners(r) & owners]
    return [rollout, *replicasets, *pods, *experiments, *runs]


def experiment_objects(context: ClusterContext, namespace: str, name: str) -> list[dict]:
    """The experiment, its ReplicaSets and pods (by each template's selector) and its AnalysisRuns."""
    experiment = get_object(context, EXPERIMENT, namespace, name)
    uid = str((experiment.get("metadata") or {}).get("uid") or "")
    spec = experiment.get("spec") if isinstance(experiment.get("spec"), dict) else {}
    selectors = sorted({label_selector(t.get("selector")) for t in spec.get("templates") or []
                        if isinstance(t, dict)} - {""})
    jobs: list[tuple[Kind, str]] = [(ANALYSIS_RUN, "")]
    for sel in selectors:
        jobs += [(REPLICA_SET, sel), (POD, sel)]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda job: list_objects(context, job[0], namespace, job[1]), jobs))
    by_kind: dict[str, dict[str, dict]] = {}
    for (kind, _), items in zip(jobs, results, strict=True):
        for item in items:
            by_kind.setdefault(kind.kind, {})[str((item.get("metadata") or {}).get("uid"))] = item
    replicasets = [rs for rs in by_kind.get("ReplicaSet", {}).values() if uid in _owners(rs)]
    rs_uids = {str((rs.get("metadata") or {}).get("uid")) for rs in replicasets}
    pods = [p for p in by_kind.get("Pod", {}).values() if _owners(p) & rs_uids]
    runs = [r for r in by_kind.get("AnalysisRun", {}).values() if uid in _owners(r)]
    return [experiment, *replicasets, *pods, *runs]


def list_rollouts(context: ClusterContext, namespace: str | None) -> list[dict]:
    return list_objects(context, ROLLOUT, namespace)


def as_object_set(objects: list[dict]) -> Any:
    from rollout_tui.model.objects import ObjectSet

    return ObjectSet.from_objects(objects)
