"""The UI's picture of the fleet, fed by the kube Fleet's batches.

Reflector threads put coalesced `Batch`es on `Fleet.batches`; the app drains them on the UI thread
(a few times a second, in slices of bounded time so keys are handled in between). This module
holds no Textual code: it keeps one `Entry` per rollout (its `RolloutState`, computed off the UI
thread, and its `Attention`), and reports what changed. The resourceVersion check in the kube
store is the one change check on the way: every state that arrives here is new.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rollout_tui.kube.coalesce import OVERVIEW_KIND, Batch
from rollout_tui.kube.detail import DETAIL_KINDS
from rollout_tui.kube.state import ConnectionState
from rollout_tui.model.attention import Attention, Reason, attention
from rollout_tui.model.state import RolloutState
from rollout_tui.settings import Badge, Settings

from .fleet_warnings import FleetWarnings

MAX_BATCHES_PER_DRAIN = 10_000  # bound one drain so a flood cannot starve the UI loop


def row_key(context: str, namespace: str, name: str) -> str:
    return f"{context}/{namespace}/{name}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One rollout as the UI holds it."""

    context: str
    state: RolloutState
    attention: Attention
    pinned: bool = False  # a favourite of the config file: listed first
    badge: Badge | None = None  # the config's label/colour for the context
    warnings: int = 0  # Warning events of its objects lately (model.warnings)
    incident: tuple[Reason, ...] = ()  # reasons from its pods or router (model.incident)

    @property
    def key(self) -> str:
        return row_key(self.context, self.state.namespace, self.state.name)


@dataclass
class Changes:
    changed: set[str] = field(default_factory=set)  # keys of new or changed entries
    removed: set[str] = field(default_factory=set)
    connections: bool = False  # a context's connection state changed
    detail_contexts: set[str] = field(default_factory=set)  # contexts whose detail objects changed
    before: dict[str, Entry | None] = field(default_factory=dict)  # each key's entry before these changes
    more: bool = False  # the drain stopped at its time budget: batches are still waiting

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed or self.connections or self.detail_contexts)


