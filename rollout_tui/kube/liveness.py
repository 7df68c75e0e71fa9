"""Silent watches are noticed within seconds, not at a read timeout minutes later.

A watch stream that delivers nothing may be quiet (nothing changed) or dead: a network partition
that accepts packets and forwards none, a middlebox that forgot the connection, a stalled server.
TCP says nothing in either case. Servers send a BOOKMARK at a steady interval (kube-apiserver:
about a minute, staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go ``bookmarkFrequency``),
so silence beyond that interval means the stream is dead; before that, a cheap probe of the API
(``reachability``) tells a partition from a quiet namespace.

One process-wide daemon thread looks at every open watch (and list) twice a second
(``StreamLiveness.check_silence``); the probes themselves run on short-lived threads, so one
blackholed context cannot delay the checks of the others.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from rollout_tui.kube.reachability import Probe, Prober


class Watched(Protocol):
    name: str

    def check_silence(self, now: float) -> None: ...
    def resumed(self, now: float) -> None: ...


RESUME_GAP = 2.0  # seconds beyond the tick
STALE_PROBE = 0.5  # seconds between probes of a stale stream (one per context is sent at most)


class Watchdog:
    def __init__(self, tick: float = 0.5) -> None:
        self.tick = tick
        self._watched: dict[int, Watched] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def watch(self, item: Watched) -> None:
        with self._lock:
            self._watched[id(item)] = item
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="rollout-tui-watchdog", daemon=True)
                self._thread.start()

    def forget(self, item: Watched) -> None:
        with self._lock:
            self._watched.pop(id(item), None)

    def _run(self) -> None:
        last = time.monotonic()
        while True:
            time.sleep(self.tick)
            with self._lock:
                items = list(self._watched.values())
            now = time.monotonic()
            # far later than due: the process was stopped (SIGSTOP, a suspended machine); the
            # streams get a fresh chance to deliver what waited in their sockets meanwhile
            resumed, last = now - last > self.tick + RESUME_GAP, now
            for item in items:
                try:
                    item.resumed(now) if resumed else item.check_silence(now)
                except Exception:  # a check must never stop the others' checks
                    continue


WATCHDOG = Watchdog()


class StreamLiveness:
    """One reflector's requests as the watchdog sees them: when data last came, the server's
    bookmark cadence, and the probe of a silent stream.

    ``probe()`` asks the API (blocking, on a probe thread). ``on_silent(why, reopen)`` is called
    at most once per request, from the watchdog or a probe thread: the request is stale. A failed
    probe does not cut the stream (``reopen`` False): a partition that heals delivers what it held
    on the same connection, and a slow link delivers late; a stream silent past its bookmarks is
    dead and is reopened. The bookmark cadence is learned on the context's ``server`` (a new
    detail watch knows it).
    """

    def __init__(
        self,
        name: str,
        silence_probe: float,
        bookmark_interval: float,
        server: Prober,
        probe: Callable[[], Probe],
        on_silent: Callable[[str, bool], None],
    ) -> None:
        self.name = name
        self.silence_probe = silence_probe
        self.bookmark_interval = bookmark_interval
        self._server = server
        self._probe = probe
        self._on_silent = on_silent
        self.data_at = time.monotonic()  # when the server last sent anything
        self.silences = 0  # requests given up for silence
        self.awaiting_data = False  # after a silence: live again only once data flows
        self._activity = ""  # "watch" or "list" while one is in flight
        self._request = 0  # bumped per request: a late probe answer about an old one is ignored
        self._stale = -1  # the request marked stale (until data comes)
        self._cut = -1  # the request cut to be reopened
        self._probing = False
        self._last_probe = 0.0
        self._bookmark_at: float | None = None

    def begin(self, activity: str) -> None:
        self._request += 1
        self.data_at = time.monotonic()
        self._bookmark_at = None
        self._activity = activity
        WATCHDOG.watch(self)

    def end(self) -> None:
        self._activity = ""
        WATCHDOG.forget(self)

    def data(self) -> bool:
        """Data arrived. True when it ends a silence (the reflector is live again)."""
        self.data_at = time.monotonic()
        self._stale = -1
        if self.awaiting_data:
            self.awaiting_data = False
            return True
        return False

    def listed(self) -> None:
        self.data_at = time.monotonic()
        self.awaiting_data = False

    def bookmark(self) -> None:
        now = time.monotonic()
        if self._bookmark_at is not None:  # gaps within one stream only: a rewatch restarts them
            self._server.bookmark_gap(now - self._bookmark_at)
        self._bookmark_at = now

    def expected_interval(self) -> float:
        """The server's bookmark interval: learned from the streams, at most the parameter."""
        return self._server.bookmark_interval(self.bookmark_interval)

    def resumed(self, now: float) -> None:
        self.data_at = max(self.data_at, now)

    def check_silence(self, now: float) -> None:
        activity, request = self._activity, self._request
        if not activity or self._cut == request:
            return
        silent = now - self.data_at
        if activity == "watch" and silent > max(2 * self.silence_probe, 1.5 * self.expected_interval()):
            # the server answering meanwhile means a stalled stream: its next 200 proves nothing
            why = f"no event or bookmark for {silent:.0f} s"
            self._give_up(request, why, reopen=True, await_data=self._server_answers(now))
            return
        if silent < self.silence_probe or self._probing:
            return
        # stale: probe often, to reopen the moment the API answers again
        if now - self._last_probe < (STALE_PROBE if self._stale == request else self.silence_probe):
            return
        self._probing, self._last_probe = True, now
        threading.Thread(
            target=self._probe_now, args=(request,), name=f"probe {self.name}", daemon=True
        ).start()

    def _server_answers(self, now: float) -> bool:
        last = self._server.last()
        return last is not None and last.ok and now - last.at < 2 * self.silence_probe

    def _probe_now(self, request: int) -> None:
        try:
            probe = self._probe()
        finally:
            self._probing = False
        if request != self._request or not self._activity:
            return
        if not probe.ok:
            self._give_up(request, probe.detail, reopen=False, await_data=True)
        elif self._stale == request and self._activity == "watch":
            # a partition healed; the old stream may be dead (a middlebox forgot it) or merely
            # quiet: reopen it, and the server's answer to the new one is proof enough
            self._give_up(request, "the API answers again", reopen=True, await_data=False)

    def _give_up(self, request: int, why: str, reopen: bool, await_data: bool) -> None:
        if self._stale != request:
            self.silences += 1
        self._stale = request
        if reopen:
            self._cut = request
        self.awaiting_data = await_data
        self._on_silent(why, reopen)
