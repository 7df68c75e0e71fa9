"""The one palette: colours by semantic status kind (model.icons), for every screen alike."""

from __future__ import annotations

from rollout_tui.model.attention import AUTO, FAILING, OK, STUCK, WAITING
from rollout_tui.model.icons import rollout_status_kind

# As the kubectl plugin colours its icons (green ok, red bad, blue progressing, yellow unknown).
KIND_STYLE = {
    "ok": "green",
    "bad": "bold red",
    "warning": "red",
    "progressing": "cyan",
    "unknown": "yellow",
    "waiting": "yellow",
    "paused": "yellow",
    "neutral": "dim",
}
ROLE_STYLE = {
    "canary": "yellow",
    "stable": "green",
    "active": "green",
    "preview": "blue",
    "ping": "blue",
    "pong": "blue",
}
ATTENTION_STYLE = {FAILING: "bold red", STUCK: "bold red", WAITING: "bold yellow", AUTO: "cyan", OK: "green"}
# The overview's MESSAGE column: why it needs you stands out, what carries on by itself does not.
MESSAGE_STYLE = {FAILING: "red", STUCK: "red", WAITING: "yellow", AUTO: "", OK: "dim"}


def status_style(status: str) -> str:
    """The colour of a rollout status name ("Healthy", "Degraded", ...)."""
    return KIND_STYLE.get(rollout_status_kind(status), "magenta")


def dialog_css(
    screen: str,
    box: str,
    width: int,
    border: str = "$accent",
    padding: str = "0 1",
    max_height: str | None = "100%",
) -> str:
    """The CSS every dialog starts with: the screen centres its box, which is ``width`` cells wide
    (less on a narrow terminal), as tall as its content up to ``max_height``, in a thick border
    (``$warning`` for one that asks before acting)."""
    limit = f" max-height: {max_height};" if max_height else ""
    return (
        f"{screen} {{ align: center middle; }}\n"
        f"{screen} > {box} {{ width: {width}; max-width: 100%; height: auto;{limit}"
        f" border: thick {border}; background: $surface; padding: {padding}; }}\n"
    )
