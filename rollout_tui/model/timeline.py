"""status.duration (Argo Rollouts 1.11, rollout/sync.go calculateStatusDuration): when the current
update started, the time spent in manual pauses, when and how it finished. Clock-free: the
running total of a pause in progress is computed when shown (`manual_pause_at`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rollout_tui.model.fields import as_dict, as_int, as_str, dig, parse_time


@dataclass(frozen=True, slots=True)
class RolloutDuration:
    started: datetime | None  # rolloutStartedAt
    manual_pause_seconds: int  # totalManualPauseDurationSeconds (closed pauses)
    manual_pause_started: datetime | None  # a manual pause in progress
    finished: datetime | None
    completion: str  # Promoted, FastPromoted, Aborted, RolledBack, FastRolledBack ("" running)

    def manual_pause_at(self, now: datetime) -> timedelta:
        """Manual pause time so far, the running pause included."""
        running = now - self.manual_pause_started if self.manual_pause_started is not None else timedelta(0)
        return timedelta(seconds=self.manual_pause_seconds) + max(running, timedelta(0))

    def total_at(self, now: datetime) -> timedelta | None:
        """From start to finish (or to `now` while it runs)."""
        if self.started is None:
            return None
        return (self.finished or now) - self.started


def rollout_duration(rollout: Any) -> RolloutDuration | None:
    """None when the controller does not report status.duration (before 1.11)."""
    found = as_dict(dig(rollout, "status", "duration"))
    if not found:
        return None
    return RolloutDuration(
        started=parse_time(found.get("rolloutStartedAt")),
        manual_pause_seconds=as_int(found.get("totalManualPauseDurationSeconds")),
        manual_pause_started=parse_time(found.get("manualPauseStartedAt")),
        finished=parse_time(found.get("finishedAt")),
        completion=as_str(found.get("completionStatus")),
    )
