"""The overview's view of Warning events: which rollout each belongs to, how many each rollout
has had lately, and whether its new pods are failing, without watching a single pod.

The fleet watches only `type=Warning` Events (one list+watch per scope, a few objects: Warnings
are rare in a healthy cluster, and expire with the Event TTL, an hour by default) instead of
every pod of every rollout (tens of thousands of objects that change on every probe). An event
belongs to the rollout whose name its object's name extends: ReplicaSets `<rollout>-<hash>`,
pods `<rollout>-<hash>-<suffix>`, AnalysisRuns and Experiments `<rollout>-<hash>-<revision>...`
(the controller's naming, utils/replicaset and utils/analysis); the longest such rollout name
wins ("cart-api" over "cart"). Pods of the revision being rolled out are `<rollout>-<currentPodHash>-`.
Only what was seen in the last `WINDOW` counts: an Event outlives the trouble it reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.attention import Reason
from rollout_tui.model.events import EventInfo, event_info, fold
from rollout_tui.model.fields import as_str, dig
from rollout_tui.model.incident import pods_reason, trouble_of_event
from rollout_tui.model.state import RolloutState

WINDOW = timedelta(minutes=10)
OWNED_KINDS = frozenset({"Rollout", "ReplicaSet", "Pod", "AnalysisRun", "Experiment"})
EventKey = tuple[str, str, str]  # (kind, namespace, name) of the Event object itself


@dataclass(frozen=True, slots=True)
class RolloutWarnings:
    count: int  # distinct Warning events of the rollout's objects seen within WINDOW
    reasons: tuple[Reason, ...]  # "canary pods failing: ..." from those of its new pods
    changes_at: datetime | None  # when the oldest counted one leaves the window

    @property
    def empty(self) -> bool:
        return not self.count


NONE = RolloutWarnings(0, (), None)


def belongs_to(event: EventInfo, name: str, siblings: Iterable[str]) -> bool:
    """Whether `event`'s object is rollout `name`'s (and not a longer-named sibling's)."""
    if event.kind == "Rollout":
        return event.name == name
    if event.kind not in OWNED_KINDS or not event.name.startswith(name + "-"):
        return False
    return not any(
        len(other) > len(name) and event.name.startswith(other + "-") for other in siblings if other != name
    )


def rollout_warnings(
    state: RolloutState, events: Iterable[EventInfo], siblings: Iterable[str], now: datetime
) -> RolloutWarnings:
    """The warnings of one rollout among `events` of its namespace (`siblings`: its rollouts)."""
    since = now - WINDOW
    others = tuple(siblings)
    mine = fold(
        e
        for e in events
        if e.warning
        and e.last_seen is not None
        and e.last_seen >= since
        and belongs_to(e, state.name, others)
    )
    if not mine:
        return NONE
    prefix = f"{state.name}-{state.current_pod_hash}-" if state.current_pod_hash else None
    troubles = [trouble_of_event(e) for e in mine if prefix and e.kind == "Pod" and e.name.startswith(prefix)]
    reason = pods_reason(state, troubles)
    oldest = min(e.last_seen for e in mine if e.last_seen is not None)
    return RolloutWarnings(len(mine), (reason,) if reason else (), oldest + WINDOW)


class WarningIndex:
    """Warning events by (context, namespace), fed from watch batches; pure bookkeeping."""

    def __init__(self) -> None:
        self._events: dict[tuple[str, str], dict[EventKey, EventInfo]] = {}

    def apply(
        self, context: str, upserted: Iterable[dict[str, Any]], deleted: Iterable[EventKey]
    ) -> set[tuple[str, str]]:
        """Take a batch of Event changes; returns the (context, namespace) pairs that changed."""
        touched: set[tuple[str, str]] = set()
        for obj in upserted:
            namespace = as_str(dig(obj, "metadata", "namespace"))
            key = ("Event", namespace, as_str(dig(obj, "metadata", "name")))
            info = event_info(obj)
            held = self._events.setdefault((context, namespace), {})
            if info is not None and info.warning:
                held[key] = info
                touched.add((context, namespace))
            elif held.pop(key, None) is not None:
                touched.add((context, namespace))
        for key in deleted:
            found = self._events.get((context, key[1]))
            if found is not None and found.pop(key, None) is not None:
                touched.add((context, key[1]))
        return touched

    def events(self, context: str, namespace: str) -> tuple[EventInfo, ...]:
        return tuple(self._events.get((context, namespace), {}).values())

    def __len__(self) -> int:
        return sum(len(held) for held in self._events.values())
