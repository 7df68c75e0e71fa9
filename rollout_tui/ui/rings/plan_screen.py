"""The wave's plan, confirmed once: every write it will make, per ring, before anything is sent.

Cancel has the focus (Enter never starts a wave by accident); a plan with refusals cannot be
started at all, and says why. The checkbox adds the abort of a failing ring to the plan (with the
RBAC answer for it, checked beforehand). Stopping a running wave asks too.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from rollout_tui.model.wave_plan import WavePlan
from rollout_tui.render.waves import plan_text

from ..safe import clean
from ..screens.question import QuestionScreen
from ..styles import dialog_css

UI_NOTE = (
    "Runs here, in this UI: closing the UI stops it (nothing more is written). A wave that must "
    "outlive this session runs headless: rollout-tui wave APP --rings ..."
)


def plan_lines(plan: WavePlan) -> Text:
    """The plan as the CLI prints it, with its ring headings and refusals marked."""
    text = Text()
    for line in plan_text(plan).splitlines():
        style = ""
        if line.startswith("ring "):
            style = "bold"
        elif line.lstrip().startswith("REFUSED") or line.startswith("cannot start"):
            style = "bold red"
        elif line.lstrip().startswith("as is"):
            style = "dim"
        text.append(line + "\n", style=style)
    text.rstrip()
    return text


class WavePlanScreen(ModalScreen[WavePlan | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("n", "cancel", "No", show=False),
    ]
    DEFAULT_CSS = (
        dialog_css("WavePlanScreen", "Vertical", 110, border="$warning")
        + """
    WavePlanScreen #plan-title { text-style: bold; }
    WavePlanScreen VerticalScroll { height: auto; max-height: 1fr; margin: 1 0 0 0; }
    WavePlanScreen #plan-note { color: $text-muted; }
    WavePlanScreen Horizontal { height: auto; align-horizontal: right; }
    WavePlanScreen Button { margin-left: 2; min-width: 12; }
    """
    )

    def __init__(self, plan: WavePlan, aborting: WavePlan, type_name: bool = False) -> None:
        """`plan` without, `aborting` with the abort of a failing ring (each with its refusals);
        `type_name`: a context it writes to asks for the name to be typed (the app's, here)."""
        super().__init__()
        self.plans = {False: plan, True: aborting}
        self.plan = plan
        self.type_name = type_name

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical():
            yield Static(Text(f"Start wave {plan.wave_id} for {clean(plan.app, 80)}?"), id="plan-title")
            with VerticalScroll():
                yield Static(plan_lines(plan), id="plan-body")
            yield Checkbox("On failure, also abort the failing ring", False, id="plan-abort")
            if self.type_name:
                yield Static(Text(f"Type {clean(plan.app, 60)} to enable Start wave:"))
                yield Input(id="plan-type-name")
            yield Static(Text(UI_NOTE), id="plan-note")
            with Horizontal():
                yield Button("Cancel", id="cancel", variant="default")
                yield Button("Start wave", id="confirm", variant="warning", disabled=not self.startable)

    @property
    def startable(self) -> bool:
        if not self.plan.ok:
            return False
        return not self.type_name or (self.is_mounted and self.query_one(Input).value == self.plan.app)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.plan = self.plans[bool(event.value)]
        self.query_one("#plan-body", Static).update(plan_lines(self.plan))
        self.query_one("#confirm", Button).disabled = not self.startable

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#confirm", Button).disabled = not self.startable

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.plan if event.button.id == "confirm" and self.startable else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StopWaveScreen(QuestionScreen):
    DEFAULT_CSS = (
        dialog_css("StopWaveScreen", "Vertical", 72, "$warning", "1 2", max_height=None)
        + """
    StopWaveScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    StopWaveScreen Button { margin-left: 2; min-width: 12; }
    """
    )

    def __init__(self, wave_id: str, app: str, ring: str) -> None:
        super().__init__()
        self.text = (
            f"Stop wave {wave_id} for {clean(app, 80)}? Nothing more is written. Ring {clean(ring, 40)} "
            "is left as it is now (abort it yourself if it must go back); rings not yet started stay untouched."
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.text))
            yield from self.buttons("Stop wave")
