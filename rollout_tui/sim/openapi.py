"""OpenAPI v3 documents, so ``kubectl apply`` (server-side field validation) and ``kubectl
explain`` work against the simulator.

Argo Rollouts kinds get their real schemas from the CRD manifests (located through
``ROLLOUT_TUI_CRDS``, the ``crds`` argument, or the shared fixtures beside a source checkout);
without them, and for the built-in kinds, each kind gets a permissive schema (known top-level
fields, anything below). Every PATCH/POST operation declares ``fieldValidation`` and carries
``x-kubernetes-group-version-kind``: that is how kubectl decides the server validates fields.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import yaml

from rollout_tui.sim.resources import ResourceType, groups

_OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_SOURCE_CRDS = (
    Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "argo-rollouts" / "manifests" / "crds"
)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the CRDs are ~1 MB of YAML
_QUERY_PARAMS = ("dryRun", "fieldManager", "fieldValidation", "pretty")


def default_crd_dir() -> Path | None:
    for candidate in (os.environ.get("ROLLOUT_TUI_CRDS"), _SOURCE_CRDS):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def _schema_name(rt: ResourceType) -> str:
    if rt.group == "argoproj.io":
        return f"io.argoproj.{rt.version}.{rt.kind}"
    return f"io.k8s.api.{rt.group.split('.')[0] or 'core'}.{rt.version}.{rt.kind}"


def _gvk(rt: ResourceType) -> dict[str, str]:
    return {"group": rt.group, "version": rt.version, "kind": rt.kind}


def _object_meta() -> dict[str, Any]:
    string = {"type": "string"}
    string_map = {"type": "object", "additionalProperties": {"type": "string", "default": ""}}
    return {
        "description": "ObjectMeta is metadata that all persisted resources must have, which includes all "
        "objects users must create.",
        "type": "object",
        "properties": {
            "name": {**string, "description": "Name must be unique within a namespace."},
            "generateName": {**string, "description": "Optional prefix used to generate a unique name."},
            "namespace": {
                **string,
                "description": "Namespace defines the space within which each name must be unique.",
            },
            "uid": {**string, "description": "UID is the unique in time and space value for this object."},
            "resourceVersion": {
                **string,
                "description": "An opaque value that represents the internal version of this object.",
            },
            "generation": {
                "type": "integer",
                "format": "int64",
                "description": "A sequence number representing a specific generation of the desired state.",
            },
            "creationTimestamp": {**string, "format": "date-time"},
            "deletionTimestamp": {**string, "format": "date-time"},
            "labels": {
                **string_map,
                "description": "Map of string keys and values that can be used to "
                "organize and categorize objects.",
            },
            "annotations": {**string_map, "description": "Annotations is an unstructured key value map."},
            "finalizers": {"type": "array", "items": {"type": "string", "default": ""}},
            "ownerReferences": {
                "type": "array",
                "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            },
            "managedFields": {
                "type": "array",
                "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            },
        },
    }


def _metadata_ref() -> dict[str, Any]:
    return {
        "allOf": [{"$ref": f"#/components/schemas/{_OBJECT_META}"}],
        "default": {},
        "description": "Standard object's metadata.",
    }


def _permissive_schema(rt: ResourceType) -> dict[str, Any]:
    loose = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    return {
        "description": f"{rt.kind} ({rt.api_version}), served by the rollout-tui simulator.",
        "type": "object",
        "properties": {
            "apiVersion": {
                "type": "string",
                "description": "APIVersion defines the versioned schema of this representation of an object.",
            },
            "kind": {
                "type": "string",
                "description": "Kind is a string value representing the REST "
                "resource this object represents.",
            },
            "metadata": _metadata_ref(),
            "spec": dict(loose, description="Specification of the desired behavior."),
            "status": dict(loose, description="Most recently observed status."),
        },
        # Secrets, ConfigMaps and Events keep their data at the top level.
        "x-kubernetes-preserve-unknown-fields": True,
    }


def _crd_schemas(crd_dir: Path | None) -> dict[str, dict[str, Any]]:
    """Kind -> openAPIV3Schema for the served version, from the CRD manifests."""
    schemas: dict[str, dict[str, Any]] = {}
    if crd_dir is None:
        return schemas
    for file in sorted(crd_dir.glob("*.yaml")):
        try:
            docs = list(yaml.load_all(file.read_text(encoding="utf-8"), Loader=_LOADER))
        except (OSError, yaml.YAMLError):
            continue
        for doc in docs:
            if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                continue
            kind = doc["spec"]["names"]["kind"]
            for version in doc["spec"].get("versions", []):
                schema = (version.get("schema") or {}).get("openAPIV3Schema")
                if version.get("served") and isinstance(schema, dict):
                    schemas[kind] = schema
    return schemas


def _operation(rt: ResourceType, action: str, body: bool) -> dict[str, Any]:
    op: dict[str, Any] = {
        "description": f"{action} {rt.kind}",
        "operationId": f"{action}{rt.kind}",
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": _gvk(rt),
        "parameters": [
            {"name": name, "in": "query", "schema": {"type": "string", "uniqueItems": True}}
            for name in _QUERY_PARAMS
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{_schema_name(rt)}"}}
                },
            }
        },
    }
    if body:
        op["requestBody"] = {
            "content": {"*/*": {"schema": {"$ref": f"#/components/schemas/{_schema_name(rt)}"}}}
        }
    return op


def group_version_document(group_version: str, crd_schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {_OBJECT_META: _object_meta()}
    for rt in groups()[group_version]:
        scope = f"{rt.base_path}/namespaces/{{namespace}}" if rt.namespaced else rt.base_path
        item = {
            "get": _operation(rt, "get", False),
            "put": _operation(rt, "put", True),
            "patch": _operation(rt, "patch", True),
            "delete": _operation(rt, "delete", False),
        }
        paths[f"{scope}/{rt.plural}/{{name}}"] = item
        paths[f"{scope}/{rt.plural}"] = {
            "get": _operation(rt, "list", False),
            "post": _operation(rt, "post", True),
        }
        if rt.has_status:
            paths[f"{scope}/{rt.plural}/{{name}}/status"] = {
                "get": _operation(rt, "get", False),
                "patch": _operation(rt, "patch", True),
            }
        crd = crd_schemas.get(rt.kind)
        if crd is not None:
            schema = json.loads(json.dumps(crd))
            schema.setdefault("properties", {})["metadata"] = _metadata_ref()
        else:
            schema = _permissive_schema(rt)
        schema["x-kubernetes-group-version-kind"] = [_gvk(rt)]
        schemas[_schema_name(rt)] = schema
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.32.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


class OpenApi:
    """Builds the documents once (they are large) and serves ``/openapi/v3[/<group-version>]``."""

    def __init__(self, crd_dir: Path | None = None) -> None:
        self.crd_dir = crd_dir if crd_dir is not None else default_crd_dir()
        self._lock = threading.Lock()
        self._docs: dict[str, bytes] | None = None

    def _build(self) -> dict[str, bytes]:
        with self._lock:
            if self._docs is None:
                crds = _crd_schemas(self.crd_dir)
                self._docs = {}
                for group_version in groups():
                    key = f"api/{group_version}" if "/" not in group_version else f"apis/{group_version}"
                    doc = group_version_document(group_version, crds)
                    self._docs[key] = json.dumps(doc, separators=(",", ":")).encode()
            return self._docs

    def index(self) -> bytes:
        docs = self._build()
        paths = {
            key: {
                "serverRelativeURL": f"/openapi/v3/{key}?hash={hashlib.sha256(body).hexdigest()[:32].upper()}"
            }
            for key, body in docs.items()
        }
        return json.dumps({"paths": paths}).encode()

    def serve(self, path: str, query: dict[str, str]) -> bytes | None:
        if path == "/openapi/v3":
            return self.index()
        if path.startswith("/openapi/v3/"):
            return self._build().get(path[len("/openapi/v3/") :])
        return None
