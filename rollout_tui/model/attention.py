"""What needs a human: the first question an operator opens rollout-tui for.

Every rollout is in one of five levels, worst first:
  failing  Degraded, aborted, a failed analysis, an unknown status
  stuck    progressing with no progress for longer than progressDeadlineSeconds
  waiting  waiting for a human: an indefinite pause, a blue-green pause without auto-promotion,
           an inconclusive analysis, paused by hand
  auto     will carry on by itself: a timed pause (until when), auto-promotion (until when),
           an analysis running, an update progressing
  ok       Healthy
The first three need a human ("needs me"). Pure: `attention(state, now)`; `changes_at` says when
the answer can change with time alone, so a caller can keep it until then. `Reason.line(now)` is
the reason in the words every screen shows (with its countdown), `tally` the counts the header and
the wall banner show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from rollout_tui.model.durations import countdown, human_duration
from rollout_tui.model.state import BLUE_GREEN, RolloutState

FAILING, STUCK, WAITING, AUTO, OK = "failing", "stuck", "waiting", "auto", "ok"
LEVELS = (FAILING, STUCK, WAITING, AUTO, OK)  # worst first
NEEDS_ME = frozenset({FAILING, STUCK, WAITING})
KNOWN_STATUSES = frozenset({"Healthy", "Degraded", "Paused", "Progressing"})
_FAILED_ANALYSIS = frozenset({"Failed", "Error"})
# The controller's abort message (utils/conditions/conditions.go, RolloutAbortedMessage): its
# reason and "Rollout aborted update to revision N" say what "aborted" says; the cause follows.
_ABORTED_PREFIX = re.compile(r"^(RolloutAborted: )?(Rollout aborted update to revision \d+(: |$))?")


@dataclass(frozen=True, slots=True)
class Reason:
    level: str
    text: str  # short and stable ("aborted", "pause ends"): alerts compare it, banners show it
    until: datetime | None = None  # an auto reason: when it carries on by itself
    sentence: str = ""  # the full words when they say more than `text` (the controller's message)

    def line(self, now: datetime) -> str:
        """What the row, the detail and the wall say: "pause ends in 4m12s", "aborted: Metric ..."."""
        if self.until is not None:
            left = (self.until - now).total_seconds()
            return f"{self.text} in {countdown(left)}" if left > 0 else f"{self.text} now"
        return self.sentence or self.text


@dataclass(frozen=True, slots=True)
class Attention:
    level: str
    reasons: tuple[Reason, ...]  # worst first; empty when ok
    changes_at: datetime | None = None  # when time alone may change this answer

    @property
    def needs_me(self) -> bool:
        return self.level in NEEDS_ME

    @property
    def rank(self) -> int:
        return LEVELS.index(self.level)

    @property
    def headline(self) -> str:
        return self.reasons[0].text if self.reasons else ""

    @property
    def counting_down(self) -> bool:
        """Whether `line` changes every second (a row showing it must tick)."""
        return bool(self.reasons) and self.reasons[0].until is not None

    def line(self, now: datetime) -> str:
        """The top reason in full ("" when ok): what a one-line view says about this rollout."""
        return self.reasons[0].line(now) if self.reasons else ""


def attention(
    state: RolloutState, now: datetime, extra: tuple[Reason, ...] = (), extra_until: datetime | None = None
) -> Attention:
    """`extra`: reasons the Rollout object does not hold (its pods, its router: model.incident),
    valid until `extra_until` when they expire with time."""
    # extra first: failing pods say why a rollout is degraded, better than "degraded" does
    reasons = [*extra, *_failing(state), *_stuck(state, now), *_waiting(state), *_auto(state)]
    reasons.sort(key=lambda reason: LEVELS.index(reason.level))
    level = reasons[0].level if reasons else OK
    stuck_at = state.stuck_at()
    due = [t for t in (stuck_at, extra_until) if t is not None and t > now]
    return Attention(level, tuple(reasons), min(due) if due else None)


def _failing(state: RolloutState) -> list[Reason]:
    found = []
    if state.aborted:
        message = _ABORTED_PREFIX.sub("", state.message, count=1)
        found.append(Reason(FAILING, "aborted", sentence=f"aborted: {message}" if message else ""))
    elif state.status == "Degraded":
        found.append(Reason(FAILING, "degraded", sentence=state.message))
    elif state.status not in KNOWN_STATUSES:
        found.append(Reason(FAILING, f"status {state.status or 'unknown'}", sentence=state.message))
    for kind, phase in (
        ("analysis", state.analysis.step),
        ("background analysis", state.analysis.background),
    ):
        if phase in _FAILED_ANALYSIS and not state.aborted:
            found.append(Reason(FAILING, f"{kind} {phase.lower()}"))
    return found


def _stuck(state: RolloutState, now: datetime) -> list[Reason]:
    stuck_at = state.stuck_at()
    if stuck_at is None or now < stuck_at:
        return []
    deadline = human_duration(state.progress_deadline)
    return [Reason(STUCK, f"stuck: no progress for over {deadline} (progressDeadlineSeconds)")]


def _waiting(state: RolloutState) -> list[Reason]:
    found = []
    if "InconclusiveAnalysisRun" in state.pause_reasons or "InconclusiveExperiment" in state.pause_reasons:
        found.append(Reason(WAITING, "inconclusive analysis: promote or abort"))
    elif (
        state.strategy == BLUE_GREEN
        and "BlueGreenPause" in state.pause_reasons
        and state.auto_promote_at is None
    ):
        found.append(Reason(WAITING, "waiting for promotion"))
    elif state.awaiting_promotion:
        where = f" at step {state.step_label}" if state.step_label else ""
        found.append(Reason(WAITING, f"waiting for promotion{where}"))
    if state.paused_by_hand:
        found.append(Reason(WAITING, "paused by hand"))
    return found


def _auto(state: RolloutState) -> list[Reason]:
    if state.pause_ends_at is not None:
        return [Reason(AUTO, "pause ends", state.pause_ends_at)]
    if state.auto_promote_at is not None:
        return [Reason(AUTO, "auto-promotion", state.auto_promote_at)]
    if state.analysis.step in ("Running", "Pending"):
        return [Reason(AUTO, "analysis running")]
    if state.status == "Progressing" and not state.aborted:
        return [Reason(AUTO, "progressing", sentence=state.message)]
    if state.status == "Paused" and not state.aborted:
        return [Reason(AUTO, state.message or "paused")]
    return []


@dataclass(frozen=True, slots=True)
class Tally:
    """How many rollouts are at each level: what the header and the wall banner count."""

    failing: int = 0
    stuck: int = 0
    waiting: int = 0
    auto: int = 0
    ok: int = 0

    @property
    def total(self) -> int:
        return self.failing + self.stuck + self.waiting + self.auto + self.ok

    @property
    def needs_me(self) -> int:
        return self.failing + self.stuck + self.waiting

    @property
    def broken(self) -> int:
        """Failing or stuck: something is wrong (the rest of "needs me" waits for a decision)."""
        return self.failing + self.stuck


def tally(attentions: Iterable[Attention]) -> Tally:
    counts = dict.fromkeys(LEVELS, 0)
    for found in attentions:
        counts[found.level] += 1
    return Tally(**counts)
