"""Small manifests the controller tests build objects from."""

from __future__ import annotations

from typing import Any


def one_pod_rollout(
    name: str, image: str, annotations: dict | None = None, **container: Any
) -> dict[str, Any]:
    """A one-replica canary Rollout whose container ``app`` runs ``image`` (``container``: more
    container fields; ``annotations``: on the pod template)."""
    template: dict[str, Any] = {
        "metadata": {"labels": {"app": name}},
        "spec": {"containers": [{"name": "app", "image": image, **container}]},
    }
    if annotations:
        template["metadata"]["annotations"] = annotations
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": name},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": template,
            "strategy": {"canary": {}},
        },
    }
