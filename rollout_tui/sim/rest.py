"""The REST verbs on resources: get, list, watch, create, update, patch, delete and
deletecollection, with dryRun, Table answers and the scale subresource (as kube-apiserver's
generic handlers in k8s.io/apiserver/pkg/endpoints/handlers serve them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rollout_tui.sim import tables
from rollout_tui.sim.auth import User, forbidden
from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.protobuf import decode_object_meta_only
from rollout_tui.sim.records import dumps
from rollout_tui.sim.routing import ResourceRequest, list_body, parse_bool
from rollout_tui.sim.stream import WatchStream
from rollout_tui.sim.subresources import patch_scale, scale_of, set_scale

if TYPE_CHECKING:
    from rollout_tui.sim.handler import Handler

_NOT_ALLOWED = "the server does not allow this method on the requested resource"


def verb_of(method: str, request: ResourceRequest, query: dict[str, str]) -> str:
    """The RBAC verb a request needs."""
    if method == "GET":
        if request.name is not None:
            return "get"
        return "watch" if parse_bool(query.get("watch"), "watch") else "list"
    if method == "DELETE" and request.name is None:
        return "deletecollection"
    return {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}[method]


@dataclass
class ResourceCall:
    """One resource request after its checks: what the verb methods need."""

    req: ResourceRequest
    namespace: str | None
    query: dict[str, str]
    body: bytes
    dry: bool
    as_table: str | None
    include_object: str


class ResourceVerbs:
    """Serves resource requests on one connection (``handler``)."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.api = handler.api
        self.store = handler.api.store

    def serve(
        self, method: str, req: ResourceRequest, query: dict[str, str], body: bytes, user: User
    ) -> None:
        rt = req.rt
        verb = verb_of(method, req, query)
        if (method == "POST" and req.name is not None) or (method in ("PUT", "PATCH") and req.name is None):
            raise ApiError(405, "MethodNotAllowed", _NOT_ALLOWED)
        namespace = req.namespace if rt.namespaced else None
        if not user.allowed(verb, namespace):
            raise forbidden(user, verb, rt, req.resource, rt.group, namespace, req.name)
        dry_run = query.get("dryRun")
        if dry_run not in (None, "All"):
            raise bad_request(f'unsupported dry run value "{dry_run}": only "All" is supported')
        if dry_run and (verb == "deletecollection" or req.sub == "scale"):
            raise bad_request("dryRun is not supported by the simulator for this request")
        as_table = tables.wanted_version(self.handler.headers.get("Accept")) if method == "GET" else None
        include_object = query.get("includeObject") or "Metadata"
        if include_object not in ("None", "Metadata", "Object"):
            raise bad_request(f'invalid includeObject "{include_object}"')
        call = ResourceCall(req, namespace, query, body, dry_run == "All", as_table, include_object)
        getattr(self, verb)(call)

    def _send_table(self, call: ResourceCall, objects: list[dict[str, Any]], meta: dict[str, Any]) -> None:
        assert call.as_table is not None
        table = tables.table(
            call.req.rt,
            objects,
            self.api.now(),
            version=call.as_table,
            include_object=call.include_object,
            metadata=meta,
        )
        self.handler.send(200, dumps(table), tables.content_type(call.as_table))

    # --- reads ----------------------------------------------------------------
    def get(self, call: ResourceCall) -> None:
        req = call.req
        raw = self.store.get_raw(req.rt.plural, call.namespace, req.name or "")
        if req.sub == "scale":
            raw = dumps(scale_of(json.loads(raw)))
        elif call.as_table:
            obj = json.loads(raw)
            self._send_table(call, [obj], {"resourceVersion": obj["metadata"].get("resourceVersion", "")})
            return
        self.handler.send(200, raw)

    def list(self, call: ResourceCall) -> None:
        rt, query = call.req.rt, call.query
        limit = query.get("limit")
        try:
            limit_n = int(limit) if limit else None
        except ValueError:
            raise bad_request(f'invalid limit "{limit}"') from None
        result = self.store.list_raw(
            rt.plural,
            call.namespace,
            query.get("labelSelector"),
            query.get("fieldSelector"),
            limit_n,
            query.get("continue") or None,
        )
        if call.as_table:
            meta: dict[str, Any] = {"resourceVersion": result.resource_version}
            if result.continue_token:
                meta.update({"continue": result.continue_token, "remainingItemCount": result.remaining})
            self._send_table(call, [json.loads(i) for i in result.items], meta)
            return
        self.handler.send(
            200, list_body(rt, result.items, result.resource_version, result.continue_token, result.remaining)
        )

    def watch(self, call: ResourceCall) -> None:
        WatchStream(self.handler, self.api).serve(
            call.req, call.namespace, call.query, call.as_table, call.include_object
        )

    # --- writes ---------------------------------------------------------------
    def create(self, call: ResourceCall) -> None:
        rt, namespace = call.req.rt, call.namespace
        if (self.handler.headers.get("Content-Type") or "").startswith("application/vnd.kubernetes.protobuf"):
            try:
                obj = decode_object_meta_only(call.body)
            except ValueError as exc:
                raise ApiError(415, "UnsupportedMediaType", str(exc)) from None
        else:
            obj = self.handler.json_body(call.body)
        if not isinstance(obj, dict):
            raise bad_request("the request body must be a JSON object")
        meta = obj.setdefault("metadata", {})
        if rt.namespaced:
            if isinstance(meta, dict) and meta.get("namespace") not in (None, "", namespace):
                raise bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request"
                )
            if isinstance(meta, dict):
                meta["namespace"] = namespace
        self.handler.send(201, dumps(self.store.create(rt.plural, obj, dry_run=call.dry)))

    def update(self, call: ResourceCall) -> None:
        obj = self.handler.json_body(call.body)
        if not isinstance(obj, dict) or not isinstance(obj.get("metadata", {}), dict):
            raise bad_request("the request body must be a JSON object")
        req, namespace, rt = call.req, call.namespace, call.req.rt
        meta = obj.setdefault("metadata", {})
        if meta.get("name") not in (None, req.name):
            raise bad_request(
                f"the name of the object ({meta.get('name')}) does not match the name on the URL ({req.name})"
            )
        meta["name"] = req.name
        if rt.namespaced:
            if meta.get("namespace") not in (None, "", namespace):
                raise bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request"
                )
            meta["namespace"] = namespace
        if req.sub == "scale":
            result = set_scale(self.store, rt, namespace, req.name or "", obj, meta.get("resourceVersion"))
        else:
            result = self.store.replace(rt.plural, obj, req.sub, dry_run=call.dry)
        self.handler.send(200, dumps(result))

    def patch(self, call: ResourceCall) -> None:
        req, rt = call.req, call.req.rt
        content_type = self.handler.headers.get("Content-Type") or ""
        patch = self.handler.json_body(call.body)
        if req.sub == "scale":
            result = patch_scale(self.store, rt, call.namespace, req.name or "", patch, content_type)
        else:
            result = self.store.patch(
                rt.plural, call.namespace, req.name or "", patch, content_type, req.sub, dry_run=call.dry
            )
        self.handler.send(200, dumps(result))

    def delete(self, call: ResourceCall) -> None:
        options = self.handler.json_body(call.body) if call.body else {}
        propagation = (
            call.query.get("propagationPolicy") or (options or {}).get("propagationPolicy") or "Background"
        )
        pre = (options or {}).get("preconditions") or {}
        last = self.store.delete(
            call.req.rt.plural,
            call.namespace,
            call.req.name or "",
            propagation=propagation,
            precondition_rv=pre.get("resourceVersion"),
            precondition_uid=pre.get("uid"),
            dry_run=call.dry,
        )
        self.handler.send(200, dumps(last))

    def deletecollection(self, call: ResourceCall) -> None:
        rt, query = call.req.rt, call.query
        items, _rv = self.store.list(
            rt.plural, call.namespace, query.get("labelSelector"), query.get("fieldSelector")
        )
        gone = []
        for item in items:
            try:
                gone.append(
                    dumps(
                        self.store.delete(
                            rt.plural, item["metadata"].get("namespace"), item["metadata"]["name"]
                        )
                    )
                )
            except ApiError as exc:
                if exc.code != 404:  # already gone with an owner: fine
                    raise
        self.handler.send(200, list_body(rt, gone, self.store.resource_version))
