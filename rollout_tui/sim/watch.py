"""The store side of a watch: a queue of events for one resource type and scope.

The store offers every committed change (under its lock, in commit order); the watch keeps what
matches its namespace and selectors, turning selector transitions into ADDED/DELETED as the API
server does. The HTTP layer (``stream.py``) drains it.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from rollout_tui.sim.errors import ApiError
from rollout_tui.sim.records import Entry, dumps
from rollout_tui.sim.resources import ResourceType
from rollout_tui.sim.selection import Selection


@dataclass(frozen=True)
class WatchEvent:
    type: str  # ADDED, MODIFIED, DELETED, ERROR
    raw: bytes  # JSON of the object (a Status for ERROR)
    resource_version: int

    @property
    def object(self) -> dict[str, Any]:
        return json.loads(self.raw)

    def line(self) -> bytes:
        """The event as the API server writes it on a watch stream."""
        return b'{"type":"' + self.type.encode() + b'","object":' + self.raw + b"}\n"


class Watch:
    """A stream of events for one resource type and scope; iterate it or call ``get``."""

    def __init__(
        self,
        selection: Selection,
        store_lock: AbstractContextManager[Any],
        current_rv: Callable[[], int],
        unregister: Callable[[Watch], None],
    ) -> None:
        self.selection = selection
        self._store_lock = store_lock
        self._current_rv = current_rv
        self._unregister = unregister
        self._events: deque[WatchEvent] = deque()
        self._cond = threading.Condition(threading.Lock())
        self._closed = False
        self.last_rv = 0

    @property
    def resource(self) -> ResourceType:
        return self.selection.rt

    @property
    def namespace(self) -> str | None:
        """The namespace watched; None for every namespace."""
        return self.selection.scope

    def _offer(self, event_type: str, entry: Entry, prev: Entry | None) -> None:
        """Called with the store lock held, in commit order."""
        now = self.selection.matches(entry)
        before = prev is not None and self.selection.matches(prev)
        if event_type == "MODIFIED" and now != before:
            # An object entering or leaving the selection looks like an add or a delete to this watch.
            event_type = "ADDED" if now else "DELETED"
            now = True
        elif event_type == "DELETED":
            now = before if prev is not None else now
        if now:
            self._push(WatchEvent(event_type, entry.raw, entry.rv))

    def _push(self, event: WatchEvent) -> None:
        with self._cond:
            if self._closed:
                return
            self._events.append(event)
            self._cond.notify()

    def poke(self) -> None:
        """Wake a ``get`` that is waiting, without an event (it returns None)."""
        with self._cond:
            self._cond.notify_all()

    def unget(self, event: WatchEvent) -> None:
        """Put an event taken with ``get`` back at the front (a stalled stream holds it)."""
        with self._cond:
            self._events.appendleft(event)
            if event.type != "ERROR":
                self.last_rv = event.resource_version - 1  # everything before it was delivered

    def get(self, timeout: float | None = None) -> WatchEvent | None:
        """The next event, or None when ``timeout`` passes or the watch is closed and drained."""
        with self._cond:
            if not self._events and not self._closed:
                self._cond.wait(timeout)
            if self._events:
                event = self._events.popleft()
                if event.type != "ERROR":
                    self.last_rv = event.resource_version
                return event
            return None

    @property
    def closed(self) -> bool:
        """True once closed and every queued event has been taken."""
        with self._cond:
            return self._closed and not self._events

    def progress_rv(self) -> str:
        """The RV a bookmark may carry now: every change up to it has been delivered."""
        # Under the store's lock no commit is half-way: an empty queue means all was delivered.
        with self._store_lock, self._cond:
            return str(self._current_rv() if not self._events else self.last_rv)

    def terminate(self, error: ApiError | None = None) -> None:
        """End the stream; with ``error`` its Status is the last event (e.g. 410 Expired)."""
        if error is not None:
            self._push(WatchEvent("ERROR", dumps(error.status()), 0))
        self.close()

    def close(self) -> None:
        self._unregister(self)
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def __iter__(self) -> Iterator[WatchEvent]:
        while True:
            event = self.get()
            if event is None:
                if self.closed:
                    return
                continue
            yield event

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