class FleetView:
    """Every rollout the fleet reported, keyed `context/namespace/name`; `settings` mark the
    favourites and the contexts' badges."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._badges: dict[str, Badge | None] = {}
        self.entries: dict[str, Entry] = {}
        self.connections: dict[str, ConnectionState] = {}
        self._timed: dict[str, datetime] = {}  # key -> when its attention changes with time alone
        self.warnings = FleetWarnings()
        self._detail_reasons: dict[str, tuple[Reason, ...]] = {}  # what the open detail adds
        self._detail_state: dict[str, RolloutState] = {}  # the open detail's state (exact weight)

    def drain(self, batches: queue.Queue[Batch], now: datetime, budget: float | None = None) -> Changes:
        """Apply waiting batches; with `budget` (seconds), stop once it is spent (`changes.more`)."""
        changes = Changes()
        deadline = None if budget is None else time.perf_counter() + budget
        for _ in range(MAX_BATCHES_PER_DRAIN):
            if deadline is not None and time.perf_counter() > deadline:
                changes.more = not batches.empty()
                break
            try:
                batch = batches.get_nowait()
            except queue.Empty:
                break
            self.apply(batch, now, changes)
        else:
            changes.more = not batches.empty()
        return changes

    def apply(self, batch: Batch, now: datetime, changes: Changes) -> None:
        if batch.connections != self.connections:
            self.connections = dict(batch.connections)
            changes.connections = True
        if batch.kind in DETAIL_KINDS:
            changes.detail_contexts.add(batch.context)
        for key in self.warnings.apply(batch):
            if key in self.entries:
                self._put(self.entries[key].context, self.entries[key].state, now, changes)
        if batch.kind != OVERVIEW_KIND:
            return
        for _kind, namespace, name in batch.deleted:
            key = row_key(batch.context, namespace, name)
            changes.before.setdefault(key, self.entries.get(key))
            self.warnings.forget(batch.context, namespace, name)
            if self.entries.pop(key, None) is not None:
                self._timed.pop(key, None)
                changes.removed.add(key)
                changes.changed.discard(key)
        for state in batch.rollouts:
            self._put(batch.context, self._refined(batch.context, state), now, changes)

    def load(
        self,
        snapshot: Mapping[str, Iterable[RolloutState]],
        connections: Mapping[str, ConnectionState],
        now: datetime,
        warnings: Mapping[str, Iterable[dict[str, Any]]] | None = None,
    ) -> Changes:
        """Seed from `Fleet.rollouts()`, `Fleet.states()` and `Fleet.warning_events()` before the
        first batch arrives."""
        changes = Changes(connections=True)
        self.connections = dict(connections)
        for context, events in (warnings or {}).items():
            self.warnings.index.apply(context, events, ())
        for context, states in snapshot.items():
            for state in states:
                self._put(context, state, now, changes)
        return changes

    def refine(
        self, key: str, state: RolloutState, now: datetime, reasons: tuple[Reason, ...] | None = None
    ) -> bool:
        """The detail computed this rollout's state with its ReplicaSets at hand (the exact actual
        weight) and what its pods and router say (`reasons`, model.incident): the row shows the
        same, as long as it is of the version the row holds."""
        # Kept for the version's overview batch too: the detail's watch may see it first.
        self._detail_state = {key: state}
        entry = self.entries.get(key)
        if entry is None or entry.state.resource_version != state.resource_version:
            return False
        if reasons is not None and self._detail_reasons.get(key) != reasons:
            self._detail_reasons = {key: reasons}  # one detail at a time
        elif entry.state == state:
            return False
        self._put(entry.context, state, now, Changes())
        return True

    def detail_closed(self, now: datetime) -> None:
        """No detail reads the pods any more: the rows go back to the events' estimate."""
        self._detail_state = {}
        for key in list(self._detail_reasons):
            del self._detail_reasons[key]
            if key in self.entries:
                self._put(self.entries[key].context, self.entries[key].state, now, Changes())

    def _refined(self, context: str, state: RolloutState) -> RolloutState:
        """The open detail's state of the same version when it has one: the overview's estimate of
        the actual weight never replaces the detail's exact one."""
        refined = self._detail_state.get(row_key(context, state.namespace, state.name))
        if refined is not None and refined.resource_version == state.resource_version:
            return refined
        return state

    def retime(self, now: datetime) -> Changes:
        """Attention that moved with the clock alone (a rollout became stuck)."""
        changes = Changes()
        for key, due in list(self._timed.items()):
            if due <= now and key in self.entries:
                entry = self.entries[key]
                self._put(entry.context, entry.state, now, changes)
        return changes

    def badge(self, context: str) -> Badge | None:
        if context not in self._badges:
            self._badges[context] = self.settings.policy(context).badge
        return self._badges[context]

    def _put(self, context: str, state: RolloutState, now: datetime, changes: Changes) -> None:
        key = row_key(context, state.namespace, state.name)
        for sibling in self.warnings.note(key, context, state):  # events it takes from them
            if sibling in self.entries:
                self._put(self.entries[sibling].context, self.entries[sibling].state, now, changes)
        found = self.warnings.for_rollout(context, state, now)
        # The open detail reads the pods themselves: its reasons replace the events' estimate.
        extra = self._detail_reasons.get(key, found.reasons)
        pinned = bool(self.settings.favourites) and self.settings.pinned(context, state.namespace, state.name)
        entry = Entry(
            context,
            state,
            attention(state, now, extra, found.changes_at),
            pinned=pinned,
            badge=self.badge(context),
            warnings=found.count,
            incident=extra,
        )
        changes.before.setdefault(entry.key, self.entries.get(entry.key))
        self.entries[entry.key] = entry
        if entry.attention.changes_at is not None:
            self._timed[entry.key] = entry.attention.changes_at
        else:
            self._timed.pop(entry.key, None)
        changes.removed.discard(entry.key)
        changes.changed.add(entry.key)
