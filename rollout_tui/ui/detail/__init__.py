"""The rollout detail pane (summary, steps, revision tree, live metrics, events) and the metric chart."""

from rollout_tui.ui.detail.chart import MetricChartScreen
from rollout_tui.ui.detail.pane import DetailPane

__all__ = ["DetailPane", "MetricChartScreen"]
