"""Does the API server answer? One cheap HTTP probe per context, shared by its reflectors.

Two questions need it. A watch that has delivered nothing for a while may be quiet or dead (a
blackholed network delivers nothing either); and a reflector backing off after a failure should
retry as soon as the server serves again, not when a backoff grown to tens of seconds ends. The
probe is a ``limit=1`` list on the asking reflector's own path through the context's ApiClient
(same connection pool, TLS, credentials, proxy and priority-and-fairness treatment as the real
requests), with short timeouts. Any answer other than 429/5xx means the server serves: a 403 or
401 is the reflector's business, not an outage. Results are shared for ``max_age`` seconds and
only one probe per context is in flight at a time, so ten reflectors of a context cost the
server one request a second while it is down, not ten.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import deque
from dataclasses import dataclass
from typing import Any

from rollout_tui.kube.errors import ErrorKind, classify

PROBE_WAIT = 6.0  # seconds: no answer by then is a failed probe (a 2 s-per-hop link answers in 4)
FAILURE_FRESH = 0.2  # seconds a failed probe stands for the context's other reflectors
PROBE_TIMEOUT = (10.0, 10.0)  # (connect, read): the request itself may finish later
_SERVING = frozenset({ErrorKind.UNAUTHORIZED, ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID})


@dataclass(frozen=True)
class Probe:
    ok: bool  # the server answered (2xx, or an answer that is not an outage)
    at: float  # time.monotonic() when the answer (or the failure) came
    detail: str = ""  # why not, in one line
    retry_after: float = 0.0  # a throttling server's Retry-After, seconds


class Prober:
    """The probe of one context (one ApiClient), and the bookmark cadence its watches learned:
    both are facts about the server, shared by every reflector of the context."""

    def __init__(self, api_client: Any, wait: float = PROBE_WAIT) -> None:
        self.api_client = api_client
        self.wait = wait
        self.sent = 0  # probes sent (tests check the sharing)
        self._last: Probe | None = None
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._running = False
        self._answers = 0
        self._bookmark_gaps: deque[float] = deque(maxlen=6)

    def bookmark_gap(self, seconds: float) -> None:
        """A watch of this server saw two bookmarks ``seconds`` apart."""
        self._bookmark_gaps.append(seconds)

    def bookmark_interval(self, at_most: float) -> float:
        """The server's bookmark interval as seen so far (``at_most`` until two gaps were seen)."""
        gaps = list(self._bookmark_gaps)
        return min(at_most, max(gaps)) if len(gaps) >= 2 else at_most

    def last(self) -> Probe | None:
        with self._lock:
            return self._last

    def check(self, path: str, max_age: float) -> Probe:
        """A probe at most ``max_age`` seconds old: the last one, the one in flight, or a new one.
        Blocks for at most ``wait`` seconds: a probe unanswered by then has failed (the request
        goes on in the background; its late answer serves the next caller)."""
        deadline = time.monotonic() + self.wait
        with self._lock:
            last = self._last
            # a failure is news only briefly: a server back a moment later must not wait it out
            fresh = max_age if last is None or last.ok else min(max_age, FAILURE_FRESH)
            if last is not None and time.monotonic() - last.at <= fresh:
                return last
            answers = self._answers
            if not self._running:
                self._running = True
                threading.Thread(
                    target=self._probe, args=(path,), name="rollout-tui probe", daemon=True
                ).start()
            while self._answers == answers and (left := deadline - time.monotonic()) > 0:
                self._done.wait(left)
            if self._answers != answers and self._last is not None:
                return self._last
        return Probe(False, time.monotonic(), f"the API server did not answer within {self.wait:g} s")

    def _probe(self, path: str) -> None:
        result = self._send(path)
        with self._lock:
            self._last = result
            self._running = False
            self._answers += 1
            self._done.notify_all()

    def _send(self, path: str) -> Probe:
        from rollout_tui.kube.transport import get

        self.sent += 1
        try:
            resp = get(self.api_client, path, {"limit": 1}, PROBE_TIMEOUT)
            resp.release_conn()
            return Probe(True, time.monotonic())
        except Exception as exc:
            err = classify(exc)
            if err.kind in _SERVING:
                return Probe(True, time.monotonic(), str(err))
            return Probe(False, time.monotonic(), str(err), retry_after(exc))


_probers: weakref.WeakKeyDictionary[Any, Prober] = weakref.WeakKeyDictionary()
_probers_lock = threading.Lock()


def prober_for(api_client: Any) -> Prober:
    """The one Prober of ``api_client`` (a context), created on first use."""
    with _probers_lock:
        prober = _probers.get(api_client)
        if prober is None:
            prober = _probers[api_client] = Prober(api_client)
        return prober


def retry_after(exc: BaseException) -> float:
    """A throttling server's Retry-After header (seconds), 0 without one."""
    headers = getattr(exc, "headers", None)
    try:
        value = headers.get("Retry-After") if headers is not None else None
        return max(0.0, float(value)) if value is not None else 0.0
    except (TypeError, ValueError, AttributeError):
        return 0.0


def bound_retries(api_client: Any) -> None:
    """urllib3 retries a failed connect three times by default: under a blackhole one request
    would then take four connect timeouts before the reflector hears of it, and a read retry
    doubles a read timeout. One connect retry is kept; the reflector does the rest, with its
    backoff and this module's probe."""
    import urllib3

    pool_manager = getattr(getattr(api_client, "rest_client", None), "pool_manager", None)
    if pool_manager is not None:
        pool_manager.connection_pool_kw["retries"] = urllib3.Retry(
            total=1, connect=1, read=0, status=0, redirect=0, other=0
        )
