"""``Selection``: what a list or a watch asks of one resource type."""

from __future__ import annotations

from dataclasses import dataclass

from rollout_tui.sim.records import Entry
from rollout_tui.sim.resources import ResourceType
from rollout_tui.sim.selectors import FieldSelector, LabelSelector, compile_selectors


@dataclass(frozen=True)
class Selection:
    """One type's objects in ``scope`` (a namespace; None or "" for every one) that the label and
    field selectors (None: no condition) match."""

    rt: ResourceType
    scope: str | None
    labels: LabelSelector | None = None
    fields: FieldSelector | None = None

    @classmethod
    def parse(
        cls, rt: ResourceType, scope: str | None, label_selector: str | None, field_selector: str | None
    ) -> Selection:
        """The selectors given as the query's text (400 Bad Request when they do not parse)."""
        return cls(rt, scope, *compile_selectors(rt.field_labels, label_selector, field_selector))

    def matches(self, entry: Entry) -> bool:
        if self.scope and entry.namespace != self.scope:
            return False
        if self.labels is not None and not self.labels.matches(entry.labels):
            return False
        return self.fields is None or self.fields(entry.field_view())
