"""Container logs, streamed: `GET /api/v1/namespaces/{ns}/pods/{name}/log` through the context's
ApiClient (so impersonation, credentials refresh and TLS are the ones every other request uses;
a read-only session may read logs), one daemon thread per stream, never the UI's.

Every request has a connect and a read timeout. Lines are always requested with `timestamps`,
so a silent follow (a quiet container, a stalled proxy) is resumed after the read timeout with
`sinceTime` at the last line seen, dropping what was already read; a container that is waiting
to (re)start is asked again every `retry` seconds while following, so a crash loop's every run
is read. Lines are made inert on the reader thread (`render.safe.clean`, bounded length) and kept
in a bounded queue; the UI takes them in batches (`drain`) on its own timer. `close` drops the
connection at once.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rollout_tui.kube.errors import ErrorKind, classify
from rollout_tui.kube.resources import iter_lines
from rollout_tui.kube.transport import get_stream
from rollout_tui.render.safe import clean

MAX_LINE = 4000  # characters kept of one line
PENDING = 20_000  # lines held for the UI at most (the oldest are dropped first)


@dataclass(frozen=True, slots=True)
class LogRequest:
    namespace: str
    pod: str
    container: str = ""  # "" = the pod's only container
    follow: bool = True
    tail: int | None = 500  # tailLines (None = all the kubelet kept)
    previous: bool = False  # the container's previous run (what crashed)
    since_seconds: int | None = None
    limit_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class LogLine:
    pod: str
    container: str
    time: str  # RFC 3339 with nanoseconds, as the kubelet stamps it ("" when it did not)
    text: str  # inert: controls and escapes made visible, length bounded

    @property
    def sort_key(self) -> str:
        return time_key(self.time)


def parse_line(raw: bytes, pod: str, container: str) -> LogLine:
    """A `timestamps=true` line: "2026-01-01T00:00:00.123456789Z text"."""
    text = raw.decode("utf-8", "replace").rstrip("\r\n")
    stamp, sep, rest = text.partition(" ")
    if sep and len(stamp) >= 20 and stamp[4] == "-" and stamp.endswith("Z"):
        return LogLine(pod, container, stamp, clean(rest.expandtabs(4), MAX_LINE))
    return LogLine(pod, container, "", clean(text.expandtabs(4), MAX_LINE))


def time_key(stamp: str) -> str:
    """RFC 3339 Nano trims trailing zeros: pad the fraction so that stamps sort as text."""
    if not stamp.endswith("Z"):
        return stamp
    whole, _, fraction = stamp[:-1].partition(".")
    return f"{whole}.{fraction:0<9}Z"


def log_path(namespace: str, pod: str) -> str:
    return f"/api/v1/namespaces/{namespace}/pods/{pod}/log"


class LogStream:
    """One container's log, read on a daemon thread until it ends or `close()`."""

    def __init__(
        self,
        api_client: Any,
        request: LogRequest,
        timeouts: tuple[float, float] = (10.0, 30.0),
        retry: float = 2.0,
    ) -> None:
        self.api_client = api_client
        self.request = request
        self.timeouts = timeouts
        self.retry = retry
        self.state = "connecting"  # connecting, streaming, waiting: <why>, ended, error: <why>
        self.dropped = 0  # lines the UI did not take in time
        self.requests = 0  # log requests sent (tests read it)
        self._pending: deque[LogLine] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._resp: Any = None
        self._last = ""  # timestamp of the last line read
        self._at_last: set[str] = set()  # texts read with that timestamp (resume drops them)
        self._thread = threading.Thread(target=self._run, name=f"logs {request.pod}", daemon=True)

    def start(self) -> LogStream:
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def close(self) -> None:
        self._stop.set()
        resp = self._resp
        if resp is not None:
            try:
                resp.shutdown() if hasattr(resp, "shutdown") else None
                resp.close()
                resp.release_conn()
            except Exception:
                pass

    def drain(self) -> list[LogLine]:
        """The lines read since the last call (called from the UI thread: never blocks long)."""
        with self._lock:
            lines = list(self._pending)
            self._pending.clear()
        return lines

    # -- the reader thread ------------------------------------------------------------------------
    def _query(self) -> dict[str, Any]:
        r = self.request
        query: dict[str, Any] = {"timestamps": True, "container": r.container or None}
        if r.previous:
            query["previous"] = True
        if r.follow and not r.previous:
            query["follow"] = True
        if self._last:  # resuming: from the last line seen (the kubelet's sinceTime is inclusive)
            query["sinceTime"] = self._last.split(".")[0] + "Z" if "." in self._last else self._last
        else:
            query["tailLines"] = r.tail
            query["sinceSeconds"] = r.since_seconds
        query["limitBytes"] = r.limit_bytes
        return query

    def _keep(self, line: LogLine) -> None:
        key = line.sort_key
        if line.time and self._last and key < time_key(self._last):
            return  # before where we were: a resume's repeat
        if line.time and line.time == self._last and line.text in self._at_last:
            return
        if line.time and line.time != self._last:
            self._last, self._at_last = line.time, set()
        self._at_last.add(line.text)
        with self._lock:
            self._pending.append(line)
            while len(self._pending) > PENDING:
                self._pending.popleft()
                self.dropped += 1

    def _read_once(self) -> None:
        r = self.request
        self.requests += 1
        resp = get_stream(self.api_client, log_path(r.namespace, r.pod), self._query(), self.timeouts)
        self._resp = resp
        try:
            if self._stop.is_set():
                return
            self.state = "streaming"
            for raw in iter_lines(resp):
                if self._stop.is_set():
                    return
                self._keep(parse_line(raw, r.pod, r.container))
        finally:
            self._resp = None
            with contextlib.suppress(Exception):
                resp.release_conn()

    def _run(self) -> None:
        follow = self.request.follow and not self.request.previous
        while not self._stop.is_set():
            try:
                self._read_once()
                if not follow:
                    self.state = "ended"
                    return
                self.state = "waiting: the container stopped"
            except Exception as exc:
                if self._stop.is_set():
                    return
                err = classify(exc)
                if err.kind is ErrorKind.TIMEOUT and follow:
                    continue  # silent for a read timeout: resume from the last line
                retry = follow and err.kind in (
                    ErrorKind.INVALID,
                    ErrorKind.BROKEN,
                    ErrorKind.SERVER,
                    ErrorKind.UNREACHABLE,
                )
                self.state = f"{'waiting' if retry else 'error'}: {err}"
                if not retry:
                    return
            self._stop.wait(self.retry)


