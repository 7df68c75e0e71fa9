"""The simulator's HTTP front: Kubernetes REST paths over a threaded stdlib server on loopback.

Every path but ``/version`` and ``/healthz`` needs ``Authorization: Bearer <token>`` (401
without), served over TLS because kubectl sends tokens only there. Besides the Kubernetes API
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
import socket
import ssl
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rollout_tui.sim import discovery, tables
from rollout_tui.sim.auth import User, Users, access_review, forbidden
from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.faults import Faults, http_action
from rollout_tui.sim.protobuf import decode_access_review, decode_object_meta_only
from rollout_tui.sim.records import dumps
from rollout_tui.sim.routing import (
    ResourceRequest,
    list_body,
    not_found_path,
    parse_bool,
    parse_resource_path,
)
from rollout_tui.sim.store import Store
from rollout_tui.sim.stream import WatchStream, abort
from rollout_tui.sim.subresources import patch_scale, scale_of, set_scale

log = logging.getLogger(__name__)

MAX_BODY = 3 * 1024 * 1024  # kube-apiserver's request body limit


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Failed TLS handshakes and vanished clients are routine; keep them out of stderr.
        log.debug("connection from %s failed", client_address, exc_info=True)


class ApiServer:
    """Owns the listening socket; ``restart`` keeps the store and the port."""

    def __init__(
        self,
        store: Store,
        users: Users,
        faults: Faults,
        host: str = "127.0.0.1",
        port: int = 0,
        openapi: Callable[[str, dict[str, str]], bytes | None] | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
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
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"sim-api-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def now(self) -> datetime:
        """The simulator's time (ages in tables are computed on it, as an API server does)."""
        clock = self.store.clock
        return clock.now() if clock is not None else datetime.now(UTC)

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
            abort(conn)
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

    def _send(
        self,
        code: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
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
            user = self.api.users.impersonate(user, self.headers, method, self.path)
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
                raise ApiError(
                    405, "MethodNotAllowed", "the server does not allow this method on the requested resource"
                )
            if (self.headers.get("Content-Type") or "").startswith("application/vnd.kubernetes.protobuf"):
                try:
                    review = decode_access_review(body)
                except ValueError as exc:
                    raise bad_request(f"cannot decode the protobuf body: {exc}") from None
            else:
                review = self._json_body(body)
            self._send(201, dumps(access_review(review, user)))
            return
        request = parse_resource_path(path)
        if request is None:
            raise not_found_path()
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
                raise not_found_path()
            return doc
        parts = path.strip("/").split("/")
        if parts[0] == "apis" and len(parts) == 2:
            group = discovery.api_group(parts[1])
            if group is None:
                raise not_found_path()
            return dumps(group)
        if parts[0] == "apis" and len(parts) == 3:
            resources = discovery.resource_list(f"{parts[1]}/{parts[2]}")
            if resources is None:
                raise not_found_path()
            return dumps(resources)
        return None

    # --- resources ------------------------------------------------------------
    def _verb(self, method: str, request: ResourceRequest, query: dict[str, str]) -> str:
        if method == "GET":
            if request.name is not None:
                return "get"
            return "watch" if parse_bool(query.get("watch"), "watch") else "list"
        if method == "DELETE" and request.name is None:
            return "deletecollection"
        return {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}[method]

    def _resource(
        self, method: str, req: ResourceRequest, query: dict[str, str], body: bytes, user: User
    ) -> None:
        store = self.api.store
        rt = req.rt
        verb = self._verb(method, req, query)
        if (method == "POST" and req.name is not None) or (method in ("PUT", "PATCH") and req.name is None):
            raise ApiError(
                405, "MethodNotAllowed", "the server does not allow this method on the requested resource"
            )
        namespace = req.namespace if rt.namespaced else None
        if not user.allowed(verb, namespace):
            raise forbidden(user, verb, rt, req.resource, rt.group, namespace, req.name)
        dry_run = query.get("dryRun")
        if dry_run not in (None, "All"):
            raise bad_request(f'unsupported dry run value "{dry_run}": only "All" is supported')
        if dry_run and (verb == "deletecollection" or req.sub == "scale"):
            raise bad_request("dryRun is not supported by the simulator for this request")
        dry = dry_run == "All"
        as_table = tables.wanted_version(self.headers.get("Accept")) if method == "GET" else None
        include_object = query.get("includeObject") or "Metadata"
        if include_object not in ("None", "Metadata", "Object"):
            raise bad_request(f'invalid includeObject "{include_object}"')
        if verb == "get":
            raw = store.get_raw(rt.plural, namespace, req.name or "")
            if req.sub == "scale":
                raw = dumps(scale_of(json.loads(raw)))
            elif as_table:
                obj = json.loads(raw)
                raw = dumps(
                    tables.table(
                        rt,
                        [obj],
                        self.api.now(),
                        version=as_table,
                        include_object=include_object,
                        metadata={"resourceVersion": obj["metadata"].get("resourceVersion", "")},
                    )
                )
                self._send(200, raw, tables.content_type(as_table))
                return
            self._send(200, raw)
        elif verb == "list":
            limit = query.get("limit")
            try:
                limit_n = int(limit) if limit else None
            except ValueError:
                raise bad_request(f'invalid limit "{limit}"') from None
            result = store.list_raw(
                rt.plural,
                namespace,
                query.get("labelSelector"),
                query.get("fieldSelector"),
                limit_n,
                query.get("continue") or None,
            )
            if as_table:
                meta: dict[str, Any] = {"resourceVersion": result.resource_version}
                if result.continue_token:
                    meta.update({"continue": result.continue_token, "remainingItemCount": result.remaining})
                body_out = dumps(
                    tables.table(
                        rt,
                        [json.loads(i) for i in result.items],
                        self.api.now(),
                        version=as_table,
                        include_object=include_object,
                        metadata=meta,
                    )
                )
                self._send(200, body_out, tables.content_type(as_table))
                return
            self._send(
                200,
                list_body(rt, result.items, result.resource_version, result.continue_token, result.remaining),
            )
        elif verb == "watch":
            WatchStream(self, self.api).serve(req, namespace, query, as_table, include_object)
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
                    raise bad_request(
                        "the namespace of the provided object does not match the namespace "
                        "sent on the request"
                    )
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
                self._send(200, dumps(patch_scale(store, rt, namespace, req.name or "", patch, content_type)))
            else:
                self._send(
                    200,
                    dumps(
                        store.patch(
                            rt.plural, namespace, req.name or "", patch, content_type, req.sub, dry_run=dry
                        )
                    ),
                )
        elif verb == "delete":
            options = self._json_body(body) if body else {}
            propagation = (
                query.get("propagationPolicy") or (options or {}).get("propagationPolicy") or "Background"
            )
            pre = (options or {}).get("preconditions") or {}
            self._send(
                200,
                dumps(
                    store.delete(
                        rt.plural,
                        namespace,
                        req.name or "",
                        propagation=propagation,
                        precondition_rv=pre.get("resourceVersion"),
                        precondition_uid=pre.get("uid"),
                        dry_run=dry,
                    )
                ),
            )
        elif verb == "deletecollection":
            items, _rv = store.list(
                rt.plural, namespace, query.get("labelSelector"), query.get("fieldSelector")
            )
            gone = []
            for item in items:
                try:
                    gone.append(
                        dumps(
                            store.delete(
                                rt.plural, item["metadata"].get("namespace"), item["metadata"]["name"]
                            )
                        )
                    )
                except ApiError as exc:
                    if exc.code != 404:  # already gone with an owner: fine
                        raise
            self._send(200, list_body(rt, gone, store.resource_version))

    def _update(
        self, req: ResourceRequest, namespace: str | None, obj: dict[str, Any], dry_run: bool
    ) -> dict[str, Any]:
        store, rt = self.api.store, req.rt
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
            return set_scale(store, rt, namespace, req.name or "", obj, meta.get("resourceVersion"))
        return store.replace(rt.plural, obj, req.sub, dry_run=dry_run)

    # --- faults ---------------------------------------------------------------
    def _faults(self, method: str, path: str, query: dict[str, str], body: bytes) -> None:
        faults = self.api.faults
        params: dict[str, Any] = dict(query)
        if body:
            data = self._json_body(body)
            if isinstance(data, dict):
                params.update(data)
        action = path[len("/sim/faults") :].strip("/")
        if method == "GET" and not action:
            self._send(200, dumps(faults.state()))
            return
        if method != "POST":
            raise ApiError(405, "MethodNotAllowed", "fault endpoints take POST")
        if action == "restart":
            try:
                down = float(params.get("downSeconds", 1))
            except (TypeError, ValueError):
                raise bad_request("bad fault parameters: downSeconds must be a number") from None
            self._send(202, dumps({"restarting": True, "downSeconds": down}))
            self.close_connection = True
            threading.Thread(target=faults.restart, args=(down,), daemon=True).start()
            return
        self._send(200, dumps(http_action(faults, action, params)))
