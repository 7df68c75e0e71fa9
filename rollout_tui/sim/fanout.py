"""Who hears about a committed change: watches at once, listeners after the write.

Watches are offered each change under the store's lock, in commit order (so a watch replays
exactly the history). Listeners (the simulated controller) are called with a decoded copy once
the outermost write has released the lock, so they may write to the store themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from rollout_tui.sim.records import Entry
from rollout_tui.sim.resources import RESOURCES
from rollout_tui.sim.watch import Watch

log = logging.getLogger(__name__)

Listener = Callable[[str, str, dict[str, Any]], None]
Note = tuple[str, str, Entry]  # (event type, plural, entry)


class Fanout:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._watches: dict[str, set[Watch]] = {p: set() for p in RESOURCES}
        self._listeners: list[Listener] = []
        self._pending: list[Note] = []

    def offer(self, event_type: str, plural: str, entry: Entry, prev: Entry | None) -> None:
        """A committed change (the store's lock is held)."""
        for watch in list(self._watches[plural]):
            watch._offer(event_type, entry, prev)
        self._pending.append((event_type, plural, entry))

    def take_pending(self) -> list[Note]:
        notes, self._pending = self._pending, []
        return notes

    def deliver(self, notes: list[Note]) -> None:
        """Call the listeners for ``notes`` (without the store's lock)."""
        listeners = list(self._listeners) if notes else []
        for event_type, plural, entry in notes if listeners else ():
            obj = entry.copy()
            for fn in listeners:
                try:
                    fn(event_type, plural, obj)
                except Exception:  # a broken listener must not break writes
                    log.exception("store listener failed")

    def add_watch(self, watch: Watch) -> None:
        self._watches[watch.resource.plural].add(watch)

    def remove_watch(self, watch: Watch) -> None:
        with self._lock:
            self._watches[watch.resource.plural].discard(watch)

    def watches(self) -> list[Watch]:
        with self._lock:
            return [w for ws in self._watches.values() for w in ws]

    def add_listener(self, fn: Listener) -> None:
        with self._lock:
            self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        with self._lock:
            if fn in self._listeners:
                self._listeners.remove(fn)
