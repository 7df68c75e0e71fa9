"""`list rollouts` table, byte-compatible with `kubectl argo rollouts list rollouts`."""

from __future__ import annotations

from collections.abc import Iterable

from rollout_tui.model.state import RolloutState
from rollout_tui.render.safe import clean
from rollout_tui.render.tabwriter import tabwrite

HEADER = "NAME\tSTRATEGY\tSTATUS\tSTEP\tSET-WEIGHT\tREADY\tDESIRED\tUP-TO-DATE\tAVAILABLE\n"
NO_RESOURCES = "No resources found."


def rollout_row(state: RolloutState, all_namespaces: bool = False, timestamp: str | None = None) -> str:
    """One row with the plugin's fixed minimum widths (cmd/list/rollloutinfo.go columnFmtString)."""
    strategy = state.strategy or "unknown"
    step = state.step_label or "-"
    weight = "-" if state.set_weight is None else str(state.set_weight)
    ready = f"{state.replicas.ready}/{state.replicas.current}"
    row = (
        f"{clean(state.name):<10}\t{strategy:<9}\t{clean(state.status):<12}\t{step:<4}\t"
        f"{weight:<10}\t{ready:<5}\t{state.replicas.desired:<7}\t{state.replicas.updated:<10}\t{state.replicas.available:<9}"
    )
    if all_namespaces:
        row = f"{clean(state.namespace):<9}\t" + row
    if timestamp is not None:
        row = f"{timestamp:<20}\t" + row
    return row


def render_rollouts(
    states: Iterable[RolloutState], all_namespaces: bool = False, timestamp: str | None = None
) -> str:
    """The table, or "" when there is nothing to list (the caller reports NO_RESOURCES)."""
    rows = [rollout_row(s, all_namespaces, timestamp) + "\n" for s in states]
    if not rows:
        return ""
    header = HEADER
    if all_namespaces:
        header = "NAMESPACE\t" + header
    if timestamp is not None:
        header = "TIMESTAMP\t" + header
    return tabwrite(header + "".join(rows))
