"""Keeps one kube DetailWatch open for the rollout being looked at, and builds its view model.

Only the selected rollout's ReplicaSets, Pods, AnalysisRuns, Experiments and Events are watched
(the overview watches Rollouts alone). Moving the selection closes the old watch.
"""

from __future__ import annotations

import contextlib
from typing import Any

from rollout_tui.model.clock import Clock
from rollout_tui.model.objects import ObjectSet

from .rows import Entry

# How long opening a detail may wait for its scoped lists (in the worker thread, never the UI's):
# showing the tree as soon as they are in beats showing an empty tree until the next tick.
SYNC_WAIT_SECONDS = 1.0


class DetailFeed:
    def __init__(self, fleet: Any, clock: Clock) -> None:
        self.fleet = fleet
        self.clock = clock
        self.key: str | None = None
        self.watch: Any = None
        self._last: Any = None

    def want(self, entry: Entry | None) -> bool:
        """Whether a new watch is needed for ``entry`` (the old one is closed now)."""
        key = entry.key if entry is not None else None
        if key == self.key:
            return False
        self.close()
        self.key = key
        return key is not None

    def open_for(self, entry: Entry) -> Any:
        """Blocking (may list over the network): call from a worker thread. Returns once the scoped
        watches have listed (or after ``SYNC_WAIT_SECONDS``), so the first view has the tree."""
        watch = self.fleet.open_detail(entry.context, entry.summary.namespace, entry.summary.name)
        wait = getattr(watch, "wait_synced", None)
        if callable(wait):
            wait(SYNC_WAIT_SECONDS)
        return watch

    def attach(self, key: str, watch: Any) -> None:
        if key != self.key:  # the selection moved on while it opened
            _close(watch)
            return
        self.watch = watch
        self._last = None

    def close(self) -> None:
        if self.watch is not None:
            _close(self.watch)
        self.watch = None
        self.key = None
        self._last = None

    def view(self, entry: Entry, force: bool = False) -> tuple[Any, list[dict], Any] | None:
        """(info, events, clock) when it differs from what was last shown, else None."""
        from rollout_tui.model.rollout import rollout_info

        objects = self.watch.objects() if self.watch is not None else ObjectSet()
        info = rollout_info(entry.rollout, objects, self.clock)
        events = objects.of_kind("Event")
        fingerprint = (info, tuple(str(e.get("metadata", {}).get("resourceVersion")) for e in events))
        if not force and fingerprint == self._last:
            return None
        self._last = fingerprint
        return info, events, self.clock


def _close(watch: Any) -> None:
    with contextlib.suppress(Exception):  # closing must never take the UI down
        watch.close()
