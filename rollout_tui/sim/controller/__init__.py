"""The simulated Argo Rollouts controller (see core.Controller)."""

from rollout_tui.sim.controller.core import Controller, HotLoopError, ReconcileError

__all__ = ["Controller", "HotLoopError", "ReconcileError"]
