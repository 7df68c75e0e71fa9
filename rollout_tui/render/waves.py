"""A wave's plan and progress as plain text (the CLI prints it, the UI's plan screen shows it) and
as JSON (`wave -o json`: the plan, then one object per transition, one per line).

Everything that came from a cluster (names, images, messages) goes through the one sanitiser.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rollout_tui.model.durations import human_duration
from rollout_tui.model.wave_plan import PlannedRing, WavePlan, describe_target
from rollout_tui.model.waves import Transition
from rollout_tui.render.safe import clean

ACTION_WORDS = {"promote": "promote", "set_image": "set image", "abort": "abort"}


def plan_header(plan: WavePlan) -> list[str]:
    rings = " → ".join(clean(r.ring.name, 40) for r in plan.rings)
    failure = "abort the failing ring and stop" if plan.abort_on_failure else "stop (nothing is aborted)"
    return [
        f"Wave {plan.wave_id} for {clean(plan.app, 120)}: {clean(describe_target(plan.target), 300)}",
        f"  rings {rings}; each must be Healthy at {clean(plan.target.short, 80)} for its bake time, "
        "with no failed or inconclusive analysis and no restarts of the new pods",
        f"  on failure: {failure}; rings not yet started are left untouched",
    ]


def ring_lines(ring: PlannedRing) -> list[str]:
    head = f"ring {ring.index} {clean(ring.ring.label, 60)}  bake {human_duration(ring.ring.bake)}"
    lines = [head]
    lines += [f"  {ACTION_WORDS.get(w.action, w.action):<10} {clean(w.text, 400)}" for w in ring.writes]
    lines += [f"  {'as is':<10} {clean(note, 400)}" for note in ring.unchanged]
    lines += [f"  {'REFUSED':<10} {clean(why, 400)}" for why in ring.refusals]
    return lines


def plan_text(plan: WavePlan) -> str:
    lines = plan_header(plan)
    for ring in plan.rings:
        lines += ring_lines(ring)
    count = len(plan.writes)
    if plan.ok and not count:
        lines.append("no writes: every ring runs it already; the wave watches each ring bake in turn")
    elif plan.ok:
        lines.append(
            f"{count} write{'s' if count != 1 else ''}, each sent once, refused if its rollout changed"
        )
    else:
        lines.append(f"cannot start: {len(plan.refusals)} refusal(s) above; nothing was written")
    return "\n".join(lines)


def transition_line(transition: Transition) -> str:
    """ "09:01:24 ring 1 west: starting: 1 write" (times in UTC, as the audit trail's)."""
    when = transition.at.astimezone(UTC).strftime("%H:%M:%S")
    where = (
        f"ring {transition.ring} {clean(transition.ring_name, 40)}: " if transition.ring is not None else ""
    )
    until = ""
    if transition.until is not None:
        until = f" (until {transition.until.astimezone(UTC).strftime('%H:%M:%S')})"
    return f"{when} {where}{clean(transition.text, 500)}{until}"


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z") if at is not None else None


def transition_json(transition: Transition) -> dict[str, Any]:
    out: dict[str, Any] = {
        "wave": transition.wave,
        "time": _iso(transition.at),
        "event": transition.event,
        "ring": transition.ring,
        "ringName": clean(transition.ring_name),
        "text": clean(transition.text),
    }
    for key, value in (
        ("until", _iso(transition.until)),
        ("rollout", transition.where),
        ("outcome", transition.outcome),
    ):
        if value:
            out[key] = clean(value) if key != "until" else value
    return out


def plan_json(plan: WavePlan) -> dict[str, Any]:
    return {
        "wave": plan.wave_id,
        "event": "plan",
        "time": _iso(plan.created),
        "app": clean(plan.app),
        "target": [{"container": c, "image": clean(i)} for c, i in plan.target.images],
        "abortOnFailure": plan.abort_on_failure,
        "rings": [
            {
                "index": r.index,
                "name": clean(r.ring.name),
                "contexts": list(r.ring.contexts),
                "bakeSeconds": int(r.ring.bake.total_seconds()),
                "writes": [
                    {"action": w.action, "rollout": clean(w.where), "text": clean(w.text)} for w in r.writes
                ],
                "unchanged": [clean(n) for n in r.unchanged],
                "refusals": [clean(n) for n in r.refusals],
            }
            for r in plan.rings
        ],
        "ok": plan.ok,
    }
