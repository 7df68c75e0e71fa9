"""The overview's Warning events: fed from the fleet's `type=Warning` watch batches, mapped to
rollouts by model.warnings, for the row's warning count and the "canary pods failing" reason.

No Textual here: FleetView asks `for_rollout` when it builds an Entry, and `apply` which rollouts
to rebuild when Warnings change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rollout_tui.kube.coalesce import Batch
from rollout_tui.model.state import RolloutState
from rollout_tui.model.warnings import NONE, RolloutWarnings, WarningIndex, rollout_warnings

EVENT_KIND = "Event"


class FleetWarnings:
    def __init__(self) -> None:
        self.index = WarningIndex()
        self._names: dict[tuple[str, str], dict[str, str]] = {}  # (context, ns) -> {name: row key}

    def note(self, key: str, context: str, state: RolloutState) -> list[str]:
        """Remember the rollout; when it is new, the row keys of the rollouts whose names its
        name extends ("cart" for "cart-api"): events they were given may be its own."""
        names = self._names.setdefault((context, state.namespace), {})
        if state.name in names:
            return []
        names[state.name] = key
        return [k for name, k in names.items() if name != state.name and state.name.startswith(f"{name}-")]

    def forget(self, context: str, namespace: str, name: str) -> None:
        self._names.get((context, namespace), {}).pop(name, None)

    def apply(self, batch: Batch) -> set[str]:
        """A batch of Event changes; returns the row keys whose warnings may have changed."""
        if batch.kind != EVENT_KIND:
            return set()
        touched = self.index.apply(batch.context, batch.upserted, batch.deleted)
        return {key for scope in touched for key in self._names.get(scope, {}).values()}

    def for_rollout(self, context: str, state: RolloutState, now: datetime) -> RolloutWarnings:
        events = self.index.events(context, state.namespace)
        if not events:
            return NONE
        siblings: Iterable[str] = self._names.get((context, state.namespace), {}).keys()
        return rollout_warnings(state, events, siblings, now)
