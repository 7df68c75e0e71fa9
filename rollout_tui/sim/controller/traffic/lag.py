"""Steering a canary's traffic router away from what the controller asks of it, so a view can be
tested on a router whose real split differs from ``status.canary.weights``.

Rollout annotation ``sim.rollout-tui.dev/router``:

- ``stuck``: the router objects keep the split they have; the controller's writes do not land
  (as when something else, say a GitOps tool, keeps reverting them);
- ``lag`` or ``lag:<duration>`` (default 30s): the router objects follow the controller's weight
  that long late.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from rollout_tui.sim.naming import parse_duration

ROUTER_ANNOTATION = "sim.rollout-tui.dev/router"
DEFAULT_LAG = 30.0
STUCK = "stuck"


def router_mode(ro: dict[str, Any]) -> tuple[str, float]:
    """("stuck" | "lag" | "", lag seconds)."""
    notes = (ro.get("metadata") or {}).get("annotations") or {}
    value = str(notes.get(ROUTER_ANNOTATION, "")).strip()
    if value == STUCK:
        return STUCK, 0.0
    if value == "lag" or value.startswith("lag:"):
        seconds = parse_duration(value[4:]) if ":" in value else None
        return "lag", DEFAULT_LAG if seconds is None else seconds
    return "", 0.0


class RouterLag:
    """The weights a lagging router has been asked for, per rollout (uid), oldest first."""

    def __init__(self) -> None:
        self._asked: dict[str, list[tuple[datetime, int]]] = {}

    def weight(self, uid: str, wanted: int, now: datetime, lag: float) -> tuple[int | None, datetime | None]:
        """(the weight the router applies now (None: nothing asked long enough ago), when it next
        changes)."""
        asked = self._asked.setdefault(uid, [])
        if not asked or asked[-1][1] != wanted:
            asked.append((now, wanted))
        horizon = now - timedelta(seconds=lag)
        applied = None
        while asked and asked[0][0] <= horizon:
            applied = asked[0][1]
            if len(asked) > 1 and asked[1][0] <= horizon:
                asked.pop(0)
                continue
            break
        upcoming = next((at + timedelta(seconds=lag) for at, _w in asked if at > horizon), None)
        return applied, upcoming

    def forget(self, uid: str) -> None:
        self._asked.pop(uid, None)
