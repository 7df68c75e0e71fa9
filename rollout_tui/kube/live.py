"""One-shot reads for the live CLI (``get``, ``list``, ``status`` and the action commands).

``get rollout NAME`` must stay fast in a namespace with 10,000 unrelated ReplicaSets and pods, so
those are listed only by label selector (the rollout's, then its experiments' templates'). Only
Experiments and AnalysisRuns, few per namespace and not reliably labelled with the rollout's
selector (older controllers, experiment runs), are listed namespace-wide. Independent lists run
in parallel.
"""

from __future__ import annotations

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
from rollout_tui.model.fields import as_list, dig

REQUEST_TIMEOUT = (10.0, 60.0)
EXPERIMENT_NAME_LABEL = "experiment.argoproj.io/name"


class ContextChoiceError(ValueError):
    pass


def connect(
    kubeconfig: str | None, contexts: list[str] | None, all_contexts: bool = False, read_only: bool = False
) -> ClusterContext:
    """The single context a CLI command works on (KubeError / ContextChoiceError on problems)."""
    if all_contexts or (contexts and len(set(contexts)) > 1):
        raise ContextChoiceError("this command works on one context: pass a single --context")
    return load_contexts(kubeconfig, contexts or (), False, read_only)[0]


def namespace_for(context: ClusterContext, namespace: str | None) -> str:
    return namespace or context.namespace or "default"


def get_object(context: ClusterContext, kind: Kind, namespace: str, name: str) -> dict[str, Any]:
    try:
        return ResourceClient(context.api_client, kind).get(namespace, name, REQUEST_TIMEOUT)
    except Exception as exc:
        raise classify(exc) from None


def list_objects(
    context: ClusterContext, kind: Kind, namespace: str | None, selector: str = ""
) -> list[dict[str, Any]]:
    try:
        items, _ = ResourceClient(context.api_client, kind).list_all(
            namespace, label_selector=selector or None, request_timeout=REQUEST_TIMEOUT
        )
    except Exception as exc:
        raise classify(exc) from None
    return items


def _owners(obj: dict[str, Any]) -> set[str]:
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    return {str(r.get("uid")) for r in refs if isinstance(r, dict)}


def _uid(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("uid") or "")


def experiment_selectors(experiments: list[dict[str, Any]]) -> list[str]:
    """Label selectors of the experiments' templates: their ReplicaSets need not match the rollout's."""
    found: set[str] = set()
    for exp in experiments:
        for template in as_list(dig(exp, "spec", "templates")):
            if isinstance(template, dict):
                found.add(label_selector(template.get("selector")))
    return sorted(found - {""})


def experiment_replicaset_names(experiments: list[dict[str, Any]]) -> list[str]:
    """The experiment controller names each template's ReplicaSet ``<experiment>-<template>``."""
    names = []
    for exp in experiments:
        for template in as_list(dig(exp, "spec", "templates")):
            if isinstance(template, dict) and template.get("name"):
                names.append(f"{(exp.get('metadata') or {}).get('name')}-{template['name']}")
    return names


