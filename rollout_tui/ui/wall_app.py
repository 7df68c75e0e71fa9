"""`--wall`: the shell for a wall monitor, composed from the same app and the wall's layout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from rollout_tui.kube.fleet import Fleet

from .app import TABLE_ACTIONS, RolloutApp
from .layout import ShellLayout, WallLayout


class WallApp(RolloutApp):
    """`--wall`: read-only, no input needed but `q`, no animations, no command palette; the layout
    (`layout.WallLayout`) cycles the detail through what needs attention."""

    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, fleet: Fleet, contexts: Sequence[str], **kwargs: Any) -> None:
        kwargs["read_only"] = True
        kwargs["animate"] = False
        super().__init__(fleet, contexts, **kwargs)

    def make_layout(self) -> ShellLayout:
        return WallLayout(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only quitting and scrolling: a wall needs no input, and kube has no write path either.
        return action not in TABLE_ACTIONS and action not in ("act", "help", "toggle_mark", "rings")
