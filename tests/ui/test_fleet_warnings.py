"""The rows' warning counts do not depend on the order the rollouts arrive in: an event of
`cart-api-<hash>-<pod>` is cart-api's, even when `cart` was listed first."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from rollout_tui.model.state import rollout_state
from rollout_tui.settings import Settings
from rollout_tui.ui.fleet_view import FleetView

NOW = datetime(2026, 1, 1, 0, 10, tzinfo=UTC)


def rollout(name: str) -> Any:
    obj = {
        "kind": "Rollout",
        "metadata": {"name": name, "namespace": "shop", "uid": name, "resourceVersion": "1"},
    }
    return rollout_state(obj)


def warning(pod: str) -> dict[str, Any]:
    return {
        "kind": "Event",
        "metadata": {"name": f"{pod}.1", "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": pod},
        "type": "Warning",
        "reason": "BackOff",
        "message": "Back-off restarting failed container app",
        "count": 1,
        "lastTimestamp": "2026-01-01T00:09:00Z",
    }


def test_a_warning_goes_to_the_longest_rollout_name_whatever_the_order() -> None:
    events = [warning("cart-api-6d5f9c7b8-x1"), warning("cart-7c9d8f6b5-y2"), warning("cart-7c9d8f6b5-y3")]
    for order in itertools.permutations(["cart", "cart-api"]):
        view = FleetView(Settings())
        view.load({"east": [rollout(n) for n in order]}, {}, NOW, {"east": events})
        counts = {key: entry.warnings for key, entry in view.entries.items()}
        assert counts == {"east/shop/cart": 2, "east/shop/cart-api": 1}, order
