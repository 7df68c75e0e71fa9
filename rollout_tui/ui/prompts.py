"""What an action needs from the operator before it can be confirmed: a revision, an image."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rollout_tui.kube.actions import ActionResult
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


def _known_revisions(app: RolloutApp, entry: Entry) -> tuple[int, ...]:
    """The revisions of the rollout's ReplicaSets, when the detail shows it (for the refusal)."""
    pane = app.detail_pane()
    info = getattr(pane, "info", None) if pane is not None else None
    if info is None or info.state.uid != entry.state.uid:
        return ()
    return tuple(sorted({rs.revision for rs in info.replicasets}, reverse=True))


def _ask_revision(
    app: RolloutApp, spec: ActionSpec, entry: Entry, then: Callable[[ActionArgs], None]
) -> None:
    def chosen(revision: int) -> None:
        app.run_worker(
            lambda: _check_revision(app, spec, entry, ActionArgs(revision=revision), then),
            thread=True,
            exit_on_error=False,
            group="actions",
        )

    pane = app.detail_pane()
    shown = pane is not None and getattr(pane, "info", None) is not None
    under_cursor = pane.selected_revision() if shown and pane.info.state.uid == entry.state.uid else None
    if under_cursor:
        chosen(under_cursor)
        return

    def answered(value: str | None) -> None:
        if value is None:
            return
        if not value.strip().isdigit():
            app.notify("a revision is a number (0 = the previous one)", severity="warning", markup=False)
            return
        chosen(int(value))

    app.push_screen(PromptScreen(spec.prompt, "0"), answered)


def _check_revision(
    app: RolloutApp, spec: ActionSpec, entry: Entry, args: ActionArgs, then: Callable[[ActionArgs], None]
) -> None:
    """On a worker thread: refuse a revision the rollout does not have (or already runs) before the
    confirmation, with the plugin's own check (undo.go, in the registry's writes), reading only."""
    actions = app.flow.actions(entry.context)
    if actions is None:  # read-only: undo is not offered at all
        return
    try:
        refusal = actions.preflight(spec, entry.state.namespace, entry.state.name, args)
    except Exception as exc:  # a bug must become a toast, not a dead worker
        refusal = ActionResult(False, "failed", f"{type(exc).__name__}: {exc}")
    if refusal is None:
        app.call_from_thread(then, args)
        return
    known = app.call_from_thread(_known_revisions, app, entry)
    listed = f" (revisions: {', '.join(map(str, known))})" if known else ""
    app.call_from_thread(
        app.notify,
        clean(f"{refusal.message}{listed}", 300),
        title=spec.title,
        severity="warning",
        markup=False,
    )
