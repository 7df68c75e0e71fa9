"""``list rollouts -w -o json``: the watch as an event stream for bots.

One ``RolloutEvent`` document per change (render.json_view): ``ADDED`` for each rollout of the
first list and each new one, ``MODIFIED`` whenever its summary changes (the object changed, or
time alone changed its attention: a rollout became stuck), ``DELETED`` with the last summary
seen. JSON lines with ``-o json``, ``---``-separated documents with ``-o yaml``. A relist after
a dropped watch is diffed against what was already reported, so a reconnect never repeats or
loses an event.
"""

from __future__ import annotations

import argparse
from typing import Any

from rollout_tui.model.objects import key_of

ADDED, MODIFIED, DELETED = "ADDED", "MODIFIED", "DELETED"


class EventPrinter:
    """The watch's sink (as list_watch.RowPrinter): ``table``, ``replace``, ``changed``,
    ``deleted``, ``flush``; writes one document per event."""

    def __init__(self, args: argparse.Namespace, out: Any, context: str | None) -> None:
        from rollout_tui.commands.terminal import clock_for

        self.out, self.clock, self.context = out, clock_for(args), context
        self.output = str(args.output)
        self.name = args.name
        self.states: dict[tuple[str, str], Any] = {}  # the last RolloutState per rollout
        self.views: dict[tuple[str, str], dict[str, Any]] = {}  # the last summary reported
        self.due: dict[tuple[str, str], Any] = {}  # when time alone changes a rollout's attention

    def table(self, items: list[dict[str, Any]]) -> None:
        self.replace(items)

    def replace(self, items: list[dict[str, Any]]) -> None:
        """A full list: report what is new or changed, and what is gone."""
        wanted = [obj for obj in items if not self.name or key_of(obj)[2] == self.name]
        seen = {key_of(obj)[1:] for obj in wanted}
        for obj in sorted(wanted, key=key_of):
            self.changed(obj)
        for key in sorted(set(self.views) - seen):
            self._gone(key)

    def changed(self, obj: dict[str, Any]) -> None:
        from rollout_tui.model.state import rollout_state

        state = rollout_state(obj)
        self.states[state.key] = state
        self._report(state)

    def deleted(self, obj: dict[str, Any]) -> None:
        self._gone(key_of(obj)[1:])

    def flush(self) -> None:
        """Attention that moved with the clock alone (every event is flushed as it is written)."""
        now = self.clock.now()
        for key, due in list(self.due.items()):
            if due <= now:
                self._report(self.states[key])

    def _report(self, state: Any) -> None:
        from rollout_tui.model.attention import attention
        from rollout_tui.render.json_view import rollout_summary

        now = self.clock.now()
        looks = attention(state, now)
        if looks.changes_at is not None:
            self.due[state.key] = looks.changes_at
        else:
            self.due.pop(state.key, None)
        view = rollout_summary(state, looks, self.context)
        previous = self.views.get(state.key)
        if previous == view:
            return
        self.views[state.key] = view
        self._emit(MODIFIED if previous is not None else ADDED, view)

    def _gone(self, key: tuple[str, str]) -> None:
        view = self.views.pop(key, None)
        self.states.pop(key, None)
        self.due.pop(key, None)
        if view is not None:
            self._emit(DELETED, view)

    def _emit(self, event_type: str, view: dict[str, Any]) -> None:
        from rollout_tui.render.json_view import encode, encode_line, rollout_event

        event = rollout_event(event_type, view, self.clock.now())
        self.out.write(encode_line(event) if self.output == "json" else "---\n" + encode(event, self.output))
        self.out.flush()  # a bot reads each event as it happens
