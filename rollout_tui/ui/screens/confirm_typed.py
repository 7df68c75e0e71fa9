"""The confirmation of a context whose policy is ``confirm: type-name`` (the config file): the
same modal as ConfirmScreen, with a box where the rollout's name must be typed before the
confirm button enables (GitHub's "type the repository name"). Focus starts in the box; Enter
there with the right name moves to the confirm button, so one more Enter acts.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ..action_flow import Proposal
from ..safe import clean
from .confirm import ConfirmScreen


class TypeNameConfirmScreen(ConfirmScreen):
    DEFAULT_CSS = """
    TypeNameConfirmScreen #type-name { margin: 1 0 0 0; }
    """

    @property
    def expected(self) -> str:
        return self.proposal.target_name or self.proposal.state.name  # the object acted on

    def on_mount(self, event: events.Mount | None = None) -> None:
        if event is not None:  # Textual passes it: ConfirmScreen's handler (focus Cancel) is not run
            event.prevent_default()
        box = Input(id="type-name")
        ask = Text(f"Type {clean(self.expected, 60)} to enable {self.proposal.spec.title}:")
        self.query_one(Vertical).mount(
            Static(ask, id="type-name-help"),  # a Text: the name is never read as markup
            box,
            before=self.query_one(Horizontal),
        )
        self.query_one("#confirm", Button).disabled = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#confirm", Button).disabled = event.value != self.expected

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value == self.expected:
            self.query_one("#confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.prevent_default()  # decided here, not by ConfirmScreen's handler
        confirmed = event.button.id == "confirm"
        if confirmed and self.query_one("#type-name", Input).value != self.expected:
            return  # a disabled button never presses; this guards a press queued before it was disabled
        self.dismiss(confirmed)


def confirm_screen(proposal: Proposal, show_context: bool, type_name: bool) -> ConfirmScreen:
    """The confirmation a context's policy asks for."""
    cls = TypeNameConfirmScreen if type_name else ConfirmScreen
    return cls(proposal, show_context)
