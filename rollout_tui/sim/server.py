"""The simulator's HTTP front: Kubernetes REST paths over a threaded stdlib server on loopback.

Every API path needs ``Authorization: Bearer <token>`` (401 without). Besides the Kubernetes API
(discovery, /openapi/v3, CRUD, watch, status and scale subresources, SelfSubjectAccessReview) it
serves fault-injection endpoints for tests (same token; parameters as query string or JSON body):

    GET  /sim/faults                          current fault state
    POST /sim/faults/errors?count=N&code=C    answer the next N API requests with C (429/500/503;
                                              429 carries Retry-After: retryAfter, default 1)
    POST /sim/faults/latency?seconds=S        delay every API request by S seconds (0 = off)
    POST /sim/faults/stall[?seconds=S]        watch streams go silent (no events, no bookmarks)
    POST /sim/faults/unstall                  resume stalled streams (queued events follow)
    POST /sim/faults/drop-watches             cut every watch connection abruptly
    POST /sim/faults/expire                   forget watch history: open watches get a 410
                                              ERROR event, older resourceVersions get 410
    POST /sim/faults/restart?downSeconds=S    stop serving for S seconds, then serve the same
                                              store on the same port (answers before going down)
    POST /sim/faults/reset                    clear errors, latency and stalls
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rollout_tui.sim import discovery
from rollout_tui.sim.auth import User, Users, forbidden
from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.faults import Faults
from rollout_tui.sim.protobuf import decode_access_review, decode_object_meta_only
from rollout_tui.sim.resources import RESOURCES, ResourceType, groups
from rollout_tui.sim.store import Store, WatchEvent, dumps

log = logging.getLogger(__name__)

DEFAULT_WATCH_TIMEOUT = 1800.0  # the API server picks 30-60 min when the client sets none
MAX_BODY = 3 * 1024 * 1024  # kube-apiserver's request body limit
POLL = 0.5  # how often an idle watch checks for faults, shutdown and a vanished client
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


class _Request:
    """The parsed target of a resource request."""

    def __init__(self, rt: ResourceType, namespace: str | None, name: str | None, sub: str | None) -> None:
        self.rt, self.namespace, self.name, self.sub = rt, namespace, name, sub

    @property
    def resource(self) -> str:
        return f"{self.rt.plural}/{self.sub}" if self.sub else self.rt.plural


def parse_resource_path(path: str) -> _Request | None:
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
    return _Request(rt, namespace, name, sub)


def _not_found_path() -> ApiError:
    return ApiError(404, "NotFound", "the server could not find the requested resource")


def list_body(rt: ResourceType, items: list[bytes], rv: str, continue_token: str | None = None,
              remaining: int | None = None) -> bytes:
    meta: dict[str, Any] = {"resourceVersion": rv}
    if continue_token:
        meta["continue"] = continue_token
        if remaining is not None:
            meta["remainingItemCount"] = remaining
    head = dumps({"kind": rt.list_kind, "apiVersion": rt.api_version, "metadata": meta})[:-1]
    return head + b',"items":[' + b",".join(items) + b"]}"


def scale_of(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj["metadata"]
    status = obj.get("status") or {}
    selector = status.get("selector")
    if not isinstance(selector, str):
        labels = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
        selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    return {
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                     if k in meta},
        "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 1)},
        # Rollouts declare statusReplicasPath .status.HPAReplicas in their CRD.
        "status": {"replicas": status.get("HPAReplicas", status.get("replicas", 0)) if obj.get("kind") == "Rollout"
                   else status.get("replicas", 0), "selector": selector},
    }


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Failed TLS handshakes and vanished clients are routine; keep them out of stderr.
        log.debug("connection from %s failed", client_address, exc_info=True)


class ApiServer:
    """Owns the listening socket; ``restart`` keeps the store and the port."""

    def __init__(self, store: Store, users: Users, faults: Faults, host: str = "127.0.0.1", port: int = 0,
                 openapi: Callable[[str, dict[str, str]], bytes | None] | None = None,
                 tls: ssl.SSLContext | None = None) -> None:
        self.store, self.users, self.faults = store, users, faults
        self.host, self.port = host, port
        self.tls = tls
        self.openapi = openapi
        self.bookmark_interval = 15.0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self.generation = 0  # bumped when serving stops; long requests end when it changes

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"api": self})
        httpd = _HTTPServer((self.host, self.port), handler)
        if self.tls is not None:
            # Handshakes happen in the connection's own thread, so a slow client blocks nobody.
            httpd.socket = self.tls.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name=f"sim-api-{self.port}", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        self.generation += 1
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        with self._conn_lock:
            conns = list(self._connections)
        for conn in conns:
            _abort(conn)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def restart(self, down_seconds: float) -> None:
        """Go down now; come back after ``down_seconds`` on the same port (in the background)."""
        self.stop()
        for watch in self.store.watches():
            watch.close()

        def come_back() -> None:
            deadline = time.monotonic() + 10
            while True:
                try:
                    self.start()
                    return
                except OSError:  # the old socket may linger a moment
                    if time.monotonic() > deadline:
                        log.exception("simulator could not rebind port %s", self.port)
                        return
                    time.sleep(0.1)

        timer = threading.Timer(max(0.0, down_seconds), come_back)
        timer.daemon = True
        timer.start()

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._conn_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


def _abort(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rollout-tui-sim"
    api: ApiServer

    # --- plumbing -------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without NODELAY, Nagle + delayed ACK add
        # ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.api.track(self.connection, True)

    def finish(self) -> None:
        self.api.track(self.connection, False)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise bad_request("invalid Content-Length") from None
        if length > MAX_BODY:
            self.close_connection = True  # the unread body makes the connection unusable
            raise ApiError(413, "RequestEntityTooLarge", f"Request entity too large: limit is {MAX_BODY}")
        return self.rfile.read(length) if length > 0 else b""

    def _json_body(self, raw: bytes) -> Any:
        if not raw:
            raise bad_request("the request body is empty")
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise bad_request(f"the request body is not valid JSON: {exc}") from None

    def _send(self, code: int, body: bytes, content_type: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache, private")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_error(self, error: ApiError, headers: dict[str, str] | None = None) -> None:
        self._send(error.code, dumps(error.status()), headers=headers)

    # --- dispatch -------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        path = url.path.rstrip("/") or "/"
        try:
            body = self._body()
            if path in ("/healthz", "/livez", "/readyz"):
                self._send(200, b"ok", "text/plain")
                return
            if path == "/version" and method == "GET":
                # Public on real clusters (system:public-info-viewer); kubectl probes it without
                # credentials before every command.
                self._send(200, dumps(discovery.version()))
                return
            if path == "/sim/faults" or path.startswith("/sim/faults/"):
                self.api.users.authenticate(self.headers.get("Authorization"))
                self._faults(method, path, query, body)
                return
            if self.api.faults.latency:
                time.sleep(self.api.faults.latency)
            injected = self.api.faults.take_error()
            if injected is not None:
                error, retry_after = injected
                self._send_error(error, {"Retry-After": str(retry_after)} if error.code == 429 else None)
                return
            user = self.api.users.authenticate(self.headers.get("Authorization"))
            self._route(method, path, query, body, user)
        except ApiError as error:
            self._send_error(error)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # a bug must answer a Status, not kill the connection silently
            log.exception("simulator failed on %s %s", method, self.path)
            self._send_error(ApiError(500, "InternalError", f"Internal error occurred: {exc}"))

    def _route(self, method: str, path: str, query: dict[str, str], body: bytes, user: User) -> None:
        static = self._static(path, query) if method == "GET" else None
        if static is not None:
            self._send(200, static)
            return
        if path == f"/apis/{discovery.AUTHZ_GROUP}/v1/selfsubjectaccessreviews":
            if method != "POST":
                raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the "
                               "requested resource")
            if (self.headers.get("Content-Type") or "").startswith("application/vnd.kubernetes.protobuf"):
                try:
                    review = decode_access_review(body)
                except ValueError as exc:
                    raise bad_request(f"cannot decode the protobuf body: {exc}") from None
            else:
                review = self._json_body(body)
            self._send(201, dumps(self._access_review(review, user)))
            return
        request = parse_resource_path(path)
        if request is None:
            raise _not_found_path()
        self._resource(method, request, query, body, user)

    def _static(self, path: str, query: dict[str, str]) -> bytes | None:
        if path == "/version":
            return dumps(discovery.version())
        if path == "/api":
            return dumps(discovery.api_versions())
        if path == "/apis":
            return dumps(discovery.api_group_list())
        if path == "/api/v1":
            return dumps(discovery.resource_list("v1"))
        if path.startswith("/openapi/"):
            doc = self.api.openapi(path, query) if self.api.openapi else None
            if doc is None:
                raise _not_found_path()
            return doc
        parts = path.strip("/").split("/")
        if parts[0] == "apis" and len(parts) == 2:
            group = discovery.api_group(parts[1])
            if group is None:
                raise _not_found_path()
            return dumps(group)
        if parts[0] == "apis" and len(parts) == 3:
            resources = discovery.resource_list(f"{parts[1]}/{parts[2]}")
            if resources is None:
                raise _not_found_path()
            return dumps(resources)
        return None

    def _access_review(self, review: dict[str, Any], user: User) -> dict[str, Any]:
        spec = review.get("spec") or {}
        attrs = spec.get("resourceAttributes")
        allowed, reason = True, ""
        if attrs:
            # kubectl may leave the group empty for a custom resource: match on the plural then.
            plural, group = attrs.get("resource"), attrs.get("group") or ""
            rt = next((r for r in RESOURCES.values() if r.plural == plural and r.group == group), None) or next(
                (r for r in RESOURCES.values() if r.plural == plural), None)
            namespace = attrs.get("namespace") or None
            if rt is not None and not rt.namespaced:
                namespace = None
            allowed = user.allowed(attrs.get("verb") or "", namespace)
            if not allowed:
                reason = f'User "{user.name}" may not {attrs.get("verb")} here'
        status = {"allowed": allowed}
        if not allowed:
            status.update({"denied": True, "reason": reason})
        return {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                "metadata": {"creationTimestamp": None}, "spec": spec, "status": status}

    # --- resources ------------------------------------------------------------
    def _verb(self, method: str, request: _Request, query: dict[str, str]) -> str:
        if method == "GET":
            if request.name is not None:
                return "get"
            return "watch" if parse_bool(query.get("watch"), "watch") else "list"
        if method == "DELETE" and request.name is None:
            return "deletecollection"
        return {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}[method]

    def _resource(self, method: str, req: _Request, query: dict[str, str], body: bytes, user: User) -> None:
        store = self.api.store
        rt = req.rt
        verb = self._verb(method, req, query)
        if (method == "POST" and req.name is not None) or (method in ("PUT", "PATCH") and req.name is None):
            raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                           "resource")
        namespace = req.namespace if rt.namespaced else None
        if not user.allowed(verb, namespace):
            raise forbidden(user, verb, rt, req.resource, rt.group, namespace, req.name)
        dry_run = query.get("dryRun")
        if dry_run not in (None, "All"):
            raise bad_request(f'unsupported dry run value "{dry_run}": only "All" is supported')
        if dry_run and (verb == "deletecollection" or req.sub == "scale"):
            raise bad_request("dryRun is not supported by the simulator for this request")
        dry = dry_run == "All"
        if verb == "get":
            raw = store.get_raw(rt.plural, namespace, req.name or "")
            if req.sub == "scale":
                raw = dumps(scale_of(json.loads(raw)))
            self._send(200, raw)
        elif verb == "list":
            limit = query.get("limit")
            try:
                limit_n = int(limit) if limit else None
            except ValueError:
                raise bad_request(f'invalid limit "{limit}"') from None
            result = store.list_raw(rt.plural, namespace, query.get("labelSelector"), query.get("fieldSelector"),
                                    limit_n, query.get("continue") or None)
            self._send(200, list_body(rt, result.items, result.resource_version, result.continue_token,
                                      result.remaining))
        elif verb == "watch":
            self._watch(req, namespace, query)
        elif verb == "create":
            if (self.headers.get("Content-Type") or "").startswith("application/vnd.kubernetes.protobuf"):
                try:
                    obj = decode_object_meta_only(body)
                except ValueError as exc:
                    raise ApiError(415, "UnsupportedMediaType", str(exc)) from None
            else:
                obj = self._json_body(body)
            if not isinstance(obj, dict):
                raise bad_request("the request body must be a JSON object")
            meta = obj.setdefault("metadata", {})
            if rt.namespaced:
                if isinstance(meta, dict) and meta.get("namespace") not in (None, "", namespace):
                    raise bad_request("the namespace of the provided object does not match the namespace "
                                      "sent on the request")
                if isinstance(meta, dict):
                    meta["namespace"] = namespace
            self._send(201, dumps(store.create(rt.plural, obj, dry_run=dry)))
        elif verb == "update":
            obj = self._json_body(body)
            if not isinstance(obj, dict) or not isinstance(obj.get("metadata", {}), dict):
                raise bad_request("the request body must be a JSON object")
            self._send(200, dumps(self._update(req, namespace, obj, dry)))
        elif verb == "patch":
            content_type = self.headers.get("Content-Type") or ""
            patch = self._json_body(body)
            if req.sub == "scale":
                self._send(200, dumps(self._patch_scale(req, namespace, patch, content_type)))
            else:
                self._send(200, dumps(store.patch(rt.plural, namespace, req.name or "", patch, content_type,
                                                  req.sub, dry_run=dry)))
        elif verb == "delete":
            options = self._json_body(body) if body else {}
            propagation = query.get("propagationPolicy") or (options or {}).get("propagationPolicy") or "Background"
            pre = (options or {}).get("preconditions") or {}
            self._send(200, dumps(store.delete(rt.plural, namespace, req.name or "", propagation=propagation,
                                               precondition_rv=pre.get("resourceVersion"),
                                               precondition_uid=pre.get("uid"), dry_run=dry)))
        elif verb == "deletecollection":
            items, _rv = store.list(rt.plural, namespace, query.get("labelSelector"), query.get("fieldSelector"))
            gone = []
            for item in items:
                try:
                    gone.append(dumps(store.delete(rt.plural, item["metadata"].get("namespace"),
                                                   item["metadata"]["name"])))
                except ApiError as exc:
                    if exc.code != 404:  # already gone with an owner: fine
                        raise
            self._send(200, list_body(rt, gone, store.resource_version))

    def _update(self, req: _Request, namespace: str | None, obj: dict[str, Any], dry_run: bool) -> dict[str, Any]:
        store, rt = self.api.store, req.rt
        meta = obj.setdefault("metadata", {})
        if meta.get("name") not in (None, req.name):
            raise bad_request(f'the name of the object ({meta.get("name")}) does not match the name on the URL '
                              f"({req.name})")
        meta["name"] = req.name
        if rt.namespaced:
            if meta.get("namespace") not in (None, "", namespace):
                raise bad_request("the namespace of the provided object does not match the namespace sent on "
                                  "the request")
            meta["namespace"] = namespace
        if req.sub == "scale":
            return self._set_scale(req, namespace, obj, meta.get("resourceVersion"))
        return store.replace(rt.plural, obj, req.sub, dry_run=dry_run)

    def _set_scale(self, req: _Request, namespace: str | None, scale: dict[str, Any], rv: Any) -> dict[str, Any]:
        replicas = (scale.get("spec") or {}).get("replicas")
        if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
            raise ApiError(422, "Invalid", f'Scale.autoscaling "{req.name}" is invalid: spec.replicas: Invalid '
                           f"value: {replicas!r}: must be a non-negative integer")

        def set_replicas(obj: dict[str, Any]) -> None:
            if rv and str(rv) != obj["metadata"]["resourceVersion"]:
                raise self.api.store._conflict(req.rt, req.name or "")
            obj.setdefault("spec", {})["replicas"] = replicas

        return scale_of(self.api.store.mutate(req.rt.plural, namespace, req.name or "", set_replicas))

    def _patch_scale(self, req: _Request, namespace: str | None, patch: Any, content_type: str) -> dict[str, Any]:
        from rollout_tui.sim.patch import apply_patch

        current = scale_of(self.api.store.get(req.rt.plural, namespace, req.name or ""))
        patched = apply_patch(current, patch, content_type, strategic=True)  # Scale is a built-in kind
        if not isinstance(patched, dict):
            raise bad_request("the patched object is not a Scale")
        rv = (patched.get("metadata") or {}).get("resourceVersion")
        return self._set_scale(req, namespace, patched, rv if rv != current["metadata"].get("resourceVersion")
                               else None)

    # --- watch ----------------------------------------------------------------
    def _watch(self, req: _Request, namespace: str | None, query: dict[str, str]) -> None:
        api = self.api
        rt = req.rt
        bookmarks = parse_bool(query.get("allowWatchBookmarks"), "allowWatchBookmarks")
        if parse_bool(query.get("sendInitialEvents"), "sendInitialEvents"):
            raise ApiError(422, "Invalid", "sendInitialEvents is forbidden for watch unless the WatchList "
                           "feature gate is enabled")
        try:
            timeout = float(query.get("timeoutSeconds") or DEFAULT_WATCH_TIMEOUT)
        except ValueError:
            raise bad_request(f'invalid timeoutSeconds "{query.get("timeoutSeconds")}"') from None
        expired: ApiError | None = None
        watch = None
        try:
            watch = api.store.watch(rt.plural, namespace, query.get("resourceVersion") or None,
                                    query.get("labelSelector"), query.get("fieldSelector"))
        except ApiError as exc:
            if exc.code != 410:
                raise
            expired = exc  # like the watch cache: 200, then one ERROR event
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        if expired is not None or watch is None:
            self._chunk(WatchEvent("ERROR", dumps(expired.status() if expired else {}), 0).line())
            self._chunk(b"")
            return
        generation, drops = api.generation, api.faults.drop_generation
        deadline = time.monotonic() + max(0.0, timeout)
        next_bookmark = time.monotonic() + api.bookmark_interval
        try:
            while True:
                now = time.monotonic()
                if api.generation != generation or api.faults.drop_generation != drops:
                    self._drop()
                    return
                if now >= deadline or self._client_gone():
                    break
                if api.faults.stalled:
                    api.faults.wait_while_stalled(min(POLL, deadline - now))
                    continue
                wait_until = min(deadline, now + POLL, next_bookmark if bookmarks else deadline)
                event = watch.get(max(0.0, wait_until - now))
                if api.generation != generation or api.faults.drop_generation != drops:
                    self._drop()
                    return
                if event is not None:
                    if api.faults.stalled:  # the stall began while we waited: hold the event
                        watch.unget(event)
                        continue
                    self._chunk(event.line())
                    continue
                if watch.closed:
                    break
                if bookmarks and time.monotonic() >= next_bookmark:
                    mark = {"kind": rt.kind, "apiVersion": rt.api_version,
                            "metadata": {"resourceVersion": watch.progress_rv()}}
                    self._chunk(WatchEvent("BOOKMARK", dumps(mark), 0).line())
                    next_bookmark = time.monotonic() + api.bookmark_interval
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True
        finally:
            watch.close()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _drop(self) -> None:
        """End the connection without the final chunk: the client sees a broken stream."""
        self.close_connection = True
        _abort(self.connection)

    def _client_gone(self) -> bool:
        """A watch client sends nothing after its request: readable means EOF or a TLS alert."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            # Peek at the raw TCP bytes (below TLS): nothing = closed, 0x15 = TLS alert (close_notify).
            head = socket.socket.recv(self.connection, 1, socket.MSG_PEEK)
            return head in (b"", b"\x15")
        except (OSError, ValueError):
            return True

    # --- faults ---------------------------------------------------------------
    def _faults(self, method: str, path: str, query: dict[str, str], body: bytes) -> None:
        faults = self.api.faults
        params: dict[str, Any] = dict(query)
        if body:
            data = self._json_body(body)
            if isinstance(data, dict):
                params.update(data)
        action = path[len("/sim/faults"):].strip("/")
        if method == "GET" and not action:
            self._send(200, dumps(faults.state()))
            return
        if method != "POST":
            raise ApiError(405, "MethodNotAllowed", "fault endpoints take POST")
        try:
            if action == "errors":
                faults.fail_next(int(params.get("count", 1)), int(params.get("code", 503)),
                                 int(params.get("retryAfter", 1)))
            elif action == "latency":
                faults.set_latency(float(params.get("seconds", 0)))
            elif action == "stall":
                seconds = params.get("seconds")
                faults.stall(None if seconds in (None, "") else float(seconds))
            elif action == "unstall":
                faults.unstall()
            elif action == "drop-watches":
                faults.drop_watches()
            elif action == "expire":
                faults.expire()
            elif action == "reset":
                faults.reset()
            elif action == "restart":
                down = float(params.get("downSeconds", 1))
                self._send(202, dumps({"restarting": True, "downSeconds": down}))
                self.close_connection = True
                threading.Thread(target=faults.restart, args=(down,), daemon=True).start()
                return
            else:
                raise ApiError(404, "NotFound", f"no fault named {action!r}")
        except (TypeError, ValueError) as exc:
            raise bad_request(f"bad fault parameters: {exc}") from None
        self._send(200, dumps(faults.state()))
