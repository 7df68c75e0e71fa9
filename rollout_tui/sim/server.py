"""The simulator's HTTP front: Kubernetes REST paths over a threaded stdlib server on loopback.

Every path but ``/version`` and ``/healthz`` needs ``Authorization: Bearer <token>`` (401
without), served over TLS because kubectl sends tokens only there. Besides the Kubernetes API
(discovery, /openapi/v3, CRUD, watch, status and scale subresources, SelfSubjectAccessReview,
container logs at ``/api/v1/namespaces/{ns}/pods/{name}/log``, see ``podlogs``) it
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

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from typing import Any

from rollout_tui.sim.auth import Users
from rollout_tui.sim.faults import Faults
from rollout_tui.sim.handler import Handler
from rollout_tui.sim.store import Store
from rollout_tui.sim.stream import abort

log = logging.getLogger(__name__)


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
        handler = type("Handler", (Handler,), {"api": self})
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
