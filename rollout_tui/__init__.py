"""rollout-tui: a terminal UI for Argo Rollouts."""

__version__ = "0.1.0"