class LogMux:
    """Several streams as one: a ReplicaSet's or a revision's pods, each line tagged by its pod,
    in time order. The tails are held back until every stream has answered (then `SETTLE`
    seconds for their lines to come in), so the first screen is merged by time too; after that
    each batch is put in time order."""

    SETTLE = 0.3

    def __init__(self, streams: Iterable[LogStream], clock: Any = time.monotonic) -> None:
        self.streams = list(streams)
        self._clock = clock
        self._ready_at: float | None = None

    def start(self) -> LogMux:
        for stream in self.streams:
            stream.start()
        return self

    def _settled(self) -> bool:
        if self._ready_at is None:
            if any(s.state == "connecting" for s in self.streams):
                return False
            self._ready_at = self._clock() + self.SETTLE
        return bool(self._clock() >= self._ready_at)

    def drain(self) -> list[LogLine]:
        if len(self.streams) > 1 and not self._settled():
            return []
        lines = [line for stream in self.streams for line in stream.drain()]
        if len(self.streams) > 1:
            lines.sort(key=lambda line: line.sort_key)
        return lines

    def close(self) -> None:
        for stream in self.streams:
            stream.close()

    @property
    def state(self) -> str:
        states = [s.state for s in self.streams]
        if not states:
            return "no pods"
        if len(set(states)) == 1:
            return states[0]
        return (
            ", ".join(f"{s.request.pod}: {s.state}" for s in self.streams if s.state != "streaming")
            or "streaming"
        )

    @property
    def dropped(self) -> int:
        return sum(s.dropped for s in self.streams)
