"""Bulk actions: mark rows (space), then promote, pause or abort every marked rollout at once.

One confirmation lists the effect on each marked rollout (the registry's `describe`, from the
state shown) and the ones it will not touch and why (the registry's `possible`, read-only, RBAC,
a context whose policy asks for each rollout's name to be typed).
The writes then go one by one through `kube.actions.Actions.run`, each behind its own stale-view
guard, never retried; afterwards a screen lists how each one ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from rollout_tui.kube.actions import ActionResult
from rollout_tui.model.actions import ActionArgs, ActionSpec

from .action_flow import Proposal
from .fleet_view import Entry
from .safe import clean
from .screens.question import QuestionScreen
from .styles import dialog_css

if TYPE_CHECKING:
    from .app import RolloutApp

BULK_ACTIONS = frozenset({"promote", "pause", "abort"})


@dataclass(frozen=True, slots=True)
class BulkPlan:
    spec: ActionSpec
    proposals: tuple[Proposal, ...]  # what will be done, each on the state shown
    skipped: tuple[tuple[Entry, str], ...]  # marked rollouts left alone, and why


class Bulk:
    """The app's marks and the bulk flow (`app.bulk`)."""

    def __init__(self, app: RolloutApp) -> None:
        self.app = app
        self.marks: set[str] = set()

    # -- marks ---------------------------------------------------------------------------------------
    def marked(self) -> list[Entry]:
        entries = self.app.view.entries
        self.marks &= set(entries)  # rollouts that went away are no longer marked
        return [entries[k] for k in sorted(self.marks)]

    def toggle(self) -> None:
        entry = self.app.selected_entry
        if entry is None:
            return
        self.marks.symmetric_difference_update({entry.key})
        self._show()
        self.app.table.action_cursor_down()

    def clear(self) -> bool:
        if not self.marks:
            return False
        self.marks.clear()
        self._show()
        return True

    def _show(self) -> None:
        self.app.table.set_marked(self.marks, "*" if self.app.glyphs.ascii else "▌")
        self.app.refresh_action_hints()

    def takes(self, action_id: str) -> bool:
        return bool(self.marks) and action_id in BULK_ACTIONS

    def hints(self) -> tuple[str, ...]:
        """The hints line while rows are marked, in parts (as `ActionFlow.hints`); () without marks."""
        if not self.marks:
            return ()
        n = len(self.marked())
        return (f"{n} marked: p promote, z pause, x abort act on all of them", "space unmarks", "Esc clears")

    def possible(self, spec: ActionSpec) -> bool:
        return any(not self.app.flow.why_not(e, spec) for e in self.marked())

    # -- the flow ------------------------------------------------------------------------------------
    def plan(self, spec: ActionSpec) -> BulkPlan:
        proposals: list[Proposal] = []
        skipped: list[tuple[Entry, str]] = []
        for entry in self.marked():
            if self.app.settings.policy(entry.context).type_name:  # one button must not bypass it
                skipped.append(
                    (entry, "its context asks for the rollout's name to be typed: act on it alone")
                )
                continue
            proposal = self.app.flow.propose(spec, entry, ActionArgs())
            if isinstance(proposal, str):
                skipped.append((entry, proposal))
            else:
                proposals.append(proposal)
        return BulkPlan(spec, tuple(proposals), tuple(skipped))

    def act(self, spec: ActionSpec) -> None:
        for entry in self.marked():
            self.app.flow.check_access(entry)  # RBAC answers, for the next confirmation at the latest
        plan = self.plan(spec)
        if not plan.proposals:
            why = "; ".join(f"{e.state.name}: {r}" for e, r in plan.skipped[:3])
            self.app.notify(
                clean(why, 300), title=f"{spec.title}: none of the marked", severity="warning", markup=False
            )
            return

        def answered(ok: bool | None) -> None:
            if ok:
                self.app.run_worker(
                    lambda: self._run(plan), thread=True, exit_on_error=False, group="actions"
                )

        self.app.push_screen(BulkConfirmScreen(plan), answered)

    def _run(self, plan: BulkPlan) -> None:
        """On a worker thread: one write after the other, each guarded; never retried."""
        results: list[tuple[Proposal, ActionResult]] = []
        for proposal in plan.proposals:
            actions = self.app.flow.actions(proposal.context)
            state = proposal.state
            try:
                if actions is None:
                    result = ActionResult(False, "failed", "read-only: nothing was written")
                else:
                    result = actions.run(
                        proposal.spec, state.namespace, state.name, expected=state, args=proposal.args
                    )
            except Exception as exc:
                result = ActionResult(False, "failed", clean(f"{type(exc).__name__}: {exc}", 300))
            results.append((proposal, result))
        self.app.call_from_thread(self._finished, plan, tuple(results))

    def _finished(self, plan: BulkPlan, results: tuple[tuple[Proposal, ActionResult], ...]) -> None:
        applied = sum(1 for _, r in results if r.ok)
        self.clear()
        self.app.push_screen(BulkResultScreen(plan, results))
        severity: Literal["information", "warning"] = "information" if applied == len(results) else "warning"
        self.app.notify(
            f"{applied} of {len(results)} done",
            title=f"{plan.spec.title} (bulk)",
            severity=severity,
            markup=False,
        )


