"""Kubernetes Events for what the simulated controllers, scheduler and kubelet do, aggregated like
client-go's event correlator.

A repeat of the same (object, source, type, reason, message) bumps `count` and `lastTimestamp`
on the existing Event instead of creating another (client-go tools/record/events_cache.go). The
total number kept is bounded (oldest deleted first) so a long-running demo or a churning scale
fleet cannot grow memory without limit; real clusters expire events after an hour for the same
reason.
"""

from __future__ import annotations

import contextlib
import random
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.sim.clock import rfc3339

COMPONENT = "rollouts-controller"


@dataclass(frozen=True)
class Source:
    """Who reports an event: the component, its host (kubelets) and the object's field."""

    component: str = COMPONENT
    host: str = ""
    field_path: str = ""


CONTROLLER = Source()
_Key = tuple[str, str, str, str, str, str, str]


class EventRecorder:
    def __init__(self, store: Any, clock: Any, max_events: int = 20000, seed: int = 0) -> None:
        self._store = store
        self._clock = clock
        self._max = max_events
        self._rng = random.Random(seed)
        # (namespace, uid, component, fieldPath, type, reason, message) -> event name, oldest first
        self._recent: OrderedDict[_Key, str] = OrderedDict()

    def normal(self, obj: dict[str, Any], reason: str, message: str) -> None:
        self.record(obj, "Normal", reason, message)

    def warning(self, obj: dict[str, Any], reason: str, message: str) -> None:
        self.record(obj, "Warning", reason, message)

    def record(
        self,
        obj: dict[str, Any],
        event_type: str,
        reason: str,
        message: str,
        source: Source = CONTROLLER,
        *,
        at: datetime | None = None,
        first: datetime | None = None,
        count: int = 1,
    ) -> None:
        """Record ``count`` occurrences, the last at ``at`` (default now), the first at ``first``."""
        meta = obj.get("metadata", {})
        namespace = meta.get("namespace") or "default"
        key = (
            namespace,
            meta.get("uid", ""),
            source.component,
            source.field_path,
            event_type,
            reason,
            message,
        )
        last = rfc3339(at or self._clock.now())
        name = self._recent.get(key)
        if name is not None:
            self._recent.move_to_end(key)
            try:
                self._store.mutate("events", namespace, name, lambda ev: _bump(ev, last, count))
                return
            except Exception:  # deleted meanwhile (e.g. namespace removed): record afresh
                self._recent.pop(key, None)
        name = (
            f"{meta.get('name', 'object')}.{''.join(self._rng.choice('0123456789abcdef') for _ in range(16))}"
        )
        involved = {
            "apiVersion": obj.get("apiVersion", ""),
            "kind": obj.get("kind", ""),
            "name": meta.get("name", ""),
            "namespace": namespace,
            "uid": meta.get("uid", ""),
            "resourceVersion": meta.get("resourceVersion", ""),
        }
        if source.field_path:
            involved["fieldPath"] = source.field_path
        reported_by = {"component": source.component}
        if source.host:
            reported_by["host"] = source.host
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "source": reported_by,
            "firstTimestamp": rfc3339(first) if first else last,
            "lastTimestamp": last,
            "count": count,
            "type": event_type,
            "eventTime": None,
            "reportingComponent": source.component,
            "reportingInstance": source.host,
        }
        try:
            self._store.create("events", event)
        except Exception:  # the namespace may be going away; an event is never worth a crash
            return
        self._recent[key] = name
        while len(self._recent) > self._max:
            (old_ns, *_rest), old_name = self._recent.popitem(last=False)
            with contextlib.suppress(Exception):
                self._store.delete("events", old_ns, old_name)


def _bump(event: dict[str, Any], last: str, count: int) -> None:
    event["count"] = int(event.get("count") or 1) + count
    event["lastTimestamp"] = last
