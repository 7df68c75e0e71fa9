"""What kube-apiserver's generic registry does to an object before it is stored.

Create fills in uid, creationTimestamp and generation and drops what clients may not set; update
keeps the identity fields and (for types with a status subresource) the stored status, and bumps
``generation`` when anything outside ``metadata``/``status`` changed
(k8s.io/apiserver/pkg/registry/rest/create.go, update.go and each type's strategy). The errors
carry the API server's wording.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable
from typing import Any

from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.records import Clock, timestamp
from rollout_tui.sim.resources import ResourceType

_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # apiserver's alphabet: no vowels, no look-alikes
_IDENTITY = (
    "name",
    "namespace",
    "uid",
    "creationTimestamp",
    "generation",
    "resourceVersion",
    "deletionTimestamp",
)


def own(obj: Any) -> dict[str, Any]:
    """A copy of a caller's object that the store may edit at the top level and in metadata.

    Shallow on purpose: deeper parts are only ever serialized (to the stored bytes), never kept
    or modified, so sharing them with the caller is safe and saves a deep copy per write.
    """
    if not isinstance(obj, dict):
        raise bad_request("the object must be a JSON object")
    copy = dict(obj)
    meta = copy.get("metadata", {})
    if not isinstance(meta, dict):
        raise bad_request("metadata must be an object")
    copy["metadata"] = dict(meta)
    return copy


def spec_part(obj: dict[str, Any], has_status: bool) -> dict[str, Any]:
    skip = ("metadata", "status") if has_status else ("metadata",)
    return {k: v for k, v in obj.items() if k not in skip}


# ----------------------------------------------------------------- errors
def _about(rt: ResourceType, name: str, code: int, reason: str, message: str) -> ApiError:
    """An error about one object, with the details kubectl reads (name, group, kind=plural)."""
    return ApiError(code, reason, message, {"name": name, "group": rt.group, "kind": rt.plural})


def not_found(rt: ResourceType, name: str) -> ApiError:
    return _about(rt, name, 404, "NotFound", f'{rt.group_resource} "{name}" not found')


def invalid(rt: ResourceType, name: str, detail: str) -> ApiError:
    kind = f"{rt.kind}.{rt.group}" if rt.group else rt.kind
    return ApiError(
        422,
        "Invalid",
        f'{kind} "{name}" is invalid: {detail}',
        {
            "name": name,
            "group": rt.group,
            "kind": rt.kind,
            "causes": [{"reason": "FieldValueInvalid", "message": detail}],
        },
    )


def conflict(rt: ResourceType, name: str) -> ApiError:
    message = (
        f'Operation cannot be fulfilled on {rt.group_resource} "{name}": the '
        "object has been modified; please apply your changes to the latest version and try "
        "again"
    )
    return _about(rt, name, 409, "Conflict", message)


def already_exists(rt: ResourceType, name: str) -> ApiError:
    return _about(rt, name, 409, "AlreadyExists", f'{rt.group_resource} "{name}" already exists')


def uid_precondition_failed(rt: ResourceType, name: str, wanted: str, actual: str | None) -> ApiError:
    return ApiError(
        409,
        "Conflict",
        f'Operation cannot be fulfilled on {rt.group_resource} "{name}": Precondition failed: UID in '
        f"precondition: {wanted}, UID in object meta: {actual}",
    )


def check_name(rt: ResourceType, name: Any) -> None:
    if not isinstance(name, str) or len(name) > 253 or not _NAME_RE.match(name):
        raise invalid(
            rt,
            str(name),
            f'metadata.name: Invalid value: "{name}": a lowercase RFC 1123 '
            "subdomain must consist of lower case alphanumeric characters, '-' or '.', "
            "and must start and end with an alphanumeric character",
        )


def check_type(rt: ResourceType, obj: dict[str, Any]) -> None:
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if api_version not in (None, "", rt.api_version) or kind not in (None, "", rt.kind):
        raise bad_request(
            f"the API version in the data ({api_version}) and kind ({kind}) do not match "
            f"the expected {rt.api_version} {rt.kind}"
        )


# ----------------------------------------------------------------- create and update
def prepare_create(
    rt: ResourceType, new: dict[str, Any], seed: bool, clock: Clock | None, taken: Callable[[str, str], bool]
) -> tuple[str, str]:
    """Fill in ``new`` as the registry does on create; returns its (namespace, name).

    ``seed=True`` keeps what a recorded object already carries (status, uid, creationTimestamp,
    generation); ``taken(namespace, name)`` says whether a name is in use.
    """
    meta = new.setdefault("metadata", {})
    check_type(rt, new)
    new["apiVersion"], new["kind"] = rt.api_version, rt.kind
    if rt.namespaced:
        meta["namespace"] = meta.get("namespace") or "default"
    else:
        meta.pop("namespace", None)
    ns = meta.get("namespace", "")
    if not meta.get("name") and meta.get("generateName"):
        while True:
            meta["name"] = meta["generateName"] + "".join(random.choices(_GENERATE_CHARS, k=5))
            if not taken(ns, meta["name"]):
                break
    name = meta.get("name")
    if not name:
        raise invalid(rt, "", "metadata.name: Required value: name or generateName is required")
    if not seed:  # seeds are recorded objects, some from before today's validation
        check_name(rt, name)
    if taken(ns, name):
        raise already_exists(rt, name)
    if not (seed and meta.get("uid")):
        meta["uid"] = str(uuid.uuid4())
    if not (seed and meta.get("creationTimestamp")):
        meta["creationTimestamp"] = timestamp(clock)
    if not (seed and isinstance(meta.get("generation"), int)):
        meta["generation"] = 1
    for key in ("deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"):
        meta.pop(key, None)
    if rt.has_status and not seed:
        new.pop("status", None)
    if rt.plural == "namespaces":  # what the namespace registry adds
        meta["labels"] = {**(meta.get("labels") or {}), "kubernetes.io/metadata.name": name}
        new.setdefault("spec", {"finalizers": ["kubernetes"]})
        new.setdefault("status", {"phase": "Active"})
    return ns, name


def updated(
    rt: ResourceType, old: dict[str, Any], cand: dict[str, Any], subresource: str | None
) -> dict[str, Any]:
    """The object a write of ``cand`` over ``old`` stores (``old`` is a fresh copy, ours to edit)."""
    if subresource == "status":
        if not rt.has_status:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        new = old
        if "status" in cand:
            new["status"] = cand["status"]
        else:
            new.pop("status", None)
        return new
    if subresource is not None:
        raise ApiError(404, "NotFound", "the server could not find the requested resource")
    check_type(rt, cand)
    new = cand
    new["apiVersion"], new["kind"] = rt.api_version, rt.kind
    meta = new.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise bad_request("metadata must be an object")
    old_meta = old["metadata"]
    if meta.get("name", old_meta["name"]) != old_meta["name"]:
        raise bad_request(
            f"the name of the object ({meta.get('name')}) does not match the name on the URL ({old_meta['name']})"
        )
    if rt.namespaced and meta.get("namespace", old_meta["namespace"]) != old_meta["namespace"]:
        raise bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    for key in _IDENTITY:
        if key in old_meta:
            meta[key] = old_meta[key]
        else:
            meta.pop(key, None)
    meta.pop("managedFields", None)
    if rt.has_status:
        if "status" in old:
            new["status"] = old["status"]
        else:
            new.pop("status", None)
    if spec_part(new, rt.has_status) != spec_part(old, rt.has_status):
        meta["generation"] = int(old_meta.get("generation") or 0) + 1
    return new


def namespace_object(name: str, clock: Clock | None) -> dict[str, Any]:
    """The Namespace the API server makes when something is created in a namespace that does not
    exist yet (the simulator's shortcut for the namespace admission plugin's refusal)."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "uid": str(uuid.uuid4()),
            "creationTimestamp": timestamp(clock),
            "labels": {"kubernetes.io/metadata.name": name},
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }
