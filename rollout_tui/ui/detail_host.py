"""The detail beside (or over) the table: which rollout it shows, opening its watch off the UI
thread, and showing what the feed built. A mixin of the app (`RolloutApp`), as `TableKeys` is;
the app provides the layout, the feed, the fleet view and the clock. It is where `m` (ChartKey)
learns that the detail it waits for is in."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.css.query import NoMatches

from rollout_tui.model.clock import Clock
from rollout_tui.model.incident import incident_reasons

from .background import in_background
from .chart_key import ChartKey
from .detail_feed import DetailFeed
from .fleet_view import Entry, FleetView
from .layout import ShellLayout
from .messages import DetailFailed, DetailOpened
from .safe import clean


class DetailHost(ChartKey):
    layout: ShellLayout
    feed: DetailFeed
    view: FleetView
    clock: Clock

    def _refresh_table(self, changes: Any = None) -> None:
        raise NotImplementedError

    def detail_target(self) -> Entry | None:
        """The rollout the detail shows: the selected one, when a detail is on screen."""
        return self.layout.detail_target()

    def detail_pane(self) -> Any:
        return self.layout.detail_pane()

    def refresh_detail(self, force: bool = False) -> None:
        if not self.screen_stack:  # shutting down: a late DetailOpened or timer
            return
        entry = self.detail_target()
        if entry is None:
            if self.feed.key is not None and not self.layout.detail_on_screen():
                self.feed.close()
                self.view.detail_closed(self.clock.now())
            return
        pane = self.detail_pane()
        if pane is None or not pane.ready:
            return  # a detail screen still mounting: it asks again when ready
        if self.feed.want(entry):
            pane.show_loading(entry.state)
            in_background(lambda: self._open_detail(entry), "detail")
            return
        shown = self.feed.view(force=force)
        if shown is not None:
            pane.show(shown.info, shown.events, self.clock, shown.loading, context=entry.context)
            reasons = incident_reasons(shown.info)
            if self.view.refine(entry.key, shown.info.state, self.clock.now(), reasons):
                self._refresh_table()  # the row shows the detail's weight and pod trouble: one truth
        self.open_wanted_chart()

    def _open_detail(self, entry: Entry) -> None:
        """On a background thread: opening lists over the network."""
        try:
            watch = self.feed.open_for(entry)
        except Exception as exc:
            if not self.feed.superseded(entry):
                self.post_message(DetailFailed(clean(f"cannot watch {entry.state.name}: {exc}", 200)))
            return
        if watch is not None:
            self.post_message(DetailOpened(entry.key, watch))

    def on_detail_failed(self, message: DetailFailed) -> None:
        self.notify(message.text, severity="error", markup=False)

    def on_detail_opened(self, message: DetailOpened) -> None:
        self.feed.attach(message.key, message.watch)
        with contextlib.suppress(NoMatches):
            self.refresh_detail(force=True)

    def refresh_detail_now(self) -> None:
        self.refresh_detail(force=True)
