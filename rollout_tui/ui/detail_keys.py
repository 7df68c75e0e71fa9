"""The detail's incident keys as the help screen lists them (bound in ui.detail.incident_keys)."""

from __future__ import annotations

DETAIL_KEY_HELP: tuple[tuple[str, str], ...] = (
    ("l Y", "Logs, YAML (detail tree)"),
    ("d a T", "Diff, analysis, terminate"),
)
