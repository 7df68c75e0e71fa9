"""List + watch of one (context, kind, scope) on a dedicated daemon thread.

Follows §A of the Kubernetes API notes: paged list, then watch from the list's resourceVersion
with bookmarks, a server-side ``timeoutSeconds`` and a client read timeout (a silent network
partition would otherwise hang the watch forever); the resourceVersion is tracked from every
event including bookmarks; 410 Gone -> relist (diffed, so consumers see exact changes); 401 ->
reload credentials; 403/404/400 -> surfaced, slow retry; anything else -> rewatch with
exponential backoff and jitter, reset after a successful list or event. Dedicated daemon threads,
not UI workers: a watch blocks for minutes and must never delay application exit.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from rollout_tui.kube.backoff import Backoff
from rollout_tui.kube.cache import object_key
from rollout_tui.kube.errors import (
    ErrorKind,
    KubeError,
    classify,
    is_too_large_resource_version,
    one_line,
    status_kind,
)
from rollout_tui.kube.reachability import accepts_connections, endpoint
from rollout_tui.kube.resources import Kind, ResourceClient, iter_lines, loads
from rollout_tui.kube.state import ConnectionState, Phase


@dataclass(frozen=True)
class ReflectorParams:
    page_size: int = 500
    watch_timeout: int = 300  # server closes the watch after this; we rewatch from our RV
    connect_timeout: float = 10.0
    read_timeout: float = 90.0  # > the ~60 s bookmark interval of real API servers
    list_timeout: float = 60.0
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    slow_retry: float = 60.0  # after 403/404/400: the answer will not change quickly
    probe_interval: float = 1.0  # while unreachable: how often to test whether the port answers


@dataclass(frozen=True)
class Scope:
    namespace: str | None = None  # None: all namespaces
    label_selector: str = ""
    field_selector: str = ""

    def describe(self) -> str:
        parts = [f"ns={self.namespace or '*'}"]
        if self.label_selector:
            parts.append(f"labels={self.label_selector}")
        if self.field_selector:
            parts.append(f"fields={self.field_selector}")
        return " ".join(parts)


class ReflectorSink(Protocol):
    def page(self, reflector: Reflector, items: list[dict]) -> None: ...
    def listed(self, reflector: Reflector, seen: set[tuple[str, str]]) -> None: ...
    def upsert(self, reflector: Reflector, obj: dict) -> None: ...
    def delete(self, reflector: Reflector, obj: dict) -> None: ...
    def state(self, reflector: Reflector, state: ConnectionState) -> None: ...


class Reflector:
    def __init__(
        self,
        name: str,
        client: ResourceClient,
        scope: Scope,
        sink: ReflectorSink,
        params: ReflectorParams | None = None,
        accept: Callable[[dict], bool] | None = None,
        reload_credentials: Callable[[], None] | None = None,
        backoff: Backoff | None = None,
        pace: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        self._pace = pace  # between the pages of a list: waits while the consumer is behind
        self.client = client
        self.kind: Kind = client.kind
        self.scope = scope
        self.sink = sink
        self.params = params or ReflectorParams()
        self.accept = accept
        self._reload_credentials = reload_credentials
        self.backoff = backoff or Backoff(self.params.backoff_initial, self.params.backoff_max)
        self.resource_version = ""
        self.state = ConnectionState(Phase.SYNCING, datetime.now(UTC), scope.describe())
        self.synced = threading.Event()  # set after the first successful list
        self.lists = 0  # how many full lists were done (tests check relists)
        self.watches = 0  # how many watch requests were opened
        self.failures = 0  # failed list/watch attempts (other than 410)
        self._stop = threading.Event()
        self._resp: Any = None
        self._resp_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> Reflector:
        self._thread = threading.Thread(target=self._run, name=f"reflector {self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, wait: float = 0.0) -> None:
        self._stop.set()
        with self._resp_lock:
            resp = self._resp
        if resp is not None:
            _abort_response(resp)
        if wait and self._thread is not None:
            self._thread.join(wait)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- state ----------------------------------------------------------------------------------------
    def _set_state(self, phase: Phase, detail: str = "") -> None:
        if phase is Phase.LIVE:
            detail = self.scope.describe()
        previous = self.state
        if previous.phase is phase and previous.detail == detail:
            return
        since = previous.since if previous.phase is phase else datetime.now(UTC)
        self.state = ConnectionState(phase, since, detail)
        self.sink.state(self, self.state)

    def _failing(self, phase: Phase, detail: str) -> None:
        # "reconnecting since T": T is when the trouble began, not the latest attempt
        previous = self.state
        troubled = (Phase.RECONNECTING, Phase.UNREACHABLE)
        since = previous.since if previous.phase in troubled and phase in troubled else datetime.now(UTC)
        self.state = ConnectionState(phase, since, detail)
        self.sink.state(self, self.state)

    # -- the loop -------------------------------------------------------------------------------------
    def _timeouts(self, read: float) -> tuple[float, float]:
        return (self.params.connect_timeout, read)

    def _list(self) -> None:
        """Paged list. Each page reaches the store as it arrives (the overview paints its first
        rows while the rest are listed); at the end the store drops what the list no longer has."""
        seen: set[tuple[str, str]] = set()
        received = 0
        rv = ""
        for page in self.client.list_pages(
            self.scope.namespace,
            label_selector=self.scope.label_selector or None,
            field_selector=self.scope.field_selector or None,
            page_size=self.params.page_size,
            request_timeout=self._timeouts(self.params.list_timeout),
        ):
            items = page.items if self.accept is None else [obj for obj in page.items if self.accept(obj)]
            seen.update(object_key(self.kind.kind, obj)[1:] for obj in items)
            self.sink.page(self, items)
            received += len(page.items)
            rv, last, remaining = page.resource_version, page.last, page.remaining
            del page, items  # the decoded page is freed before any wait (20 lists: ~100 MB held)
            if not last:
                self._loading(received, remaining)
                if self._pace is not None:
                    self._pace()
        self.sink.listed(self, seen)
        self.resource_version = rv
        self.lists += 1
        self.synced.set()

    def _loading(self, received: int, remaining: int | None) -> None:
        """First list only: how far it got ("loading 3,500 / ~10,000"); relists keep their state."""
        if self.state.phase is not Phase.SYNCING:
            return
        expected = None if remaining is None else received + remaining
        self.state = ConnectionState(Phase.SYNCING, self.state.since, self.state.detail, received, expected)
        self.sink.state(self, self.state)

    def _watch_once(self) -> bool:
        """One watch request. Returns True when a relist is needed (410)."""
        resp = self.client.watch(
            self.scope.namespace,
            resource_version=self.resource_version,
            label_selector=self.scope.label_selector or None,
            field_selector=self.scope.field_selector or None,
            timeout_seconds=self.params.watch_timeout,
            request_timeout=self._timeouts(self.params.read_timeout),
        )
        self.watches += 1
        with self._resp_lock:
            self._resp = resp
        try:
            if self._stop.is_set():
                return False
            self._set_state(Phase.LIVE)
            for line in iter_lines(resp):
                if self._stop.is_set():
                    return False
                if self._handle_line(line):
                    return True
            return False
        finally:
            with self._resp_lock:
                self._resp = None
            _abort_response(resp)

    def _handle_line(self, line: bytes) -> bool:
        try:
            event = loads(line)
        except ValueError:
            raise KubeError("malformed watch event", ErrorKind.BROKEN) from None
        if not isinstance(event, dict):
            raise KubeError("malformed watch event", ErrorKind.BROKEN)
        etype = event.get("type")
        obj = event.get("object")
        if not isinstance(obj, dict):
            raise KubeError("malformed watch event", ErrorKind.BROKEN)
        if etype == "ERROR":
            code = obj.get("code")
            code = code if isinstance(code, int) else 500
            if code == 410 or is_too_large_resource_version(code, str(obj.get("message", ""))):
                return True
            raise KubeError(
                one_line(f"{obj.get('reason', '')}: {obj.get('message', '')}".strip(": ")),
                status_kind(code),
                code,
            )
        rv = (obj.get("metadata") or {}).get("resourceVersion")
        if rv:
            self.resource_version = str(rv)
        if etype == "BOOKMARK":
            self.backoff.reset()
            return False
        obj.setdefault("kind", self.kind.kind)
        obj.setdefault("apiVersion", self.kind.api_version)
        if etype in ("ADDED", "MODIFIED"):
            if self.accept is None or self.accept(obj):
                self.sink.upsert(self, obj)
            else:
                self.sink.delete(self, obj)  # no longer ours (e.g. owner reference removed)
        elif etype == "DELETED":
            self.sink.delete(self, obj)
        self.backoff.reset()
        return False

    def _sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def _sleep_until_reachable(self, seconds: float) -> None:
        """Back off, but retry as soon as the server accepts connections again."""
        address = endpoint(getattr(self.client, "api_client", None))
        deadline = time.monotonic() + seconds
        while address is not None and not self._stop.is_set():
            # probe at a jittered ~1 s so many reflectors do not reconnect in the same instant
            pause = min(deadline - time.monotonic(), self.params.probe_interval * (0.5 + random.random()))
            if pause <= 0 or self._stop.wait(pause):
                return
            if accepts_connections(address, timeout=min(0.5, self.params.connect_timeout)):
                return
        self._sleep(max(0.0, deadline - time.monotonic()))

    def _run(self) -> None:
        need_list = True
        gone_streak = 0
        while not self._stop.is_set():
            try:
                if need_list:
                    self._list()
                    need_list = False
                    self.backoff.reset()
                    self._set_state(Phase.LIVE)
                if self._watch_once():
                    need_list = True
                    gone_streak += 1
                    if gone_streak > 1:  # a server that keeps expiring us: do not spin
                        self._sleep(self.backoff.next())
                else:
                    gone_streak = 0
            except Exception as exc:
                if self._stop.is_set():
                    break
                err = classify(exc)
                if err.kind is ErrorKind.GONE:  # as an HTTP status, or an expired continue token
                    need_list = True
                    gone_streak += 1
                    if gone_streak > 1:
                        self._sleep(self.backoff.next())
                    continue
                gone_streak = 0
                self.failures += 1
                if err.kind is ErrorKind.UNAUTHORIZED:
                    self._failing(Phase.RECONNECTING, f"unauthorized, reloading credentials: {err}")
                    if self._reload_credentials is not None:
                        try:
                            self._reload_credentials()
                        except Exception as reload_exc:
                            self._failing(Phase.RECONNECTING, f"unauthorized: {classify(reload_exc)}")
                    self._sleep(self.backoff.next())
                elif err.kind is ErrorKind.FORBIDDEN:
                    self._set_state(Phase.FORBIDDEN, str(err))
                    self._sleep(self.params.slow_retry)
                elif err.kind in (ErrorKind.NOT_FOUND, ErrorKind.INVALID):
                    self._set_state(Phase.FAILED, str(err))
                    self._sleep(self.params.slow_retry)
                elif err.kind is ErrorKind.UNREACHABLE:
                    self._failing(Phase.UNREACHABLE, str(err))
                    self._sleep_until_reachable(self.backoff.next())
                else:
                    self._failing(Phase.RECONNECTING, str(err))
                    # a throttling server's Retry-After is honoured, within our backoff ceiling
                    self._sleep(max(self.backoff.next(), min(_retry_after(exc), self.params.backoff_max)))


def _retry_after(exc: BaseException) -> float:
    headers = getattr(exc, "headers", None)
    try:
        value = headers.get("Retry-After") if headers is not None else None
        return max(0.0, float(value)) if value is not None else 0.0
    except (TypeError, ValueError, AttributeError):
        return 0.0


def _abort_response(resp: Any) -> None:
    """Unblock a thread reading ``resp`` and drop its connection (it is mid-stream: not reusable)."""
    try:
        shutdown = getattr(resp, "shutdown", None)
        if shutdown is not None:
            shutdown()
        resp.close()
        resp.release_conn()
    except Exception:
        pass


__all__ = ["Reflector", "ReflectorParams", "ReflectorSink", "Scope", "object_key"]
