"""Kubernetes Events for what the simulated controllers do, aggregated like the event correlator.

A repeat of the same (object, type, reason, message) bumps `count` and `lastTimestamp` on the
existing Event instead of creating another, as client-go's recorder does. The total number kept is
bounded (oldest deleted first) so a long-running demo or a churning scale fleet cannot grow memory
without limit; real clusters expire events after an hour for the same reason.
"""

from __future__ import annotations

import contextlib
import random
from collections import OrderedDict
from typing import Any

from rollout_tui.sim.clock import rfc3339

COMPONENT = "rollouts-controller"


class EventRecorder:
    def __init__(self, store: Any, clock: Any, max_events: int = 20000, seed: int = 0) -> None:
        self._store = store
        self._clock = clock
        self._max = max_events
        self._rng = random.Random(seed)
        # (namespace, uid, type, reason, message) -> event name, oldest first
        self._recent: OrderedDict[tuple[str, str, str, str, str], str] = OrderedDict()

    def normal(self, obj: dict[str, Any], reason: str, message: str) -> None:
        self.record(obj, "Normal", reason, message)

    def warning(self, obj: dict[str, Any], reason: str, message: str) -> None:
        self.record(obj, "Warning", reason, message)

    def record(
        self, obj: dict[str, Any], event_type: str, reason: str, message: str, component: str = COMPONENT
    ) -> None:
        meta = obj.get("metadata", {})
        namespace = meta.get("namespace") or "default"
        key = (namespace, meta.get("uid", ""), event_type, reason, message)
        now = rfc3339(self._clock.now())
        name = self._recent.get(key)
        if name is not None:
            self._recent.move_to_end(key)
            try:
                self._store.mutate("events", namespace, name, lambda ev: _bump(ev, now))
                return
            except Exception:  # deleted meanwhile (e.g. namespace removed): record afresh
                self._recent.pop(key, None)
        name = (
            f"{meta.get('name', 'object')}.{''.join(self._rng.choice('0123456789abcdef') for _ in range(16))}"
        )
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": {
                "apiVersion": obj.get("apiVersion", ""),
                "kind": obj.get("kind", ""),
                "name": meta.get("name", ""),
                "namespace": namespace,
                "uid": meta.get("uid", ""),
                "resourceVersion": meta.get("resourceVersion", ""),
            },
            "reason": reason,
            "message": message,
            "source": {"component": component},
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "type": event_type,
            "eventTime": None,
            "reportingComponent": component,
            "reportingInstance": "",
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


def _bump(event: dict[str, Any], now: str) -> None:
    event["count"] = int(event.get("count") or 1) + 1
    event["lastTimestamp"] = now
