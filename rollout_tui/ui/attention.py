"""Alerts when a rollout turns bad or starts waiting for a human.

Pure transition detection: the shell keeps the last ``Flags`` per rollout and asks which
alerts the new state raises. The first sighting of a rollout never alerts (the operator opened
the tool onto an existing state; the header counts show it).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import facts


@dataclass(frozen=True)
class Flags:
    degraded: bool
    aborted: bool
    awaiting: bool


def flags(rollout: dict, status: str) -> Flags:
    return Flags(status == "Degraded", facts.is_aborted(rollout), facts.awaiting_promotion(rollout))


def alerts(before: Flags | None, after: Flags) -> tuple[str, ...]:
    """What became true between two sightings, in words ("aborted", "degraded", ...)."""
    if before is None:
        return ()
    out: list[str] = []
    if after.aborted and not before.aborted:
        out.append("aborted")
    elif after.degraded and not before.degraded:
        out.append("degraded")
    if after.awaiting and not before.awaiting:
        out.append("waiting for promotion")
    return tuple(out)


def desktop_notification(title: str, body: str) -> str:
    """OSC 777 (urxvt, foot, WezTerm, VTE) then OSC 9 (iTerm2, Windows Terminal, kitty).

    Title and body must already be cleaned of control characters (safe.clean): a BEL or ESC in
    them would end the sequence early and let cluster data write to the terminal.
    """
    title = title.replace(";", ",")
    body = body.replace(";", ",")
    return f"\x1b]777;notify;{title};{body}\x07\x1b]9;{title}: {body}\x07"
