"""Pick one of a few names (namespace, context); the first option means "all"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..safe import clean
from ..styles import dialog_css


class PickerScreen(ModalScreen[str | None]):
    """Dismisses with the chosen value ("" for all) or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = (
        dialog_css("PickerScreen", "Vertical", 50, max_height="80%")
        + """
    PickerScreen OptionList { height: auto; max-height: 20; }
    """
    )

    def __init__(self, title: str, all_label: str, values: Sequence[str], current: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.values = ["", *values]
        self.labels = [all_label, *values]
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield OptionList(
                *(Option(Text(clean(label, 60)), id=str(i)) for i, label in enumerate(self.labels))
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.values.index(self.current) if self.current in self.values else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
