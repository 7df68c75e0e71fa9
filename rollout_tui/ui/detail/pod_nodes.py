"""Pod truth in the revision tree: under a pod that has trouble, one line per container that has
something to say (its state and reason, restarts, how its last run ended and the last words it
wrote), and the pod's latest Warning event. Healthy pods stay one line."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from rollout_tui.model.events import EventInfo
from rollout_tui.model.icons import Glyphs
from rollout_tui.model.pods import ContainerTruth, PodInfo
from rollout_tui.ui.detail.text import safe
from rollout_tui.ui.detail.treesync import NodeData, NodeSpec

MESSAGE = 160  # characters of a termination message or event shown


def last_words(message: str) -> str:
    """The line of a termination message (a log tail) that says why: a panic, a fatal error,
    else its last line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("panic:", "fatal error:", "Error:", "FATAL", "Exception")):
            return line
    return lines[-1] if lines else ""


def _stamp(when: datetime | None) -> str:
    return when.strftime("%H:%M:%SZ") if when is not None else ""


def container_text(c: ContainerTruth) -> Text:
    text = Text.assemble(safe(("init " if c.init else "") + c.name, "bold", limit=60), " ")
    bad = c.broken
    state = f"{c.state} {c.reason}".strip() if c.state else "no status yet"
    text.append_text(safe(state, "red" if bad else "yellow" if not c.ready else "green", limit=60))
    if c.state == "terminated" and c.exit_code is not None:
        text.append(f" exit {c.exit_code}", style="red" if c.exit_code else "dim")
    if c.restarts:
        text.append(f"  restarts {c.restarts}", style="red")
    if c.last_reason:
        text.append("  last: ", style="dim")
        code = f" exit {c.last_exit_code}" if c.last_exit_code is not None else ""
        text.append_text(safe(f"{c.last_reason}{code}", "red", limit=60))
        if c.last_finished is not None:
            text.append(f" at {_stamp(c.last_finished)}", style="dim")
    if c.message and c.state != "running":
        text.append("  ")
        text.append_text(safe(c.message, "dim", limit=MESSAGE))
    return text


def pod_children(
    pod: PodInfo, glyphs: Glyphs, warning: EventInfo | None, warning_age: str
) -> tuple[NodeSpec, ...]:
    """The lines under a pod (none for a healthy one)."""
    specs: list[NodeSpec] = []
    if pod.unschedulable:
        specs.append(
            NodeSpec(
                NodeData(f"sched/{pod.uid}", "Info"),
                safe(f"unschedulable: {pod.unschedulable}", "red", limit=MESSAGE),
            )
        )
    for c in pod.containers:
        if (
            c.broken
            or c.restarts
            or (c.state and not c.ready and not c.init)
            or (c.state == "waiting" and c.reason)
        ):
            key = f"ctr/{pod.uid or pod.name}/{c.name}"
            specs.append(NodeSpec(NodeData(key, "Container", ref=(pod.name, c.name)), container_text(c)))
            words = (
                last_words(c.last_message or c.message) if (c.last_message or c.state == "terminated") else ""
            )
            if words:
                quote = Text("  “", style="dim") if not glyphs.ascii else Text('  "', style="dim")
                quote.append_text(safe(words, "italic", limit=MESSAGE))
                specs.append(NodeSpec(NodeData(f"{key}/msg", "Container", ref=(pod.name, c.name)), quote))
    if warning is not None and (specs or pod.problem):
        text = Text(f"{glyphs.warning} ", style="red")
        text.append_text(safe(warning.reason, "yellow", limit=40))
        if warning.count > 1:
            text.append(f" {'x' if glyphs.ascii else '×'}{warning.count}", style="dim")
        text.append(" ")
        text.append_text(safe(warning.message, limit=MESSAGE))
        if warning_age:
            text.append(f"  {warning_age}", style="dim")
        specs.append(NodeSpec(NodeData(f"warn/{pod.uid or pod.name}", "Event", ref=pod.name), text))
    return tuple(specs)
