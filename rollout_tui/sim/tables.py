"""Server-side printing: ``Table`` answers for clients that ask for them (``kubectl get``).

The columns per kind are in ``printers``; ages are computed on the simulator's clock, as the API
server does; a watch sends column definitions with its first event only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rollout_tui.sim import printers
from rollout_tui.sim.resources import ResourceType


def wanted_version(accept: str | None) -> str | None:
    """ "v1"/"v1beta1" when the Accept header asks for a JSON Table first, else None."""
    for part in (accept or "").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if media not in ("application/json", "*/*"):
            continue
        values = dict(p.split("=", 1) for p in params if "=" in p)
        if values.get("as") == "Table" and values.get("g") == "meta.k8s.io":
            return values.get("v", "v1")
        if media == "application/json" and "as" not in values:
            return None  # plain JSON preferred before any Table
    return None


def row(rt: ResourceType, obj: dict[str, Any], now: datetime, include_object: str) -> dict[str, Any]:
    out: dict[str, Any] = {"cells": printers.cells(rt.plural, obj, now)}
    if include_object == "Object":
        out["object"] = obj
    elif include_object != "None":
        out["object"] = {
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata", {}),
        }
    return out


def table(
    rt: ResourceType,
    objects: list[dict[str, Any]],
    now: datetime,
    *,
    version: str = "v1",
    include_object: str = "Metadata",
    headers: bool = True,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "Table",
        "apiVersion": f"meta.k8s.io/{version}",
        "metadata": metadata or {},
    }
    if headers:
        out["columnDefinitions"] = printers.columns(rt.plural)
    out["rows"] = [row(rt, obj, now, include_object) for obj in objects]
    return out


def content_type(version: str) -> str:
    return f"application/json;as=Table;v={version};g=meta.k8s.io"
