"""What an action needs from the operator before it can be confirmed: a revision, an image."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rollout_tui.model.actions import ActionArgs, ActionSpec

from .fleet_view import Entry
from .safe import clean
from .screens.prompt import PromptScreen

if TYPE_CHECKING:
    from .app import RolloutApp


def parse_image(value: str) -> tuple[str, str]:
    """ "[container=]image" -> (container, image); no container: every container ("*")."""
    name, sep, image = value.partition("=")
    if sep and ":" not in name and "/" not in name:
        return name.strip() or "*", image.strip()
    return "*", value.strip()


def ask_for_args(app: RolloutApp, spec: ActionSpec, entry: Entry, then: Callable[[ActionArgs], None]) -> None:
    if spec.needs_input == "revision":
        _ask_revision(app, spec, entry, then)
    elif spec.needs_input == "image":
        current = clean(entry.state.images[0], 200) if entry.state.images else ""

        def answered(value: str | None) -> None:
            if value:
                container, image = parse_image(value)
                if image:
                    then(ActionArgs(container=container, image=image))

        app.push_screen(PromptScreen(spec.prompt, current), answered)
    else:
        then(ActionArgs())


def _known_revisions(app: RolloutApp, entry: Entry) -> tuple[int, ...] | None:
    pane = app.detail_pane()
    info = getattr(pane, "info", None) if pane is not None else None
    if info is None or info.state.uid != entry.state.uid:
        return None
    return tuple(rev.revision for rev in info.revisions)


def _ask_revision(
    app: RolloutApp, spec: ActionSpec, entry: Entry, then: Callable[[ActionArgs], None]
) -> None:
    known = _known_revisions(app, entry)

    def chosen(revision: int) -> None:
        if revision and known is not None and revision not in known:
            listed = ", ".join(str(r) for r in known) or "none"
            app.notify(
                f"revision {revision} does not exist (revisions: {listed})", severity="warning", markup=False
            )
            return
        then(ActionArgs(revision=revision))

    pane = app.detail_pane()
    under_cursor = pane.selected_revision() if pane is not None and known is not None else None
    if under_cursor:
        chosen(under_cursor)
        return

    def answered(value: str | None) -> None:
        if value is None:
            return
        if not value.isdigit():
            app.notify("a revision is a number (0 = the previous one)", severity="warning", markup=False)
            return
        chosen(int(value))

    app.push_screen(PromptScreen(spec.prompt, "0"), answered)
