"""The shell's keys for marked rows and the rings view: a mixin of the app (`RolloutApp`), as
`table_keys.TableKeys` is for the table's. The flows themselves are `bulk.Bulk` and `rings.Rings`."""

from __future__ import annotations

from .bulk import Bulk
from .rings import Rings
from .table_keys import TableKeys


class ShellKeys(TableKeys):
    bulk: Bulk
    rings: Rings
    _action_signature: object

    def _refresh_action_state(self) -> None:
        raise NotImplementedError

    def refresh_action_hints(self) -> None:
        """The footer and the hints line again, whatever they showed (the marks changed)."""
        self._action_signature = ()
        self.refresh_bindings()
        self._refresh_action_state()

    def action_toggle_mark(self) -> None:
        if self.screen is self.default_screen:  # marks are the table's
            self.bulk.toggle()

    def action_clear_filter(self) -> None:
        if not self.bulk.clear():  # Esc clears the marks first, then the filter
            super().action_clear_filter()

    def action_rings(self) -> None:
        self.rings.open()
