"""The plugin's requests, for the simulated operators (the demo driver, churn, test harnesses).

They are the action registry's own patches (model/actions/patches.py, from the plugin's
cmd/promote/promote.go), so the simulator's operators send exactly what rollout-tui and the
plugin send.
"""

from __future__ import annotations

from typing import Any

from rollout_tui.model.actions.patches import promote_writes
from rollout_tui.model.state import rollout_state


def promote_patches(ro: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(status patch, main-resource patch) of `promote`, either None when it sends none."""
    writes = promote_writes(rollout_state(ro))
    status = next((w.body for w in writes if w.subresource == "status"), None)
    main = next((w.body for w in writes if not w.subresource), None)
    return status, main
