"""Coalesce reflector changes into batches on a thread-safe queue.

A busy namespace can change hundreds of objects a second; a UI redrawing per event would fall
behind. Changes are merged per (context, kind, object) — the newest version wins, a delete after
an update is just a delete — and flushed every `interval` seconds as one `Batch` each. The
overview's store keeps a `RolloutState` per Rollout (kind `OVERVIEW_KIND`); those batches carry
the states, every other kind the objects. A state is computed when its batch is flushed, off the
UI thread, for the newest version only (kube.cache.Deferred).

While the consumer has not taken the batches already flushed (the UI drains a few times a
second), the next flush waits for it (at most `HOLD_MAX`): changes keep merging meanwhile, so a
flood costs one state per rollout per drain rather than one per event, and the UI always takes
the newest versions.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rollout_tui.kube.cache import Deferred, Key, resolved
from rollout_tui.kube.state import ConnectionState
from rollout_tui.model.state import RolloutState

OVERVIEW_KIND = "RolloutState"  # the store's kind for the overview's Rollouts (their states)
PACE_TIMEOUT = 2.0  # a list waits at most this long per page for its consumer
PACE_POLL = 0.01
HOLD_MAX = 1.0  # a flush waits at most this long for the consumer to take the previous ones
# While a flush waits, pending objects beyond this many are projected at once: a deferred state
# holds its decoded object (~7 KB), and 20 contexts listing at once would otherwise keep ~10,000
# of them (194 MB peak instead of 122). A flood over fewer objects keeps its saving.
MAX_UNRESOLVED = 1_000


@dataclass(frozen=True, slots=True)
class Batch:
    """What changed in one context since the last flush, for one kind."""

    context: str
    kind: str  # "" for a batch that only carries connection states
    upserted: tuple[dict[str, Any], ...]  # new or changed objects (treat as immutable)
    deleted: tuple[Key, ...]
    rollouts: tuple[RolloutState, ...]  # kind OVERVIEW_KIND: new or changed states (upserted is empty)
    connections: Mapping[str, ConnectionState]  # every context's connection state at flush time


class Coalescer:
    def __init__(
        self,
        out: queue.Queue[Batch],
        connections: Callable[[], dict[str, ConnectionState]],
        interval: float = 0.05,
        lookahead: int | None = None,
    ) -> None:
        self.out = out
        self.lookahead = lookahead
        self._connections = connections
        self.interval = interval
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, str], dict[Key, Any]] = {}
        self._unprojected: dict[tuple[str, str, Key], Deferred] = {}  # pending, not projected yet
        self._state_dirty: set[str] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(
        self, context: str, kind: str, upserted: Iterable[tuple[Key, Any]], deleted: Iterable[Key]
    ) -> None:
        """`upserted`: (key, what the store now holds) pairs; `deleted`: keys that left the store."""
        upserted, deleted = list(upserted), list(deleted)
        if not upserted and not deleted:
            return
        with self._lock:
            pending = self._pending.setdefault((context, kind), {})
            for key, value in upserted:
                pending[key] = value
                if type(value) is Deferred:
                    self._unprojected[(context, kind, key)] = value
                else:
                    self._unprojected.pop((context, kind, key), None)
            for key in deleted:
                pending[key] = None
                self._unprojected.pop((context, kind, key), None)
        if not self._wake.is_set():  # set() takes a lock and notifies: once per flush is enough
            self._wake.set()

    def state_changed(self, context: str) -> None:
        with self._lock:
            self._state_dirty.add(context)
        self._wake.set()

    def flush(self) -> int:
        """Emit everything pending now; returns the number of batches put on the queue."""
        with self._lock:
            pending, self._pending = self._pending, {}
            dirty, self._state_dirty = self._state_dirty, set()
            self._unprojected = {}  # projected below
        if not pending and not dirty:
            return 0
        connections = self._connections()
        count = 0
        for (context, kind), changes in pending.items():
            values = tuple(resolved(value) for value in changes.values() if value is not None)
            deleted = tuple(key for key, value in changes.items() if value is None)
            if kind == OVERVIEW_KIND:
                self.out.put(Batch(context, kind, (), deleted, values, connections))
            else:
                self.out.put(Batch(context, kind, values, deleted, (), connections))
            dirty.discard(context)
            count += 1
        for context in sorted(dirty):
            self.out.put(Batch(context, "", (), (), (), connections))
            count += 1
        return count

    def pace(self, timeout: float = PACE_TIMEOUT) -> None:
        """Called by a list between its pages: while `lookahead` batches wait unconsumed, wait
        (at most `timeout`). A UI that is still starting takes nothing, and a list that decodes
        every page meanwhile only delays the first screenful (one interpreter, one GIL); a watch
        is never paced (the server would drop a slow watcher)."""
        if self.lookahead is None:
            return
        deadline = time.monotonic() + timeout
        while self._unconsumed() >= self.lookahead and not self._stop.is_set():
            if time.monotonic() >= deadline:
                return
            self._stop.wait(PACE_POLL)

    def _unconsumed(self) -> int:
        """Batches not taken yet, counting what waits for the next flush as one."""
        with self._lock:
            pending = bool(self._pending)
        return self.out.qsize() + pending

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="rollout-tui-coalescer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self.flush()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            if self._stop.is_set():
                break
            self._stop.wait(self.interval)  # gather what arrives in the meantime
            self._hold()
            self._wake.clear()
            self.flush()

    def _hold(self) -> None:
        """Wait while earlier batches are still unconsumed (at most HOLD_MAX), unless a context's
        connection state changed: merging is for object changes, the header's "live", "stale" or
        "reconnecting" is never held back."""
        deadline = time.monotonic() + HOLD_MAX
        while not self.out.empty() and time.monotonic() < deadline and not self._stop.is_set():
            with self._lock:
                if self._state_dirty:
                    return
            self._settle_if_many()
            self._stop.wait(PACE_POLL)

    def _settle_if_many(self) -> None:
        """Once more than MAX_UNRESOLVED objects are pending, project the deferred states among them
        (each once: those projected earlier in this wait are not visited again)."""
        with self._lock:
            if not self._unprojected or sum(map(len, self._pending.values())) <= MAX_UNRESOLVED:
                return
            waiting, self._unprojected = self._unprojected, {}
        for value in waiting.values():  # outside the lock: the reflectors keep adding meanwhile
            value.value()
