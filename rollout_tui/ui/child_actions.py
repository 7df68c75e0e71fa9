"""The one confirmation of every action (`confirm`), and the actions on what a rollout owns
(terminate an AnalysisRun or Experiment) from the detail: the registry's entry decides whether
it is possible and what it does, then the flow runs it (kube.actions.Actions.run with the
child's kind and name)."""

from __future__ import annotations

from typing import Any

from textual.app import App

from rollout_tui.model.actions import ActionArgs, ActionSpec
from rollout_tui.model.state import RolloutState

from .action_flow import ActionFlow, Proposal
from .safe import clean
from .screens.confirm_typed import confirm_screen


def confirm(app: App[Any], flow: ActionFlow, proposal: Proposal, type_name: bool) -> None:
    """The one confirmation of every action (the rollout's and its children's): the modal the
    context's policy asks for (`type_name`), then the flow sends exactly what it showed."""
    screen = confirm_screen(proposal, len(getattr(app, "contexts", ())) > 1, type_name)
    app.push_screen(screen, callback=lambda ok: flow.run(proposal) if ok else None)


def propose_child(app: App[Any], spec: ActionSpec, state: RolloutState, subject: Any) -> None:
    """Confirm `spec` on `subject` (an AnalysisRunInfo or ExperimentInfo of rollout `state`)."""
    entry = getattr(app, "detail_target", lambda: None)()
    flow = getattr(app, "flow", None)
    if (
        getattr(app, "read_only", False)
        or flow is None
        or entry is None
        or flow.actions(entry.context) is None
    ):
        app.notify("read-only", title=spec.title, severity="warning")
        return
    why = spec.possible(subject)
    if why:
        app.notify(clean(f"{subject.name}: {why}", 200), title=spec.title, severity="warning", markup=False)
        return
    args = ActionArgs()
    proposal = Proposal(
        spec, entry.context, state, args, spec.describe(subject, args), target_name=subject.name
    )
    settings = getattr(app, "settings", None)  # the context's type-name policy applies here too
    confirm(app, flow, proposal, settings is not None and settings.policy(entry.context).type_name)
