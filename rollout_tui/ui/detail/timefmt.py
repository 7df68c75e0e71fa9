"""Countdowns for timed pauses and scale-down delays, to the second.

Ages use the model's HumanDuration coarsened by `ui.rows.coarse_age` (they need not tick).
"""

from __future__ import annotations


def countdown(seconds: float) -> str:
    """A pause countdown with second precision: `4m05s`, `59s`, `1h02m`."""
    s = max(int(seconds + 0.999), 0)  # round up: "0s left" only when it is really over
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"
