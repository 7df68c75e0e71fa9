"""The action flow of the UI: may the operator do this now (and why not), ask for what the action
needs, confirm exactly what will happen, run it off the UI thread, report how it ended.

Everything about an action comes from its registry entry (`model.actions`): whether it is possible
for the rollout's state, the RBAC permissions it needs, the confirmation text, the guard. The
writes themselves are the kube layer's (`kube.actions.Actions.run`); in read-only mode there is no
`Actions` object at all, so nothing here can write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rollout_tui.kube.actions import ActionResult, Actions
from rollout_tui.kube.fleet import Fleet
from rollout_tui.model.actions import ACTIONS, ROLLOUT, ActionArgs, ActionSpec
from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.model.state import RolloutState, rollout_state

from .background import in_background
from .fleet_view import Entry
from .messages import AccessChecked, ActionFinished
from .safe import clean

if TYPE_CHECKING:
    from textual.app import App

ROLLOUT_ACTIONS = tuple(spec for spec in ACTIONS if spec.kind == ROLLOUT and spec.key)
READ_ONLY = "read-only"
WORKLOAD = "@workload"
DEPLOYMENT_REF = rollout_state({"spec": {"workloadRef": {"kind": "Deployment", "name": "-"}}})


@dataclass(frozen=True, slots=True)
class Proposal:
    """An action the operator is asked to confirm: exactly this, on the rollout as shown."""

    spec: ActionSpec
    context: str
    state: RolloutState  # what the confirmation showed: the stale-view guard compares against it
    args: ActionArgs
    text: str  # spec.describe(state, args)
    target_name: str = ""  # an AnalysisRun or Experiment of the rollout (kinds other than Rollout)

    @property
    def target(self) -> str:
        return f"{self.state.namespace}/{self.target_name}" if self.target_name else self.state.target


class ActionFlow:
    def __init__(self, app: App[None], fleet: Fleet, read_only: bool) -> None:
        self.app = app
        self.fleet = fleet
        self.read_only = read_only
        self._access: dict[tuple[str, str], dict[str, tuple[bool, str]]] = {}
        self._pending: set[tuple[str, str]] = set()

    def actions(self, context: str) -> Actions | None:
        return None if self.read_only else self.fleet.actions(context)

    def why_not(self, entry: Entry, spec: ActionSpec) -> str:
        """Why `spec` cannot be done on `entry` now ("" when it can)."""
        if self.actions(entry.context) is None:
            return READ_ONLY
        reason = spec.possible(entry.state)
        if reason:
            return reason
        answer = spec.id + (WORKLOAD if entry.state.workload_ref and spec.workload_permissions else "")
        allowed, why = self._access.get((entry.context, entry.state.namespace), {}).get(answer, (True, ""))
        return "" if allowed else (why or "not allowed (RBAC)")

    def hints(self, entry: Entry | None) -> tuple[str, ...]:
        """The line above the footer, in parts: why the greyed actions cannot be done now."""
        if entry is None or self.read_only:
            return ("read-only",) if self.read_only else ()
        if self.actions(entry.context) is None:  # a read-only context (the config's policy)
            return (f"read-only context {clean(entry.context, 60)}: no actions",)
        by_reason: dict[str, list[str]] = {}
        for spec in ROLLOUT_ACTIONS:
            reason = self.why_not(entry, spec)
            if reason:
                by_reason.setdefault(reason, []).append(spec.title.lower())
        return tuple(f"{', '.join(names)}: {reason}" for reason, names in by_reason.items())

    def signature(self, entry: Entry | None) -> tuple[str, ...] | None:
        """What the footer and hints show for `entry`: changes only when an answer changes."""
        return None if entry is None else tuple(self.why_not(entry, spec) for spec in ROLLOUT_ACTIONS)

    # -- RBAC ------------------------------------------------------------------------------------
    def check_access(self, entry: Entry | None) -> None:
        if entry is None:
            return
        key = (entry.context, entry.state.namespace)
        actions = self.actions(entry.context)
        if actions is None or key in self._access or key in self._pending:
            return
        self._pending.add(key)
        in_background(lambda: self._fetch_access(actions, *key), "access review")

    def _fetch_access(self, actions: Actions, context: str, namespace: str) -> None:
        """On a worker thread: the SelfSubjectAccessReviews of every rollout action."""
        answers: dict[str, tuple[bool, str]] = {}
        asks: list[tuple[str, ActionSpec, RolloutState | None]] = [
            (spec.id, spec, None) for spec in ROLLOUT_ACTIONS
        ]
        # A rollout with spec.workloadRef writes its Deployment instead (the usual workload kind).
        asks += [
            (spec.id + WORKLOAD, spec, DEPLOYMENT_REF)
            for spec in ROLLOUT_ACTIONS
            if spec.workload_permissions
        ]
        for answer, spec, state in asks:
            try:
                allowed, reason = actions.can(spec, namespace, state)
            except Exception as exc:  # unknown: leave it enabled, the server refuses if it must
                allowed, reason = True, clean(exc, 80)
            answers[answer] = (allowed, clean(reason, 120))
        self.app.post_message(AccessChecked(context, namespace, answers))

    def access_checked(self, message: AccessChecked) -> None:
        key = (message.context, message.rollout_namespace)
        self._access[key] = message.answers
        self._pending.discard(key)

    # -- the flow --------------------------------------------------------------------------------
    def propose(
        self, spec: ActionSpec, entry: Entry, args: ActionArgs, info: RolloutInfo | None = None
    ) -> Proposal | str:
        """The proposal to confirm, or why it cannot be made; with the detail's `info` of this
        rollout, the confirmation says what the action changes in the pod template."""
        why = self.why_not(entry, spec)
        if why:
            return why
        if spec.template_change is not None and info is not None and info.state.uid == entry.state.uid:
            args = replace(args, change=spec.template_change(info, args))
        return Proposal(spec, entry.context, entry.state, args, spec.describe(entry.state, args))

    def run(self, proposal: Proposal) -> None:
        actions = self.actions(proposal.context)
        if actions is not None:
            in_background(lambda: self._run(actions, proposal), f"action {proposal.spec.id}")

    def _run(self, actions: Actions, proposal: Proposal) -> None:
        """On a worker thread; never retried here (the kube layer decides what is safe to retry)."""
        state = proposal.state
        name = proposal.target_name or state.name
        expected = None if proposal.target_name else state  # a child's guards are its `possible`
        try:
            result = actions.run(proposal.spec, state.namespace, name, expected=expected, args=proposal.args)
        except Exception as exc:  # a bug or a transport error must become a toast, not a dead worker
            result = ActionResult(False, "failed", clean(f"{type(exc).__name__}: {exc}", 300))
        self.app.post_message(ActionFinished(proposal, result))

    def report(self, message: ActionFinished, notify: Callable[..., None]) -> None:
        proposal, result = message.proposal, message.result
        title = f"{proposal.spec.title} {clean(proposal.target, 120)}"
        if result.ok:
            notify(clean(result.message, 300) or "done", title=title, markup=False)
            return
        labels = {"stale": "not applied", "denied": "refused by the cluster (RBAC)"}
        label = labels.get(result.outcome, result.outcome)
        severity = "warning" if result.outcome in ("stale", "denied") else "error"
        notify(
            f"{label}: {clean(result.message, 300)}", title=title, severity=severity, markup=False, timeout=12
        )
