"""Discovery documents (legacy, non-aggregated) built from the resource table.

kubectl asks for aggregated discovery first; a plain APIGroupList with Content-Type
application/json makes it fall back to these per-group documents, which is all we serve.
"""

from __future__ import annotations

import platform
from typing import Any

from rollout_tui.sim.resources import RESOURCES, ResourceType, groups

KUBE_VERSION = {"major": "1", "minor": "32"}
AUTHZ_GROUP = "authorization.k8s.io"


def version() -> dict[str, Any]:
    return {
        **KUBE_VERSION,
        "gitVersion": "v1.32.0-rollout-tui-sim",
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "go1.23.0",
        "compiler": "gc",
        "platform": f"linux/{'amd64' if platform.machine() in ('x86_64', 'AMD64') else 'arm64'}",
    }


def _resource_entries(rt: ResourceType) -> list[dict[str, Any]]:
    main: dict[str, Any] = {
        "name": rt.plural,
        "singularName": rt.singular,
        "namespaced": rt.namespaced,
        "kind": rt.kind,
        "verbs": list(rt.verbs),
    }
    if rt.short_names:
        main["shortNames"] = list(rt.short_names)
    if rt.categories:
        main["categories"] = list(rt.categories)
    entries = [main]
    if rt.has_status:
        entries.append(
            {
                "name": f"{rt.plural}/status",
                "singularName": "",
                "namespaced": rt.namespaced,
                "kind": rt.kind,
                "verbs": ["get", "patch", "update"],
            }
        )
    if rt.has_scale:
        entries.append(
            {
                "name": f"{rt.plural}/scale",
                "singularName": "",
                "namespaced": rt.namespaced,
                "group": "autoscaling",
                "version": "v1",
                "kind": "Scale",
                "verbs": ["get", "patch", "update"],
            }
        )
    return entries


def resource_list(group_version: str) -> dict[str, Any] | None:
    """The APIResourceList for ``group_version`` (``v1`` for core), None when not served."""
    if group_version == f"{AUTHZ_GROUP}/v1":
        resources = [
            {
                "name": "selfsubjectaccessreviews",
                "singularName": "selfsubjectaccessreview",
                "namespaced": False,
                "kind": "SelfSubjectAccessReview",
                "verbs": ["create"],
            }
        ]
    elif group_version in groups():
        resources = [e for rt in groups()[group_version] for e in _resource_entries(rt)]
    else:
        return None
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    }


def api_versions() -> dict[str, Any]:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
    }


def _group_names() -> list[str]:
    names = []
    for rt in RESOURCES.values():
        if rt.group and rt.group not in names:
            names.append(rt.group)
    return [*names, AUTHZ_GROUP]


def api_group(name: str) -> dict[str, Any] | None:
    if name not in _group_names():
        return None
    versions = sorted({rt.version for rt in RESOURCES.values() if rt.group == name}) or ["v1"]
    entries = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {
        "kind": "APIGroup",
        "apiVersion": "v1",
        "name": name,
        "versions": entries,
        "preferredVersion": entries[0],
    }


def api_group_list() -> dict[str, Any]:
    groups_ = [g for g in (api_group(name) for name in _group_names()) if g is not None]
    for g in groups_:
        del g["kind"], g["apiVersion"]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups_}
