"""Kubernetes API simulator with a simulated Argo Rollouts controller.

``Simulator`` is imported lazily so that ``rollout_tui.sim.store`` (used by the controller) does
not pull in the HTTP server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rollout_tui.sim.facade import Simulator

__all__ = ["Simulator"]


def __getattr__(name: str) -> Any:
    if name == "Simulator":
        from rollout_tui.sim.facade import Simulator

        return Simulator
    raise AttributeError(name)
