"""How unhealthy a pod's traffic looks in its logs, read from the cluster the pod belongs to.

A canary (or preview, or experiment) pod whose analysis is steered to fail
(``sim.rollout-tui.dev/analysis``, per metric ``...analysis.<metric>``) logs what makes that
analysis fail: 5xx errors for success-rate and error-rate metrics, slow requests for latency
metrics. Stable pods, and pods of rollouts whose analysis passes, log a healthy baseline.
"""

from __future__ import annotations

import re
from typing import Any

from rollout_tui.sim.analysis.providers import MODE_ANNOTATION
from rollout_tui.sim.kubelet.logs import Profile
from rollout_tui.sim.objects import EXPERIMENT_TEMPLATE_ANNOTATION, HASH_LABEL, annotations_of, labels, meta

_LATENCY = re.compile(r"latency|duration|p9\d|slow|response-time", re.IGNORECASE)
_PEAKS = {"fail": 0.3, "random": 0.12, "inconclusive": 0.05}
_HEALTHY = Profile()


def _owner(store: Any, obj: dict[str, Any], kinds: tuple[str, ...]) -> dict[str, Any] | None:
    namespace = meta(obj).get("namespace")
    for ref in meta(obj).get("ownerReferences") or []:
        if isinstance(ref, dict) and ref.get("kind") in kinds:
            plural = {"ReplicaSet": "replicasets", "Rollout": "rollouts", "Experiment": "experiments"}[
                ref["kind"]
            ]
            try:
                found: dict[str, Any] = store.get(plural, namespace, ref.get("name", ""))
            except Exception:  # gone already: no profile
                return None
            return found
    return None


def _template_metrics(store: Any, namespace: str, refs: list[Any]) -> list[tuple[str, str | None]]:
    """(metric name, the template's own mode annotation) for the referenced templates."""
    out: list[tuple[str, str | None]] = []
    for ref in refs:
        if not isinstance(ref, dict) or not ref.get("templateName"):
            continue
        plural, scope = (
            ("clusteranalysistemplates", None)
            if ref.get("clusterScope")
            else ("analysistemplates", namespace)
        )
        try:
            template = store.get(plural, scope, ref["templateName"])
        except Exception:
            continue
        mode = annotations_of(template).get(MODE_ANNOTATION)
        for metric in (template.get("spec") or {}).get("metrics") or []:
            if isinstance(metric, dict) and metric.get("name"):
                out.append((str(metric["name"]), mode))
    return out


def _referenced_templates(spec: dict[str, Any]) -> list[Any]:
    strategy = spec.get("strategy") or {}
    refs: list[Any] = []
    canary = strategy.get("canary") or {}
    refs += (canary.get("analysis") or {}).get("templates") or []
    for step in canary.get("steps") or []:
        if isinstance(step, dict):
            refs += (step.get("analysis") or {}).get("templates") or []
            for analysis in (step.get("experiment") or {}).get("analyses") or []:
                refs.append(analysis)
    blue_green = strategy.get("blueGreen") or {}
    for key in ("prePromotionAnalysis", "postPromotionAnalysis"):
        refs += (blue_green.get(key) or {}).get("templates") or []
    return refs


def _from_modes(notes: dict[str, Any], metrics: list[tuple[str, str | None]]) -> Profile:
    errors = slow = 0.0
    default = notes.get(MODE_ANNOTATION)
    for name, template_mode in metrics or [("success-rate", None)]:
        mode = notes.get(f"{MODE_ANNOTATION}.{name}", default or template_mode)
        peak = _PEAKS.get(str(mode), 0.0)
        if _LATENCY.search(name):
            slow = max(slow, peak)
        else:
            errors = max(errors, peak)
    return Profile(errors=errors, slow=slow) if errors or slow else _HEALTHY


def profile_for(store: Any, pod: dict[str, Any]) -> Profile:
    rs = _owner(store, pod, ("ReplicaSet",))
    if rs is None:
        return _HEALTHY
    owner = _owner(store, rs, ("Rollout", "Experiment"))
    if owner is None:
        return _HEALTHY
    namespace = str(meta(pod).get("namespace", ""))
    if owner.get("kind") == "Experiment":
        template = str(annotations_of(rs).get(EXPERIMENT_TEMPLATE_ANNOTATION, ""))
        if "baseline" in template or "stable" in template:
            return _HEALTHY
        refs = [a for a in (owner.get("spec") or {}).get("analyses") or [] if isinstance(a, dict)]
        return _from_modes(annotations_of(owner), _template_metrics(store, namespace, refs))
    pod_hash = labels(pod).get(HASH_LABEL)
    stable = (owner.get("status") or {}).get("stableRS")
    if not stable or pod_hash == stable:
        return _HEALTHY
    refs = _referenced_templates(owner.get("spec") or {})
    return _from_modes(annotations_of(owner), _template_metrics(store, namespace, refs))
