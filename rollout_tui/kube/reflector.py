"""List + watch of one (context, kind, scope) on a dedicated daemon thread.

As client-go's reflector (tools/cache/reflector.go) does: paged list, then watch from the list's resourceVersion
with bookmarks, a server-side ``timeoutSeconds`` and a client read timeout (a silent network
partition would otherwise hang the watch forever); the resourceVersion is tracked from every
event including bookmarks; 410 Gone -> relist (diffed, so consumers see exact changes); 401 ->
reload credentials; 403/404/400 -> surfaced, slow retry; anything else -> rewatch with
exponential backoff and jitter, reset after a successful list or event, cut short as soon as a
probe of the API answers again (``reachability``). A watch silent for longer than its server's
bookmark interval, or silent for a few seconds while the probe fails, is shown as stale at once
and reopened (``liveness``); it is live again when data flows. Dedicated daemon threads, not UI
workers: a watch blocks for minutes and must never delay application exit.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

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
from rollout_tui.kube.liveness import StreamLiveness
from rollout_tui.kube.reachability import Probe, prober_for, retry_after
from rollout_tui.kube.reflector_params import ReflectorParams, ReflectorSink, Scope
from rollout_tui.kube.resources import Kind, ResourceClient, iter_lines, loads
from rollout_tui.kube.state import ConnectionState, Phase
from rollout_tui.kube.transport import resource_path


class Reflector:
    def __init__(
        self,
        name: str,
        client: ResourceClient,
        scope: Scope,
        sink: ReflectorSink,
        params: ReflectorParams | None = None,
        accept: Callable[[dict[str, Any]], bool] | None = None,
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
        self._state_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._reopened = False  # the stream was cut here for its silence (not a server error)
        self.liveness = StreamLiveness(
            name,
            self.params.silence_probe,
            self.params.bookmark_interval,
            prober_for(client.api_client),
            self._probe,
            self._silenced,
        )

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
        with self._state_lock:
            previous = self.state
            if previous.phase is phase and previous.detail == detail:
                return
            since = previous.since if previous.phase is phase else datetime.now(UTC)
            self.state = ConnectionState(phase, since, detail, data_at=self._data_seen())
        self.sink.state(self, self.state)

    def _failing(self, phase: Phase, detail: str) -> None:
        # "reconnecting since T": T is when the trouble began, not the latest attempt
        with self._state_lock:
            previous = self.state
            troubled = (Phase.RECONNECTING, Phase.UNREACHABLE)
            keep = previous.phase in troubled and phase in troubled
            since = previous.since if keep else datetime.now(UTC)
            self.state = ConnectionState(phase, since, detail, data_at=self._data_seen())
        self.sink.state(self, self.state)

    def _data_seen(self) -> float | None:
        """When data last came (monotonic), None while nothing was ever listed."""
        return self.liveness.data_at if self.synced.is_set() else None

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
        self.state = ConnectionState(
            Phase.SYNCING, self.state.since, self.state.detail, received, expected, self._data_seen()
        )
        self.sink.state(self, self.state)

    def _watch_once(self) -> bool:
        """One watch request. Returns True when a relist is needed (410)."""
        self.liveness.begin("watch")
        try:
            resp = self.client.watch(
                self.scope.namespace,
                resource_version=self.resource_version,
                label_selector=self.scope.label_selector or None,
                field_selector=self.scope.field_selector or None,
                timeout_seconds=self.params.watch_timeout,
                request_timeout=self._timeouts(self.params.read_timeout),
            )
        except BaseException:
            self.liveness.end()
            raise
        self.watches += 1
        with self._resp_lock:
            self._resp = resp
        try:
            if self._stop.is_set():
                return False
            if not self.liveness.awaiting_data:  # after a stall, a 200 proves nothing yet
                self._set_state(Phase.LIVE)
            for line in iter_lines(resp):
                if self._stop.is_set():
                    return False
                if self._handle_line(line):
                    return True
            return False
        finally:
            self.liveness.end()
            with self._resp_lock:
                self._resp = None
            _abort_response(resp)

    # -- liveness: the watchdog thread checks; probes run on their own threads --------------------
    def _probe(self) -> Probe:
        return prober_for(self.client.api_client).check(self._probe_path(), max_age=0.5)

    def _probe_path(self) -> str:
        return resource_path(self.kind, self.scope.namespace)

    def _silenced(self, why: str, reopen: bool) -> None:
        """Nothing came and the API does not answer, or the stream outlived its bookmarks: stale
        now (live again as soon as data flows); a dead stream is reopened."""
        self._failing(Phase.RECONNECTING, f"no data: {why}")
        with self._resp_lock:
            resp = self._resp
        if reopen and resp is not None:
            self._reopened = True
            _abort_response(resp)

    def _handle_line(self, line: bytes) -> bool:
        try:
            event = loads(line)
        except ValueError:
            raise KubeError("malformed watch event", ErrorKind.BROKEN) from None
        if not isinstance(event, dict):
            raise KubeError("malformed watch event", ErrorKind.BROKEN)
        if self.liveness.data():
            self._set_state(Phase.LIVE)
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
            self.liveness.bookmark()
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

    def _wait_to_retry(self, seconds: float, not_before: float = 0.0) -> None:
        """Back off up to ``seconds``, but retry as soon as a probe finds the API serving again
        (not before ``not_before`` seconds: a throttling server's Retry-After)."""
        start = time.monotonic()
        deadline, earliest = start + seconds, start + min(not_before, seconds)
        prober = prober_for(self.client.api_client)
        while not self._stop.is_set():
            now = time.monotonic()
            # jittered, so many reflectors and many operators do not retry in the same instant
            pause = min(
                deadline - now, max(earliest - now, self.params.probe_interval * (0.75 + random.random() / 2))
            )
            if pause <= 0 or self._stop.wait(pause) or time.monotonic() >= deadline:
                return
            probe = prober.check(self._probe_path(), max_age=self.params.probe_interval)
            if probe.ok:
                return
            if probe.retry_after:
                earliest = probe.at + min(probe.retry_after, self.params.backoff_max)

    def _listing(self) -> None:
        """The list, watched for silence like a watch (it cannot be cut, only shown stale)."""
        self.liveness.begin("list")
        try:
            self._list()
        finally:
            self.liveness.end()
        self.liveness.listed()

    def _run(self) -> None:
        need_list = True
        gone_streak = 0
        while not self._stop.is_set():
            try:
                if need_list:
                    self._listing()
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
                self._failed(exc, err)

    def _failed(self, exc: BaseException, err: KubeError) -> None:
        """Say what went wrong and wait before the next attempt."""
        silenced = self._reopened and err.kind in (ErrorKind.BROKEN, ErrorKind.TIMEOUT)
        self._reopened = False
        if err.kind is ErrorKind.UNAUTHORIZED:
            self._failing(Phase.RECONNECTING, f"unauthorized, reloading credentials: {err}")
            if self._reload_credentials is not None:
                try:
                    self._reload_credentials()
                except Exception as reload_exc:
                    self._failing(Phase.RECONNECTING, f"unauthorized: {classify(reload_exc)}")
            self._sleep(self.backoff.next())  # not probe-gated: the probe would find it "serving"
        elif err.kind is ErrorKind.FORBIDDEN:
            self._set_state(Phase.FORBIDDEN, str(err))
            self._sleep(self.params.slow_retry)
        elif err.kind in (ErrorKind.NOT_FOUND, ErrorKind.INVALID):
            self._set_state(Phase.FAILED, str(err))
            self._sleep(self.params.slow_retry)
        else:
            if not silenced:  # our own cut of a silent stream: keep saying why
                phase = Phase.UNREACHABLE if err.kind is ErrorKind.UNREACHABLE else Phase.RECONNECTING
                self._failing(phase, str(err))
            # a throttling server's Retry-After is honoured, within our backoff ceiling
            wait = self.backoff.next()
            self._wait_to_retry(max(wait, min(retry_after(exc), self.params.backoff_max)), retry_after(exc))


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
