"""Countdowns for timed pauses and scale-down delays, to the second (the model's, so the overview
row and the detail count down alike).

Ages use the model's HumanDuration coarsened by `ui.rows.coarse_age` (they need not tick).
"""

from __future__ import annotations

from rollout_tui.model.durations import countdown

__all__ = ["countdown"]
