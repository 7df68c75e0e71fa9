"""Watch streams over HTTP: chunked, one JSON event per line, flushed per event.

Bookmarks when asked for, ``timeoutSeconds``, a clean final chunk on a normal end, and the
fault-injection behaviours: silent stalls, abrupt drops, and cuts when the server restarts.
"""

from __future__ import annotations

import contextlib
import select
import socket
import time
from typing import TYPE_CHECKING, Any

from rollout_tui.sim import tables
from rollout_tui.sim.errors import ApiError, bad_request
from rollout_tui.sim.records import dumps
from rollout_tui.sim.routing import ResourceRequest, parse_bool
from rollout_tui.sim.watch import WatchEvent

if TYPE_CHECKING:
    from rollout_tui.sim.server import ApiServer

DEFAULT_WATCH_TIMEOUT = 1800.0  # the API server picks 30-60 min when the client sets none
POLL = 0.5  # how often an idle watch checks for faults, shutdown and a vanished client
BATCH_BYTES = 256 * 1024  # queued events written together, up to about this much


class WatchStream:
    """Serves one watch request on a request handler's connection."""

    def __init__(self, handler: Any, api: ApiServer) -> None:
        self.handler, self.api = handler, api

    def serve(
        self,
        req: ResourceRequest,
        namespace: str | None,
        query: dict[str, str],
        as_table: str | None = None,
        include_object: str = "Metadata",
    ) -> None:
        """``as_table``: the Table version the client asked for; events then carry one-row
        Tables, with column definitions on the first one only (as kube-apiserver sends them)."""
        api, handler = self.api, self.handler
        self._table = as_table
        self._include_object = include_object
        self._headers_sent = False
        rt = req.rt
        bookmarks = parse_bool(query.get("allowWatchBookmarks"), "allowWatchBookmarks")
        if parse_bool(query.get("sendInitialEvents"), "sendInitialEvents"):
            raise ApiError(
                422,
                "Invalid",
                "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
            )
        try:
            timeout = float(query.get("timeoutSeconds") or DEFAULT_WATCH_TIMEOUT)
        except ValueError:
            raise bad_request(f'invalid timeoutSeconds "{query.get("timeoutSeconds")}"') from None
        expired: ApiError | None = None
        watch = None
        try:
            watch = api.store.watch(
                rt.plural,
                namespace,
                query.get("resourceVersion") or None,
                query.get("labelSelector"),
                query.get("fieldSelector"),
            )
        except ApiError as exc:
            if exc.code != 410:
                raise
            expired = exc  # like the watch cache: 200, then one ERROR event
        handler.send_response(200)
        handler.send_header("Content-Type", tables.content_type(as_table) if as_table else "application/json")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Cache-Control", "no-cache, private")
        handler.end_headers()
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
                if now >= deadline or client_gone(self.handler.connection):
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
                    # Whatever else is queued goes in the same write: an initial list of 10,000
                    # objects is not 10,000 TLS records. Still one event per line.
                    lines = [self._line(req, event)]
                    size = len(lines[0])
                    while size < BATCH_BYTES and (more := watch.get(0)) is not None:
                        lines.append(self._line(req, more))
                        size += len(lines[-1])
                    self._chunk(b"".join(lines))
                    continue
                if watch.closed:
                    break
                if bookmarks and time.monotonic() >= next_bookmark:
                    mark = {
                        "kind": rt.kind,
                        "apiVersion": rt.api_version,
                        "metadata": {"resourceVersion": watch.progress_rv()},
                    }
                    self._chunk(WatchEvent("BOOKMARK", dumps(mark), 0).line())
                    next_bookmark = time.monotonic() + api.bookmark_interval
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.handler.close_connection = True
        finally:
            watch.close()

    def _line(self, req: ResourceRequest, event: WatchEvent) -> bytes:
        if not self._table or event.type not in ("ADDED", "MODIFIED", "DELETED"):
            return event.line()
        converted = tables.table(
            req.rt,
            [event.object],
            self.api.now(),
            version=self._table,
            include_object=self._include_object,
            headers=not self._headers_sent,
            metadata={"resourceVersion": str(event.resource_version)},
        )
        self._headers_sent = True
        return WatchEvent(event.type, dumps(converted), event.resource_version).line()

    def _chunk(self, data: bytes) -> None:
        self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.handler.wfile.flush()

    def _drop(self) -> None:
        """End the connection without the final chunk: the client sees a broken stream."""
        self.handler.close_connection = True
        abort(self.handler.connection)


def client_gone(connection: socket.socket) -> bool:
    """A streaming client sends nothing after its request: readable means EOF or a TLS alert."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        if not readable:
            return False
        # Peek at the raw TCP bytes (below TLS): nothing = closed, 0x15 = TLS alert (close_notify).
        head = socket.socket.recv(connection, 1, socket.MSG_PEEK)
        return head in (b"", b"\x15")
    except (OSError, ValueError):
        return True


def abort(conn: socket.socket) -> None:
    """Shut a connection down without a goodbye (the client sees a broken stream)."""
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
