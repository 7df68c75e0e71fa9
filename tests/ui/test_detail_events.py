"""The events section of the detail pane: newest first, bounded, literal, in a stable order."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from detailhelpers import (
    NOW,
    events_of,
    screen_lines,
)
from textual.app import App, ComposeResult

from rollout_tui.ui.detail.events import EventsView
from tests.fixtures.sets import recorded


class EventsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield EventsView()


HOSTILE = "[bold red]boom[/] \x1b[2J\x1b]0;pwned\x07 \u202egnp.exe"


async def test_events_newest_first_bounded_and_literal() -> None:
    events = [
        {
            "type": "Normal",
            "reason": "Old",
            "message": "first",
            "count": 1,
            "lastTimestamp": (NOW - timedelta(minutes=30)).isoformat(),
        },
        {
            "type": "Warning",
            "reason": HOSTILE,
            "message": HOSTILE,
            "count": 7,
            "lastTimestamp": (NOW - timedelta(seconds=5)).isoformat(),
            "involvedObject": {"kind": "Pod", "name": "web-abc"},
        },
        "not an event",
        {
            "type": "Normal",
            "reason": "Series",
            "note": "from series",
            "series": {"count": 3, "lastObservedTime": (NOW - timedelta(minutes=2)).isoformat()},
        },
    ]
    app = EventsApp()
    async with app.run_test(size=(120, 10)) as pilot:
        view = app.query_one(EventsView)
        assert view.show(events, NOW, "web")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "[bold red]boom[/]" in text and "\x1b" not in text and "\u202e" not in text
        assert not view.show(events, NOW, "web")  # unchanged input: no repaint
        rows = view._rows
        assert rows is not None
        assert [r[1] for r in rows][1:] == ["Series", "Old"]
        assert rows[0][2:5] == ("0s", "×7", "Pod/web-abc")  # ages in 10 s steps, like the overview's
        assert "\x1b" not in rows[0][5] and "\u202e" not in rows[0][5]
        assert "[bold red]boom[/]" in rows[0][5]
        # A second later nothing visible changed, so nothing repaints; at 10 s the age line does.
        assert not view.show(events, NOW + timedelta(seconds=1), "web")
        assert view.show(events, NOW + timedelta(seconds=5), "web")
        assert view._rows is not None and view._rows[0][2] == "10s"


def test_events_of_one_second_keep_one_order_whatever_order_the_watches_delivered() -> None:
    from rollout_tui.ui.detail.events import event_rows

    events = events_of(recorded("failed-analysis"))
    per_second = Counter(e["lastTimestamp"] for e in events)
    assert max(per_second.values()) > 2  # the abort: several events in the same second
    assert event_rows(events, NOW) == event_rows(list(reversed(events)), NOW)
