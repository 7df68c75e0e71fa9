"""The keys that change what the overview table shows: filter, status filter, sort, pickers.

A mixin of the app (`RolloutApp`): each key makes one new `TableQuery`, which is one refresh.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.dom import NoScreen
from textual.widgets import Input

from .overview import OverviewTable
from .query import SORTS, TableQuery
from .screens.picker import PickerScreen


class TableKeys(App[None]):
    """The app's table keys; the app provides the query and its one refresh."""

    table_query: TableQuery
    contexts: list[str]

    _table: OverviewTable | None = None

    @property
    def table(self) -> OverviewTable:
        """The overview table (found once: every drain asks for it; NoMatches while shutting down)."""
        if self._table is None or not self._table.is_attached:
            self._table = self.query_one(OverviewTable)
        return self._table

    def change_query(self, **changes: Any) -> None:
        """Any change of what the table shows: one refresh."""
        self.set_query(self.table_query.with_(**changes))

    def set_query(self, query: TableQuery) -> None:
        raise NotImplementedError

    def namespaces_seen(self) -> list[str]:
        raise NotImplementedError

    def show_start_filter(self) -> None:
        """A filter from the config is visible (and editable) in the filter box from the start."""
        if self.table_query.text:
            for box in self.query("#filter").results(Input):
                box.value, box.display = self.table_query.text, True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A widget the operator cannot see never holds the keyboard: `q` and `Esc` would go to
        it (a hidden filter box did swallow them)."""
        widget = event.widget
        hidden = not widget.display or any(not getattr(n, "display", True) for n in widget.ancestors)
        try:
            on_table_screen = widget.screen is self.default_screen
        except NoScreen:  # removed meanwhile (a metric chart closed as its table took the focus)
            return
        if hidden and on_table_screen:
            self.call_after_refresh(self.table.focus)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.change_query(text=event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            if not event.value:
                event.input.display = False
            self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value or box.display:
            box.value = ""
            box.display = False
            self.table.focus()
            self.change_query(text="")

    def action_quick_filter(self) -> None:
        self.set_query(self.table_query.next_quick())

    def action_attention(self) -> None:
        self.set_query(self.table_query.toggle_attention())

    def action_sort(self) -> None:
        self.set_query(self.table_query.next_sort(len(self.contexts) > 1))

    def action_reverse_sort(self) -> None:
        self.change_query(reverse=not self.table_query.reverse)

    def on_virtual_table_header_selected(self, event: OverviewTable.HeaderSelected) -> None:
        """A click on a column's header sorts by it; a second click reverses."""
        key = event.column_key
        if key in SORTS:
            reverse = not self.table_query.reverse if self.table_query.sort == key else False
            self.change_query(sort=key, reverse=reverse)

    def action_pick_namespace(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.change_query(namespace=value)

        picker = PickerScreen(
            "Namespace", "all namespaces", self.namespaces_seen(), self.table_query.namespace
        )
        self.push_screen(picker, chosen)

    def action_pick_context(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.change_query(context=value)

        self.push_screen(
            PickerScreen("Context", "all contexts", self.contexts, self.table_query.context), chosen
        )


# The actions that act on the table: only where the table is (not over a detail screen).
TABLE_ACTIONS = frozenset(
    name.removeprefix("action_") for name in vars(TableKeys) if name.startswith("action_")
)
