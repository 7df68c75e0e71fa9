"""Keeps one kube DetailWatch open for the rollout being looked at, and builds its view when (and
only when) its objects changed.

Only the selected rollout's ReplicaSets, Pods, AnalysisRuns, Experiments and Events are watched
(the overview watches Rollouts alone). Their changes arrive as batches on the fleet's one queue;
the app tells the feed (`mark`), and the next `view()` rebuilds the `RolloutInfo` once. Moving the
selection closes the old watch at once, and an opening that the selection has left behind is
abandoned (`superseded`): over a slow link, fast cursor moves must not queue up one opening per
row passed before the one the operator stopped on.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from rollout_tui.kube.detail import DetailWatch
from rollout_tui.kube.fleet import Fleet
from rollout_tui.model.events import EventInfo
from rollout_tui.model.objects import ObjectSet
from rollout_tui.model.rollout import RolloutInfo, rollout_info

from .fleet_view import Changes, Entry

# How long opening a detail may wait for its scoped lists (in the worker thread, never the UI's):
# showing the tree as soon as they are in beats showing an empty tree first.
SYNC_WAIT_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class DetailView:
    info: RolloutInfo
    events: tuple[EventInfo, ...]  # the rollout's and its objects', folded, newest first
    loading: bool  # some scoped watch has not listed yet: absent children may still come
    objects: ObjectSet  # what the view was built from (the YAML view reads an object from it)


class DetailFeed:
    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet
        self.key: str | None = None
        self.watch: DetailWatch | None = None
        self._dirty = True
        self._loading = False  # the last view was built before every scoped watch had listed

    def want(self, entry: Entry | None) -> bool:
        """Whether a new watch is needed for `entry` (the old one is closed now)."""
        key = entry.key if entry is not None else None
        if key == self.key:
            return False
        self.close()
        self.key = key
        return key is not None

    def superseded(self, entry: Entry) -> bool:
        """The selection has moved on from `entry` (its opening is not wanted any more)."""
        return self.key != entry.key

    def open_for(self, entry: Entry) -> DetailWatch | None:
        """Call from a background thread. Returns once the scoped watches have listed (or after
        SYNC_WAIT_SECONDS), so the first view has the tree; None when superseded meanwhile."""
        if self.superseded(entry):
            return None
        state = entry.state
        # the overview's copy: opening needs no GET (one round trip saved on a slow link)
        rollout = self.fleet.rollout(entry.context, state.namespace, state.name) or state.name
        watch = self.fleet.open_detail(entry.context, state.namespace, rollout)
        deadline = time.monotonic() + SYNC_WAIT_SECONDS
        while not watch.synced and time.monotonic() < deadline and not self.superseded(entry):
            time.sleep(0.02)
        if self.superseded(entry):
            _close(watch)
            return None
        return watch

    def attach(self, key: str, watch: DetailWatch) -> None:
        if key != self.key:  # the selection moved on while it opened
            _close(watch)
            return
        self.watch = watch
        self._dirty = True

    def close(self) -> None:
        if self.watch is not None:
            _close(self.watch)
        self.watch = None
        self.key = None
        self._dirty = True

    def mark(self, changes: Changes) -> None:
        """Note that the objects behind the view may have changed."""
        if self.watch is not None and (
            self.watch.context in changes.detail_contexts
            or (self.key is not None and self.key in changes.changed)
        ):
            self._dirty = True

    def view(self, force: bool = False) -> DetailView | None:
        """The view when something changed since the last one (or `force`), else None. A list that
        finds nothing sends no batch, so a view built while loading is rebuilt once all have listed."""
        if self.watch is None:
            return None
        synced = self.watch.synced  # before reading: what is read after it is complete
        if not (self._dirty or force or (self._loading and synced)):
            return None
        rollout = self.watch.rollout()
        if rollout is None:
            return None
        self._dirty, self._loading = False, not synced
        self.watch.refresh_scopes()  # the event watches follow the objects that come and go
        objects = self.watch.objects()
        info = rollout_info(rollout, objects)
        return DetailView(info, info.events, not synced, objects)


def _close(watch: DetailWatch) -> None:
    with contextlib.suppress(Exception):  # closing must never take the UI down
        watch.close()
