"""`list rollouts` and `list experiments` tables, byte-compatible with the plugin's
(pkg/kubectl-argo-rollouts/cmd/list/rollloutinfo.go and list_experiments.go)."""

from __future__ import annotations

from collections.abc import Iterable

from rollout_tui.model.experiment_row import ExperimentRow
from rollout_tui.model.state import RolloutState
from rollout_tui.render.safe import clean
from rollout_tui.render.tabwriter import tabwrite

HEADER = "NAME\tSTRATEGY\tSTATUS\tSTEP\tSET-WEIGHT\tREADY\tDESIRED\tUP-TO-DATE\tAVAILABLE\n"
EXPERIMENT_HEADER = "NAME\tSTATUS\tDURATION\tREMAINING\tAGE\n"
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


def render_rollout_updates(rows: Iterable[str]) -> str:
    """Watch updates flushed together (the plugin's update tabwriter flushes every 500 ms)."""
    lines = [row + "\n" for row in rows]
    return tabwrite("".join(lines)) if lines else ""


def experiment_line(row: ExperimentRow, all_namespaces: bool = False) -> str:
    line = f"{clean(row.name):<10}\t{clean(row.status):<6}\t{row.duration:<8}\t{row.remaining:<9}\t{row.age:<3}\n"
    return f"{clean(row.namespace):<9}\t" + line if all_namespaces else line


def render_experiments(rows: Iterable[ExperimentRow], all_namespaces: bool = False) -> str:
    header = ("NAMESPACE\t" if all_namespaces else "") + EXPERIMENT_HEADER
    return tabwrite(header + "".join(experiment_line(r, all_namespaces) for r in rows))
