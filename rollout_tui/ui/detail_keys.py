"""The detail's incident keys, declared once: ui.detail.incident_keys binds them, the help screen
lists them, and a config keymap may rebind them by id (ui.settings_check knows the ids)."""

from __future__ import annotations

from rollout_tui.model.actions import action

from .keys import ViewKey

# The footer shows only `l`: at 80 columns the rollout actions' keys must stay visible.
DETAIL_KEYS: tuple[ViewKey, ...] = (
    ViewKey("l", "logs", "Logs", long="Logs of the pod, ReplicaSet or revision under the cursor"),
    ViewKey("Y", "yaml", "YAML", show=False, long="YAML of the object under the cursor"),
    ViewKey("d", "diff", "Diff", show=False, long="Pod-template diff against the stable revision"),
    ViewKey("a", "analysis", "Analysis", show=False, long="The AnalysisRun in full"),
    # the registry's key of terminate analysisrun (terminate experiment has the same)
    ViewKey(
        action("terminate_analysisrun").key,
        "terminate",
        "Terminate",
        show=False,
        long="Terminate the AnalysisRun or Experiment",
    ),
)
HELP_GROUPS = ((0, 2), (2, 5))  # two help lines: "l Y  Logs, YAML (detail)", "d a T ..."