def experiment_replicasets(
    context: ClusterContext, namespace: str, experiments: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Fetched by name: their labels are the templates' own, not the rollout's selector."""
    found = []
    known = set()
    for name in experiment_replicaset_names(experiments):
        if name in known:
            continue
        known.add(name)
        try:
            found.append(
                ResourceClient(context.api_client, REPLICA_SET).get(namespace, name, REQUEST_TIMEOUT)
            )
        except Exception as exc:
            err = classify(exc)
            if err.status == 404:
                continue  # not created yet, or already gone
            raise err from None
    return found


def _parallel(
    context: ClusterContext, namespace: str, jobs: list[tuple[Kind, str]]
) -> list[list[dict[str, Any]]]:
    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(lambda job: list_objects(context, job[0], namespace, job[1]), jobs))


def rollout_objects(context: ClusterContext, namespace: str, name: str) -> list[dict[str, Any]]:
    """The rollout and what ``get rollout`` shows under it (raises KubeError).

    ReplicaSets and pods are listed by the rollout's selector (then its experiments' template
    selectors); Experiments and AnalysisRuns, custom resources that are few per namespace and
    not reliably labelled with the rollout's selector, namespace-wide. Ownership by uid decides.
    """
    rollout = get_object(context, ROLLOUT, namespace, name)
    labels = label_selector(dig(rollout, "spec", "selector"))
    jobs: list[tuple[Kind, str]] = [(EXPERIMENT, ""), (ANALYSIS_RUN, "")]
    if labels:  # never list a whole namespace of pods because a rollout lacks a selector
        jobs += [(REPLICA_SET, labels), (POD, labels)]
    found: dict[str, dict[str, dict[str, Any]]] = {}

    def collect(batch: list[tuple[Kind, str]], results: list[list[dict[str, Any]]]) -> None:
        for (kind, _), items in zip(batch, results, strict=True):
            for item in items:
                found.setdefault(kind.kind, {})[_uid(item) or str(id(item))] = item

    collect(jobs, _parallel(context, namespace, jobs))
    uid = _uid(rollout)
    experiments = [e for e in found.get("Experiment", {}).values() if uid in _owners(e)]
    # experiment ReplicaSets: by their templates' selectors and the experiment-name label (what
    # controllers of different versions set), or by their name when they carry neither
    more = [(POD, sel) for sel in experiment_selectors(experiments) if sel != labels]
    more += [(REPLICA_SET, sel) for sel in experiment_selectors(experiments) if sel != labels]
    more += [
        (REPLICA_SET, f"{EXPERIMENT_NAME_LABEL}={(e.get('metadata') or {}).get('name')}") for e in experiments
    ]
    collect(more, _parallel(context, namespace, more))
    for rs in experiment_replicasets(context, namespace, experiments):
        found.setdefault("ReplicaSet", {})[_uid(rs)] = rs
    owners = {uid} | {_uid(e) for e in experiments}
    replicasets = [rs for rs in found.get("ReplicaSet", {}).values() if _owners(rs) & owners]
    rs_uids = {_uid(rs) for rs in replicasets}
    pods = [p for p in found.get("Pod", {}).values() if _owners(p) & rs_uids]
    runs = [r for r in found.get("AnalysisRun", {}).values() if _owners(r) & owners]
    return [rollout, *replicasets, *pods, *experiments, *runs]


def experiment_objects(context: ClusterContext, namespace: str, name: str) -> list[dict[str, Any]]:
    """The experiment, its ReplicaSets and pods and its AnalysisRuns (raises KubeError)."""
    experiment = get_object(context, EXPERIMENT, namespace, name)
    uid = _uid(experiment)
    selectors = experiment_selectors([experiment])
    jobs: list[tuple[Kind, str]] = [(ANALYSIS_RUN, ""), (REPLICA_SET, f"{EXPERIMENT_NAME_LABEL}={name}")]
    jobs += [(kind, sel) for sel in selectors for kind in (REPLICA_SET, POD)]
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for (kind, _), items in zip(jobs, _parallel(context, namespace, jobs), strict=True):
        for item in items:
            by_kind.setdefault(kind.kind, {})[_uid(item)] = item
    for rs in experiment_replicasets(context, namespace, [experiment]):
        by_kind.setdefault("ReplicaSet", {})[_uid(rs)] = rs
    replicasets = [rs for rs in by_kind.get("ReplicaSet", {}).values() if uid in _owners(rs)]
    rs_uids = {_uid(rs) for rs in replicasets}
    pods = [p for p in by_kind.get("Pod", {}).values() if _owners(p) & rs_uids]
    runs = [r for r in by_kind.get("AnalysisRun", {}).values() if uid in _owners(r)]
    return [experiment, *replicasets, *pods, *runs]


def list_rollouts(context: ClusterContext, namespace: str | None) -> list[dict[str, Any]]:
    return list_objects(context, ROLLOUT, namespace)


def as_object_set(objects: list[dict[str, Any]]) -> Any:
    from rollout_tui.model.objects import ObjectSet

    return ObjectSet.from_objects(objects)
