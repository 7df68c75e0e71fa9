"""Modal and full screens of the shell (the detail pane's own screens live in ui.detail)."""