def _where(entry_context: str, target: str) -> str:
    return clean(f"{entry_context}/{target}", 200)


class BulkConfirmScreen(QuestionScreen):
    DEFAULT_CSS = (
        dialog_css("BulkConfirmScreen", "Vertical", 110, border="$warning")
        + """
    BulkConfirmScreen VerticalScroll { height: auto; max-height: 1fr; margin: 1 0; }
    BulkConfirmScreen Horizontal { height: auto; align-horizontal: right; }
    BulkConfirmScreen Button { margin-left: 2; min-width: 12; }
    """
    )

    def __init__(self, plan: BulkPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        plan, n = self.plan, len(self.plan.proposals)
        body = Text()
        for proposal in plan.proposals:
            body.append(f"{clean(proposal.context, 40)}: ", style="bold")
            body.append(clean(proposal.text, 400) + "\n")
        for entry, why in plan.skipped:
            body.append(
                f"skipped {_where(entry.context, entry.state.target)}: {clean(why, 200)}\n", style="dim"
            )
        body.rstrip()
        with Vertical():
            yield Static(Text(f"{plan.spec.title} {n} rollout{'s' if n != 1 else ''}?", style="bold"))
            with VerticalScroll():
                yield Static(body, id="bulk-body")
            yield Static(
                Text(
                    "One after the other, each sent once; any that changed since you looked is refused.",
                    style="dim",
                )
            )
            yield from self.buttons(f"{plan.spec.title} {n}")


class BulkResultScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", "Close")]
    DEFAULT_CSS = (
        dialog_css("BulkResultScreen", "Vertical", 110)
        + """
    BulkResultScreen VerticalScroll { height: auto; max-height: 1fr; margin: 1 0; }
    """
    )

    def __init__(self, plan: BulkPlan, results: tuple[tuple[Proposal, ActionResult], ...]) -> None:
        super().__init__()
        self.plan, self.results = plan, results

    def compose(self) -> ComposeResult:
        body = Text()
        for proposal, result in self.results:
            mark, style = ("done", "green") if result.ok else (result.outcome, "bold red")
            body.append(f"{mark:<8}", style=style)
            body.append(f"{_where(proposal.context, proposal.state.target)}: {clean(result.message, 300)}\n")
        for entry, why in self.plan.skipped:
            body.append(f"{'skipped':<8}", style="dim")
            body.append(f"{_where(entry.context, entry.state.target)}: {clean(why, 200)}\n", style="dim")
        body.rstrip()
        with Vertical():
            yield Static(Text(f"{self.plan.spec.title}: how each one ended", style="bold"))
            with VerticalScroll():
                yield Static(body, id="bulk-results")
            yield Static(Text("Esc closes", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["BULK_ACTIONS", "Bulk", "BulkConfirmScreen", "BulkPlan", "BulkResultScreen"]
