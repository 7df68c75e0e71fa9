"""One HTTP connection of the simulator's API server: plumbing, authentication, fault
injection, discovery and routing to the resource verbs (``rest``)."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from rollout_tui.sim import discovery
from rollout_tui.sim.auth import User, access_review
from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.faults import http_action
from rollout_tui.sim.podlogs import LOG_PATH, PodLogs
from rollout_tui.sim.protobuf import decode_access_review
from rollout_tui.sim.records import dumps
from rollout_tui.sim.rest import ResourceVerbs
from rollout_tui.sim.routing import not_found_path, parse_resource_path

if TYPE_CHECKING:
    from rollout_tui.sim.server import ApiServer

# Requests are logged under the server's name: that is the logger a test (or an operator)
# turns up to see every request the simulator answers.
log = logging.getLogger("rollout_tui.sim.server")

MAX_BODY = 3 * 1024 * 1024  # kube-apiserver's request body limit


class Handler(BaseHTTPRequestHandler):
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

    def json_body(self, raw: bytes) -> Any:
        if not raw:
            raise bad_request("the request body is empty")
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise bad_request(f"the request body is not valid JSON: {exc}") from None

    def send(
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
        self.send(error.code, dumps(error.status()), headers=headers)

    # --- dispatch -------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        path = url.path.rstrip("/") or "/"
        try:
            body = self._body()
            if path in ("/healthz", "/livez", "/readyz"):
                self.send(200, b"ok", "text/plain")
                return
            if path == "/version" and method == "GET":
                # Public on real clusters (system:public-info-viewer); kubectl probes it without
                # credentials before every command.
                self.send(200, dumps(discovery.version()))
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
            self.send(200, static)
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
                review = self.json_body(body)
            self.send(201, dumps(access_review(review, user)))
            return
        logs = LOG_PATH.match(path)
        if logs is not None:
            PodLogs(self).serve(method, logs[1], logs[2], query, user)
            return
        request = parse_resource_path(path)
        if request is None:
            raise not_found_path()
        ResourceVerbs(self).serve(method, request, query, body, user)

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

    # --- faults ---------------------------------------------------------------
    def _faults(self, method: str, path: str, query: dict[str, str], body: bytes) -> None:
        faults = self.api.faults
        params: dict[str, Any] = dict(query)
        if body:
            data = self.json_body(body)
            if isinstance(data, dict):
                params.update(data)
        action = path[len("/sim/faults") :].strip("/")
        if method == "GET" and not action:
            self.send(200, dumps(faults.state()))
            return
        if method != "POST":
            raise ApiError(405, "MethodNotAllowed", "fault endpoints take POST")
        if action == "restart":
            try:
                down = float(params.get("downSeconds", 1))
            except (TypeError, ValueError):
                raise bad_request("bad fault parameters: downSeconds must be a number") from None
            self.send(202, dumps({"restarting": True, "downSeconds": down}))
            self.close_connection = True
            threading.Thread(target=faults.restart, args=(down,), daemon=True).start()
            return
        self.send(200, dumps(http_action(faults, action, params)))
