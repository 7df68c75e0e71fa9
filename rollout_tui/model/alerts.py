"""When to alert: a rollout newly needs a human. Pure transition detection.

The caller keeps the last `Attention` per rollout and asks which alerts the new one raises. The
first sighting of a rollout never alerts: the operator opened the tool onto an existing state,
and the header counts show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rollout_tui.model.attention import FAILING, NEEDS_ME, STUCK, Attention


@dataclass(frozen=True, slots=True)
class Alert:
    texts: tuple[str, ...]  # what became true: "aborted", "waiting for promotion at step 3/8"
    severe: bool  # failing or stuck (an error), else waiting (a warning)


def alert(before: Attention | None, after: Attention) -> Alert | None:
    if before is None:
        return None
    seen = {reason.text for reason in before.reasons}
    new = [reason for reason in after.reasons if reason.level in NEEDS_ME and reason.text not in seen]
    if not new:
        return None
    return Alert(tuple(reason.text for reason in new), any(r.level in (FAILING, STUCK) for r in new))
