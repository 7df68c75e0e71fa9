"""`list rollouts` and `list experiments` tables, byte-compatible with the plugin's
(pkg/kubectl-argo-rollouts/cmd/list/rollloutinfo.go and list_experiments.go)."""

from __future__ import annotations

from collections.abc import Iterable

from rollout_tui.model.experiment_row import ExperimentRow
from rollout_tui.model.summary import RolloutSummary
from rollout_tui.render.safe import clean
from rollout_tui.render.tabwriter import tabwrite

HEADER = "NAME\tSTRATEGY\tSTATUS\tSTEP\tSET-WEIGHT\tREADY\tDESIRED\tUP-TO-DATE\tAVAILABLE\n"
EXPERIMENT_HEADER = "NAME\tSTATUS\tDURATION\tREMAINING\tAGE\n"
NO_RESOURCES = "No resources found."


def rollout_row(summary: RolloutSummary, all_namespaces: bool = False, timestamp: str | None = None) -> str:
    """One row with the plugin's fixed minimum widths (they help alignment across watch updates)."""
    row = (
        f"{clean(summary.name):<10}\t{summary.strategy:<9}\t{clean(summary.status):<12}\t{summary.step:<4}\t"
        f"{summary.set_weight:<10}\t{summary.ready_current:<5}\t{summary.desired:<7}\t{summary.updated:<10}\t"
        f"{summary.available:<9}"
    )
    if all_namespaces:
        row = f"{clean(summary.namespace):<9}\t" + row
    if timestamp is not None:
        row = f"{timestamp:<20}\t" + row
    return row


def render_rollouts(
    summaries: Iterable[RolloutSummary], all_namespaces: bool = False, timestamp: str | None = None
) -> str:
    """The table, or "" when there is nothing to list (the caller reports NO_RESOURCES)."""
    rows = [rollout_row(s, all_namespaces, timestamp) + "\n" for s in summaries]
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
