"""Request routing: which resource a path names, and query-string booleans as Go parses them."""

from __future__ import annotations

from typing import Any

from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.records import dumps
from rollout_tui.sim.resources import ResourceType, groups

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def parse_bool(value: str | None, name: str) -> bool:
    """Go's strconv.ParseBool, which the API server uses for query booleans."""
    if value is None or value == "":
        return False
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise bad_request(f'invalid boolean value "{value}" for {name}')


class ResourceRequest:
    """The parsed target of a resource request."""

    def __init__(self, rt: ResourceType, namespace: str | None, name: str | None, sub: str | None) -> None:
        self.rt, self.namespace, self.name, self.sub = rt, namespace, name, sub

    @property
    def resource(self) -> str:
        return f"{self.rt.plural}/{self.sub}" if self.sub else self.rt.plural


def parse_resource_path(path: str) -> ResourceRequest | None:
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "api" and parts[1] == "v1":
        group_version, rest = "v1", parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group_version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        return None
    served = {rt.plural: rt for rt in groups().get(group_version, [])}
    namespace = None
    if len(rest) >= 3 and rest[0] == "namespaces" and rest[2] in served and served[rest[2]].namespaced:
        namespace, rest = rest[1], rest[2:]
    if not rest or rest[0] not in served or len(rest) > 3:
        return None
    rt = served[rest[0]]
    name = rest[1] if len(rest) > 1 else None
    sub = rest[2] if len(rest) > 2 else None
    if (rt.namespaced and name is not None and namespace is None) or (not rt.namespaced and namespace):
        return None
    if sub is not None and not ((sub == "status" and rt.has_status) or (sub == "scale" and rt.has_scale)):
        return None
    return ResourceRequest(rt, namespace, name, sub)


def not_found_path() -> ApiError:
    return ApiError(404, "NotFound", "the server could not find the requested resource")


def list_body(
    rt: ResourceType,
    items: list[bytes],
    rv: str,
    continue_token: str | None = None,
    remaining: int | None = None,
) -> bytes:
    meta: dict[str, Any] = {"resourceVersion": rv}
    if continue_token:
        meta["continue"] = continue_token
        if remaining is not None:
            meta["remainingItemCount"] = remaining
    head = dumps({"kind": rt.list_kind, "apiVersion": rt.api_version, "metadata": meta})[:-1]
    return head + b',"items":[' + b",".join(items) + b"]}"
